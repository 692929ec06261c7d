// The store as the user directory of the token and certificate backends: a JWT's roles must be
// roles the store defines, its tenant_id one of the user's tenants (none: the user's default),
// and a certificate's tenant one of its user's.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <ctime>

#include "tests/auth/c_api/auth_c_api_fixture.h"
#include "tests/auth/jwt_test_keys.h"
#include "tests/auth/test_pki.h"

namespace weftkit::auth::c_api_testing {
namespace {

constexpr const char* kRoles = R"(roles:
  - name: analyst
    allow: [SELECT]
users:
  - name: alice
    roles: [analyst]
    tenant: t1
    tenants: [t2]
)";

class AuthCApiDirectoryBackends : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = compile_store({scratch_.write("roles.yaml", kRoles)});
    ASSERT_NE(store_, nullptr);
  }

  ScratchDirectory scratch_;
  Owned<weftkit_store> store_;
};

TEST_F(AuthCApiDirectoryBackends, ATokensRolesAndTenantAreCheckedAgainstTheStore) {
  const testing::TestKey key = testing::make_ec_key("k1", "P-256");
  const std::string jwks = scratch_.write("jwks.json", "{\"keys\":[" + key.public_jwk + "]}");
  Owned<weftkit_authenticator> authenticator =
      authenticator_of({"WEFTKIT_AUTH=jwt", "WEFTKIT_JWT_JWKS_URI=file://" + jwks}, store_.get());
  ASSERT_NE(authenticator, nullptr);
  auto verify = [&](const std::string& claims) {
    const std::string token = testing::sign_token(key, "ES256", R"({"alg":"ES256","kid":"k1"})", claims);
    weftkit_auth_result* result = nullptr;
    EXPECT_EQ(weftkit_auth_jwt(authenticator.get(), token.c_str(), 100, nullptr, &result, nullptr), WEFTKIT_OK);
    Owned<weftkit_auth_result> owned(result);
    return outcome(result);
  };
  EXPECT_EQ(verify(R"({"sub":"alice","tenant_id":"t2","roles":["analyst"],"exp":1000})"),
            "ok user=alice tenant=t2 roles=analyst method=1");
  EXPECT_EQ(verify(R"({"sub":"alice","exp":1000})"), "ok user=alice tenant=t1 roles= method=1");
  EXPECT_THAT(verify(R"({"sub":"alice","tenant_id":"t3","exp":1000})"), ::testing::StartsWith("tenant_not_allowed: "));
  EXPECT_THAT(verify(R"({"sub":"alice","roles":["ghost"],"exp":1000})"), ::testing::StartsWith("unknown_role: "));
}

TEST_F(AuthCApiDirectoryBackends, ACertificatesTenantMustBeOneOfItsUsers) {
  testing::TestPki pki;  // the good client is CN=alice, O=acme: acme is none of alice's tenants
  Owned<weftkit_authenticator> authenticator =
      authenticator_of({"WEFTKIT_AUTH=mtls", "WEFTKIT_MTLS_CA=" + pki.root_ca,
                        "WEFTKIT_TLS_CERT=" + pki.server_certificate, "WEFTKIT_TLS_KEY=" + pki.server_key},
                       store_.get());
  ASSERT_NE(authenticator, nullptr);
  const std::string chain = testing::read_text(pki.chain("good"));
  weftkit_auth_result* result = nullptr;
  ASSERT_EQ(
      weftkit_auth_mtls_pem(authenticator.get(), chain.data(), chain.size(), time(nullptr), nullptr, &result, nullptr),
      WEFTKIT_OK);
  Owned<weftkit_auth_result> owned(result);
  EXPECT_THAT(outcome(result), ::testing::StartsWith("tenant_not_allowed: "));
}

}  // namespace
}  // namespace weftkit::auth::c_api_testing
