// The SCRAM-SHA-256 server: RFC 7677's exchange message for message, then every way a client
// message can be wrong, unknown users, tenants and throttling.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/auth/scram_test_client.h"
#include "tests/auth/tool_output.h"
#include "weftkit/auth/password_authenticator.h"
#include "weftkit/auth/scram.h"

namespace weftkit::auth {
namespace {

using testing::b64;
using testing::htpasswd_line;
using testing::ScramTestClient;
using testing::unb64;

constexpr const char* kRfcSalt = "W22ZaJ0SNY7soEsUEjb6gQ==";
constexpr const char* kRfcServerNonce = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";

std::string failure_of(const ScramStep& step) {
  if (!step.outcome) return "no outcome";
  if (step.outcome->ok()) return "accepted";
  return std::string(failure_name(step.outcome->failure().kind)) + ": " + step.outcome->failure().message;
}

std::shared_ptr<const PasswordFile> users_from(const std::string& text) {
  PasswordFileLoad load = PasswordFile::parse(text, "users");
  EXPECT_TRUE(load.ok()) << ::testing::PrintToString(load.errors);
  return load.file;
}

std::string scram_line(const std::string& name, const std::string& password, uint32_t iterations = 4096) {
  StatusOr<std::string> verifier = make_scram_verifier(password, iterations);
  EXPECT_TRUE(verifier.is_ok());
  return name + ":" + verifier.value() + "\n";
}

// RFC 7677 section 3's user, with its salt and iteration count.
std::shared_ptr<const PasswordFile> rfc_users() {
  StatusOr<std::string> verifier = make_scram_verifier("pencil", unb64(kRfcSalt), 4096);
  EXPECT_TRUE(verifier.is_ok());
  return users_from("user:" + verifier.value() + "\n");
}

TEST(ScramServer, Rfc7677ExampleExchangeGivesTheDocumentedMessages) {
  ScramServer server(ScramServerOptions{.users = rfc_users(), .source_address = "192.0.2.1",
                                        .server_nonce = kRfcServerNonce});
  ScramStep first = server.step("n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
  EXPECT_EQ(first.server_message,
            "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096");
  EXPECT_FALSE(first.outcome.has_value());
  EXPECT_EQ(server.state(), ScramState::kExpectClientFinal);
  ScramStep final_step = server.step(
      "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
  EXPECT_EQ(final_step.server_message, "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
  ASSERT_TRUE(final_step.outcome.has_value());
  ASSERT_TRUE(final_step.outcome->ok()) << failure_of(final_step);
  EXPECT_EQ(final_step.outcome->identity().user, "user");
  EXPECT_EQ(final_step.outcome->identity().source_address, "192.0.2.1");
  EXPECT_EQ(final_step.outcome->identity().auth_method, AuthMethod::kPassword);
  EXPECT_EQ(server.state(), ScramState::kSucceeded);
}

TEST(ScramVerifierLine, FreshSaltEachTimeAndTheFormPostgresqlWrites) {
  StatusOr<std::string> one = make_scram_verifier("pencil", 4096);
  StatusOr<std::string> two = make_scram_verifier("pencil", 4096);
  ASSERT_TRUE(one.is_ok() && two.is_ok());
  EXPECT_NE(one.value(), two.value());
  // SCRAM-SHA-256$4096:<24 base64 chars: 16-byte salt>$<44: StoredKey>:<44: ServerKey>
  EXPECT_EQ(one.value().size(), std::string("SCRAM-SHA-256$4096:").size() + 24 + 1 + 44 + 1 + 44);
  PasswordFileLoad load = PasswordFile::parse("user:" + one.value() + "\n", "u");
  ASSERT_TRUE(load.ok());
  EXPECT_EQ(load.file->find("user")->scram->salt.size(), 16u);
  EXPECT_EQ(make_scram_verifier("pencil", "", 4096).status().message(), "the SCRAM salt is empty");
  EXPECT_EQ(make_scram_verifier("pencil", "salt", 0).status().message(), "SCRAM iterations must be 1 to 2147483647");
}

class ScramExchange : public ::testing::Test {
 protected:
  ScramStep run(ScramServer& server, ScramTestClient& client, std::string* final_message = nullptr) {
    ScramStep first = server.step(client.client_first());
    if (first.outcome) return first;
    const std::string final_text = client.client_final(first.server_message);
    if (final_message) *final_message = final_text;
    return server.step(final_text);
  }
  ScramServerOptions options() {
    return ScramServerOptions{.users = users_, .source_address = "198.51.100.4"};
  }
  std::shared_ptr<const PasswordFile> users_ = users_from(scram_line("alice", "wonderland") +
                                                          scram_line("bob@umbrella", "bob-pw") +
                                                          htpasswd_line({"-2"}, "carol", "carol-pw") + "\n");
};

TEST_F(ScramExchange, RightPasswordSucceedsAndServerSignatureIsTheClientsExpectation) {
  ScramServer server(options());
  ScramTestClient client{"alice", "wonderland", "fyko+d2lbbFgONRv9qkxdawL"};
  ScramStep result = run(server, client);
  ASSERT_TRUE(result.outcome && result.outcome->ok()) << failure_of(result);
  EXPECT_EQ(result.server_message, client.expected_server_final);
}

TEST_F(ScramExchange, WrongPasswordFailsWithInvalidProof) {
  ScramServer server(options());
  ScramTestClient client{"alice", "looking-glass", "fyko+d2lbbFgONRv9qkxdawL"};
  ScramStep result = run(server, client);
  EXPECT_EQ(result.server_message, "e=invalid-proof");
  EXPECT_EQ(failure_of(result), "bad_credentials: authentication failed for user \"alice\"");
  EXPECT_EQ(server.state(), ScramState::kFailed);
}

TEST_F(ScramExchange, TamperedProofFails) {
  ScramServer server(options());
  ScramTestClient client{"alice", "wonderland", "nonce-1"};
  const std::string server_first = server.step(client.client_first()).server_message;
  std::string final_text = client.client_final(server_first);
  const size_t proof_at = final_text.rfind(",p=") + 3;
  std::string proof = unb64(final_text.substr(proof_at));
  proof[31] = static_cast<char>(proof[31] ^ 1);
  final_text = final_text.substr(0, proof_at) + b64(proof);
  ScramStep result = server.step(final_text);
  EXPECT_EQ(result.server_message, "e=invalid-proof");
  EXPECT_EQ(failure_of(result), "bad_credentials: authentication failed for user \"alice\"");
}

TEST_F(ScramExchange, WrongNonceInClientFinalFails) {
  ScramServer server(options());
  ScramTestClient client{"alice", "wonderland", "nonce-1"};
  std::string server_first = server.step(client.client_first()).server_message;
  // A proof computed over a nonce the server never sent.
  server_first.replace(server_first.find("nonce-1"), 7, "nonce-2");
  ScramStep result = server.step(client.client_final(server_first));
  EXPECT_EQ(result.server_message, "e=other-error");
  EXPECT_EQ(failure_of(result), "malformed: client-final message's nonce does not match the exchange's");
}

TEST_F(ScramExchange, BadBase64IsInvalidEncoding) {
  ScramServer server(options());
  ScramTestClient client{"alice", "wonderland", "nonce-1"};
  const std::string server_first = server.step(client.client_first()).server_message;
  std::string final_text = client.client_final(server_first);
  final_text = final_text.substr(0, final_text.rfind(",p=")) + ",p=not*base64";
  ScramStep result = server.step(final_text);
  EXPECT_EQ(result.server_message, "e=invalid-encoding");
  EXPECT_EQ(failure_of(result), "malformed: client-final message's proof is not valid base64");
}

TEST_F(ScramExchange, ProofOfTheWrongLengthIsInvalidEncoding) {
  ScramServer server(options());
  ScramTestClient client{"alice", "wonderland", "nonce-1"};
  const std::string server_first = server.step(client.client_first()).server_message;
  std::string final_text = client.client_final(server_first);
  final_text = final_text.substr(0, final_text.rfind(",p=")) + ",p=" + b64(std::string(31, 'x'));
  EXPECT_EQ(failure_of(server.step(final_text)), "malformed: client-final message's proof is not 32 bytes");
}

TEST(ScramMessages, MissingOrMisplacedAttributesAreRefused) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "malformed: client-first message has no GS2 header"},
      {"x,,n=alice,r=abc", "malformed: client-first message has an invalid channel-binding flag"},
      {"n,", "malformed: client-first message has an incomplete GS2 header"},
      {"n,,r=abc", "malformed: client-first message has no user name attribute (n=)"},
      {"n,,n=alice", "malformed: client-first message has no nonce attribute (r=)"},
      {"n,,n=alice,r=", "malformed: client-first message has an empty or invalid nonce"},
      {"n,,n=al=41ice,r=abc", "malformed: client-first message has an invalid user name encoding"},
      {"n,,m=ext,n=alice,r=abc", "malformed: mandatory SCRAM extensions are not supported"},
      {"n,a=admin,n=alice,r=abc", "malformed: authorization identities (a=) are not supported"},
      {"n,,n=alice,r=abc,garbage", "malformed: client-first message has a malformed attribute"},
  };
  for (const auto& [message, expected] : cases) {
    ScramServer server(ScramServerOptions{.users = std::make_shared<PasswordFile>()});
    EXPECT_EQ(failure_of(server.step(message)), expected) << message;
  }
}

TEST(ScramMessages, ClientFinalWithoutItsAttributesIsRefused) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"c=biws,r=abcSERVER", "malformed: client-final message has no proof attribute (p=)"},
      {"r=abcSERVER,p=" + b64(std::string(32, 'p')), "malformed: client-final message has no channel-binding attribute (c=)"},
      {"c=biws,p=" + b64(std::string(32, 'p')), "malformed: client-final message has no nonce attribute (r=)"},
      {"c=bi*s,r=abcSERVER,p=" + b64(std::string(32, 'p')),
       "malformed: client-final message's channel binding is not valid base64"},
  };
  for (const auto& [message, expected] : cases) {
    ScramServer server(ScramServerOptions{.users = std::make_shared<PasswordFile>(), .server_nonce = "SERVER"});
    ASSERT_FALSE(server.step("n,,n=alice,r=abc").outcome.has_value());
    EXPECT_EQ(failure_of(server.step(message)), expected) << message;
  }
}

TEST_F(ScramExchange, UnknownUserGetsAMockExchangeThatFailsLikeAWrongPassword) {
  ScramServer known(options());
  ScramTestClient alice{"alice", "guess", "n1"};
  ScramStep alice_result = run(known, alice);

  ScramServer unknown(options());
  const std::string server_first = unknown.step("n,,n=mallory,r=n1").server_message;
  // Same shape as a real user's: a 16-byte salt and the file's iteration count.
  ASSERT_TRUE(server_first.starts_with("r=n1")) << server_first;
  const size_t salt_at = server_first.find(",s=") + 3;
  const size_t salt_end = server_first.find(",i=");
  EXPECT_EQ(unb64(server_first.substr(salt_at, salt_end - salt_at)).size(), 16u);
  EXPECT_EQ(server_first.substr(salt_end), ",i=4096");
  ScramTestClient mallory{"mallory", "guess", "n1"};
  ScramStep mallory_result = unknown.step(mallory.client_final(server_first));
  EXPECT_EQ(mallory_result.server_message, alice_result.server_message);
  EXPECT_EQ(failure_of(mallory_result), "bad_credentials: authentication failed for user \"mallory\"");

  // The same unknown name always gets the same salt, as a real user does.
  ScramServer again(options());
  const std::string second = again.step("n,,n=mallory,r=n2").server_message;
  EXPECT_EQ(second.substr(second.find(",s=")), server_first.substr(server_first.find(",s=")));
}

TEST_F(ScramExchange, UserWithoutAScramVerifierGetsTheMockExchange) {
  ScramServer server(options());
  ScramTestClient carol{"carol", "carol-pw", "n1"};
  EXPECT_EQ(failure_of(run(server, carol)), "bad_credentials: authentication failed for user \"carol\"");
}

TEST_F(ScramExchange, EngineLoginNameOverridesAnEmptySaslUser) {
  ScramServerOptions with_login = options();
  with_login.login_name = "bob@umbrella";
  ScramServer server(with_login);
  ScramTestClient client{"", "bob-pw", "n1"};  // libpq sends n=,
  ScramStep result = run(server, client);
  ASSERT_TRUE(result.outcome && result.outcome->ok()) << failure_of(result);
  EXPECT_EQ(result.outcome->identity().user, "bob");
  EXPECT_EQ(result.outcome->identity().tenant, "umbrella");
}

TEST_F(ScramExchange, TenantRulesApplyAfterTheProof) {
  ScramServerOptions with_tenants = options();
  with_tenants.tenants = [](std::string_view user) -> std::optional<UserTenants> {
    if (user == "alice") return UserTenants{"acme", {"globex"}};
    return std::nullopt;
  };
  with_tenants.login_name = "alice@globex";
  ScramServer allowed(with_tenants);
  ScramTestClient client{"", "wonderland", "n1"};
  ScramStep ok = run(allowed, client);
  ASSERT_TRUE(ok.outcome && ok.outcome->ok()) << failure_of(ok);
  EXPECT_EQ(ok.outcome->identity().tenant, "globex");

  with_tenants.login_name = "alice@hooli";
  ScramServer refused(with_tenants);
  ScramStep no = run(refused, client);
  EXPECT_EQ(no.server_message, "e=other-error");
  EXPECT_EQ(failure_of(no), "tenant_not_allowed: user \"alice\" may not connect to tenant \"hooli\"");
}

TEST_F(ScramExchange, ThrottledUserIsRefusedAtClientFirst) {
  FailureThrottle throttle(2);
  ScramServerOptions throttled = options();
  throttled.throttle = &throttle;
  for (int i = 0; i < 2; ++i) {
    ScramServer server(throttled);
    ScramTestClient client{"alice", "wrong", "n1"};
    EXPECT_EQ(failure_of(run(server, client)), "bad_credentials: authentication failed for user \"alice\"");
  }
  ScramServer server(throttled);
  ScramStep result = server.step("n,,n=alice,r=n1");
  EXPECT_EQ(failure_of(result),
            "throttled: too many failed logins for user \"alice\" from 198.51.100.4; try again in a minute");
  EXPECT_EQ(throttle.failures(), 2u);
  EXPECT_EQ(throttle.throttled(), 1u);
}

TEST_F(ScramExchange, MessagesAfterTheEndAreRefused) {
  ScramServer server(options());
  ScramTestClient client{"alice", "wonderland", "n1"};
  ASSERT_TRUE(run(server, client).outcome->ok());
  EXPECT_EQ(failure_of(server.step("n,,n=alice,r=n1")), "malformed: the SCRAM exchange is already over");
  EXPECT_EQ(server.state(), ScramState::kFailed);
}

TEST_F(ScramExchange, VerifierLinesAlsoServePlainPasswordLogins) {
  PasswordAuthenticator authenticator;
  ASSERT_TRUE(authenticator.load_users_text(scram_line("alice", "wonderland"), "u").ok());
  EXPECT_TRUE(authenticator.authenticate("alice", "wonderland", "h").ok());
  EXPECT_FALSE(authenticator.authenticate("alice", "wonderland!", "h").ok());
}

TEST(ScramMechanisms, PlusIsOfferedFirstOnlyWhenTheConnectionCanBind) {
  EXPECT_THAT(ScramServer::mechanisms(true), ::testing::ElementsAre("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"));
  EXPECT_THAT(ScramServer::mechanisms(false), ::testing::ElementsAre("SCRAM-SHA-256"));
}

}  // namespace
}  // namespace weftkit::auth
