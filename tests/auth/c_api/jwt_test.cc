// JWT bearer tokens through the auth C API: verified at the time the caller gives, against a
// file key set from WEFTKIT_JWT_JWKS_URI, with refusals named as the C++ layer names them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <ctime>

#include "tests/auth/c_api/auth_c_api_fixture.h"
#include "tests/auth/jwt_test_keys.h"

namespace weftkit::auth::c_api_testing {
namespace {

class AuthCApiJwt : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string jwks = scratch_.write("jwks.json", "{\"keys\":[" + key_.public_jwk + "]}");
    authenticator_ = authenticator_of({"WEFTKIT_AUTH=jwt", "WEFTKIT_JWT_JWKS_URI=file://" + jwks,
                                       "WEFTKIT_JWT_ISSUER=https://idp.example", "WEFTKIT_JWT_LEEWAY=0"});
    ASSERT_NE(authenticator_, nullptr);
  }
  std::string token(const std::string& claims) const {
    return testing::sign_token(key_, "ES256", "{\"alg\":\"ES256\",\"kid\":\"k1\"}", claims);
  }
  std::string verify(const std::string& jwt, int64_t now) const {
    weftkit_auth_result* result = nullptr;
    ErrorSlot error;
    EXPECT_EQ(weftkit_auth_jwt(authenticator_.get(), jwt.c_str(), now, "192.0.2.9", &result, error.out()), WEFTKIT_OK)
        << error.message();
    Owned<weftkit_auth_result> owned(result);
    return outcome(result);
  }

  ScratchDirectory scratch_;
  testing::TestKey key_ = testing::make_ec_key("k1", "P-256");
  Owned<weftkit_authenticator> authenticator_;
};

TEST_F(AuthCApiJwt, ATokenIsVerifiedAtTheGivenTime) {
  const std::string jwt =
      token(R"({"sub":"alice","iss":"https://idp.example","tenant_id":"t9","roles":["analyst"],"exp":1000})");
  EXPECT_EQ(verify(jwt, 999), "ok user=alice tenant=t9 roles=analyst method=1");
  // Leeway 0: at exp it is too late.
  EXPECT_THAT(verify(jwt, 1000), ::testing::StartsWith("expired: "));
}

TEST_F(AuthCApiJwt, TheCurrentTimeIsTimeOfNull) {
  const int64_t now = static_cast<int64_t>(time(nullptr));
  const std::string jwt = token(R"({"sub":"bob","iss":"https://idp.example","exp":)" + std::to_string(now + 600) + "}");
  EXPECT_EQ(verify(jwt, now), "ok user=bob tenant=- roles= method=1");
}

TEST_F(AuthCApiJwt, RefusalsAreNamedAndNeverQuoteTheToken) {
  const std::string other_issuer = token(R"({"sub":"alice","iss":"https://evil.example","exp":1000})");
  const std::string refused = verify(other_issuer, 10);
  EXPECT_THAT(refused, ::testing::StartsWith("wrong_issuer: "));
  EXPECT_THAT(refused, ::testing::Not(::testing::HasSubstr(other_issuer.substr(other_issuer.rfind('.') + 1))));

  std::string forged = token(R"({"sub":"alice","iss":"https://idp.example","exp":1000})");
  // The signature's first character: every letter there decodes (unlike the last one, whose
  // low bits must be zero), so the token stays well formed and only its signature is wrong.
  char& first = forged[forged.rfind('.') + 1];
  first = first == 'A' ? 'B' : 'A';
  EXPECT_THAT(verify(forged, 10), ::testing::StartsWith("bad_signature: "));
  EXPECT_THAT(verify("not-a-token", 10), ::testing::StartsWith("malformed: "));

  weftkit_auth_result* result = nullptr;
  ASSERT_EQ(weftkit_auth_jwt(authenticator_.get(), "x", 0, nullptr, &result, nullptr), WEFTKIT_OK);
  Owned<weftkit_auth_result> owned(result);
  EXPECT_EQ(weftkit_auth_result_method(result), WEFTKIT_AUTH_JWT);
}

TEST_F(AuthCApiJwt, AKeySetThatDoesNotLoadIsAnError) {
  Owned<weftkit_auth_config> config =
      config_of({"WEFTKIT_AUTH=jwt", "WEFTKIT_JWT_JWKS_URI=file://" + scratch_.write("bad.json", "{}")});
  weftkit_authenticator* authenticator = reinterpret_cast<weftkit_authenticator*>(1);
  ErrorSlot error;
  EXPECT_NE(weftkit_authenticator_create(config.get(), nullptr, &authenticator, error.out()), WEFTKIT_OK);
  EXPECT_EQ(authenticator, nullptr);
  ASSERT_NE(error.get(), nullptr);
  EXPECT_FALSE(std::string(error.get()->message).empty());
}

}  // namespace
}  // namespace weftkit::auth::c_api_testing
