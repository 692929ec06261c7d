// Every single-byte change to a valid token or SCRAM client-final message is refused: nothing
// an attacker can alter in transit still authenticates (and, under the sanitizers, no change
// makes the parsers misbehave).
#include <gtest/gtest.h>

#include "tests/auth/jwt_test_keys.h"
#include "tests/auth/scram_test_client.h"
#include "weftkit/auth/jwt.h"
#include "weftkit/auth/scram.h"

namespace weftkit::auth {
namespace {

TEST(TokenMutation, EverySingleByteChangeIsRefused) {
  testing::TestKey key = testing::make_ec_key("k", "P-256");
  const std::string token = testing::sign_token(key, "ES256", "{\"alg\":\"ES256\",\"kid\":\"k\"}",
                                                "{\"sub\":\"alice\",\"exp\":2000000000}");
  JwtVerifier verifier(JsonWebKeySet::parse("{\"keys\":[" + key.public_jwk + "]}").value(), JwtOptions{});
  ASSERT_TRUE(verifier.verify(token, 1'000'000'000).ok());
  size_t refused = 0;
  for (size_t position = 0; position < token.size(); ++position) {
    for (char replacement : {'A', 'B', 'z', '-', '_', '.', '=', '\0', '\xff'}) {
      if (token[position] == replacement) continue;
      std::string changed = token;
      changed[position] = replacement;
      AuthResult result = verifier.verify(changed, 1'000'000'000);
      EXPECT_FALSE(result.ok()) << "position " << position << " -> " << static_cast<int>(replacement);
      refused += result.ok() ? 0 : 1;
    }
  }
  EXPECT_GT(refused, token.size() * 7);
}

TEST(ScramMutation, EverySingleByteChangeOfClientFinalIsRefused) {
  auto users = PasswordFile::parse("alice:" + make_scram_verifier("wonderland", 4096).value() + "\n", "u").file;
  testing::ScramTestClient client{"alice", "wonderland", "client-nonce"};
  ScramServerOptions options{.users = users, .server_nonce = "server-nonce"};
  std::string server_first;
  {
    ScramServer probe(options);
    server_first = probe.step(client.client_first()).server_message;
  }
  const std::string final_message = client.client_final(server_first);
  {
    ScramServer server(options);
    server.step(client.client_first());
    ASSERT_TRUE(server.step(final_message).outcome->ok());
  }
  for (size_t position = 0; position < final_message.size(); ++position) {
    for (char replacement : {'A', '=', ',', 'x', '\0'}) {
      if (final_message[position] == replacement) continue;
      std::string changed = final_message;
      changed[position] = replacement;
      ScramServer server(options);
      server.step(client.client_first());
      ScramStep step = server.step(changed);
      ASSERT_TRUE(step.outcome.has_value());
      EXPECT_FALSE(step.outcome->ok()) << "position " << position << " -> " << static_cast<int>(replacement);
    }
  }
}

}  // namespace
}  // namespace weftkit::auth
