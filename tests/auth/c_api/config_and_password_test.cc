// The auth C API's configuration and password backend: the WEFTKIT_* variables select the
// backend, invalid ones are listed together without their secrets, htpasswd users log in, a
// wrong password is bad_credentials without the password in the message, reloads are all or
// nothing, and a backend is never asked what another one answers.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>

#include "tests/auth/c_api/auth_c_api_fixture.h"
#include "tests/auth/tool_output.h"

namespace weftkit::auth::c_api_testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(AuthCApiConfig, TheVariablesSelectTheBackend) {
  weftkit_auth_method method = WEFTKIT_AUTH_PASSWORD;
  EXPECT_TRUE(weftkit_auth_config_method(
      config_of({"WEFTKIT_AUTH=mtls", "WEFTKIT_MTLS_CA=/ca.pem", "WEFTKIT_TLS_CERT=/s.crt", "WEFTKIT_TLS_KEY=/s.key"})
          .get(),
      &method));
  EXPECT_EQ(method, WEFTKIT_AUTH_MTLS);
  EXPECT_TRUE(
      weftkit_auth_config_method(config_of({"WEFTKIT_AUTH=jwt", "WEFTKIT_JWT_JWKS_URI=file:///k"}).get(), &method));
  EXPECT_EQ(method, WEFTKIT_AUTH_JWT);
  // Names other than WEFTKIT_* are not the library's business.
  EXPECT_FALSE(weftkit_auth_config_method(config_of({"HOME=/root"}).get(), &method));
}

TEST(AuthCApiConfig, AnInvalidConfigurationListsEveryProblemWithoutTheSecret) {
  const std::vector<std::string> variables = {"WEFTKIT_AUTH=ldap", "WEFTKIT_AUTH_USRES_FILE=/u",
                                              "WEFTKIT_JWT_SECRET=too-short-secret-value"};
  std::vector<const char*> entries;
  for (const std::string& variable : variables) entries.push_back(variable.c_str());
  weftkit_auth_config* config = reinterpret_cast<weftkit_auth_config*>(1);
  ErrorSlot error;
  EXPECT_EQ(weftkit_auth_config_from_variables(entries.data(), entries.size(), &config, error.out()),
            WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(config, nullptr);
  EXPECT_THAT(error.message(), HasSubstr("WEFTKIT_AUTH"));
  EXPECT_THAT(error.message(), HasSubstr("WEFTKIT_AUTH_USRES_FILE"));
  EXPECT_THAT(error.message(), HasSubstr("WEFTKIT_JWT_SECRET"));
  EXPECT_THAT(error.message(), Not(HasSubstr("too-short-secret-value")));
  // One problem per line, after the heading.
  const std::string message = error.message();
  EXPECT_GE(std::count(message.begin(), message.end(), '\n'), 3);

  const char* no_equals[] = {"WEFTKIT_AUTH"};
  EXPECT_EQ(weftkit_auth_config_from_variables(no_equals, 1, &config, error.out()), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_STREQ(error.get()->message, "variable 0 is not NAME=value");
}

TEST(AuthCApiConfig, TheEnvironmentIsReadAsTheProcessHasIt) {
  ScratchDirectory scratch;
  const std::string users =
      scratch.write("users", testing::htpasswd_line({"-B", "-C", "4"}, "alice", "alice-pw") + "\n");
  ASSERT_EQ(setenv("WEFTKIT_AUTH", "password", 1), 0);
  ASSERT_EQ(setenv("WEFTKIT_AUTH_USERS_FILE", users.c_str(), 1), 0);
  weftkit_auth_config* config = nullptr;
  ErrorSlot error;
  const weftkit_status status = weftkit_auth_config_from_environment(&config, error.out());
  unsetenv("WEFTKIT_AUTH");
  unsetenv("WEFTKIT_AUTH_USERS_FILE");
  ASSERT_EQ(status, WEFTKIT_OK) << error.message();
  Owned<weftkit_auth_config> owned(config);
  weftkit_authenticator* authenticator = nullptr;
  ASSERT_EQ(weftkit_authenticator_create(config, nullptr, &authenticator, error.out()), WEFTKIT_OK) << error.message();
  Owned<weftkit_authenticator> owned_authenticator(authenticator);
  weftkit_auth_result* result = nullptr;
  ASSERT_EQ(weftkit_auth_password(authenticator, "alice", "alice-pw", "10.0.0.1", &result, error.out()), WEFTKIT_OK);
  Owned<weftkit_auth_result> owned_result(result);
  EXPECT_EQ(outcome(result), "ok user=alice tenant=- roles= method=0");
}

TEST(AuthCApiConfig, WithoutABackendThereIsNoAuthenticator) {
  Owned<weftkit_auth_config> config = config_of({});
  weftkit_auth_method method = WEFTKIT_AUTH_JWT;
  EXPECT_FALSE(weftkit_auth_config_method(config.get(), &method));
  weftkit_authenticator* authenticator = reinterpret_cast<weftkit_authenticator*>(1);
  ErrorSlot error;
  EXPECT_EQ(weftkit_authenticator_create(config.get(), nullptr, &authenticator, error.out()), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(authenticator, nullptr);
  EXPECT_EQ(error.message(), "WEFTKIT_AUTH is not set: no authentication backend is configured");
}

class AuthCApiPassword : public ::testing::Test {
 protected:
  void SetUp() override {
    users_ = scratch_.write("users", testing::htpasswd_line({"-B", "-C", "4"}, "alice", "alice-pw") + "\n" +
                                         testing::htpasswd_line({"-B", "-C", "4"}, "bob@acme", "bob-pw") + "\n");
    authenticator_ = authenticator_of({"WEFTKIT_AUTH=password", "WEFTKIT_AUTH_USERS_FILE=" + users_});
    ASSERT_NE(authenticator_, nullptr);
  }
  std::string login(const char* name, const char* password) {
    weftkit_auth_result* result = nullptr;
    ErrorSlot error;
    EXPECT_EQ(weftkit_auth_password(authenticator_.get(), name, password, "192.0.2.7", &result, error.out()),
              WEFTKIT_OK)
        << error.message();
    Owned<weftkit_auth_result> owned(result);
    return outcome(result);
  }

  ScratchDirectory scratch_;
  std::string users_;
  Owned<weftkit_authenticator> authenticator_;
};

TEST_F(AuthCApiPassword, AGoodHtpasswdUserIsAccepted) {
  EXPECT_EQ(login("alice", "alice-pw"), "ok user=alice tenant=- roles= method=0");
  // A tenant-scoped entry gives its tenant.
  EXPECT_EQ(login("bob@acme", "bob-pw"), "ok user=bob tenant=acme roles= method=0");
}

TEST_F(AuthCApiPassword, AWrongPasswordIsBadCredentialsAndTheMessageHoldsNoPassword) {
  const std::string refused = login("alice", "Secret-Guess-42");
  EXPECT_THAT(refused, ::testing::StartsWith("bad_credentials: "));
  EXPECT_THAT(refused, Not(HasSubstr("Secret-Guess-42")));
  // An unknown user is told apart from a wrong password by nothing.
  EXPECT_THAT(login("mallory", "x"), ::testing::StartsWith("bad_credentials: "));
}

TEST_F(AuthCApiPassword, ARefusedResultHasNoIdentity) {
  weftkit_auth_result* result = nullptr;
  ASSERT_EQ(weftkit_auth_password(authenticator_.get(), "alice", "wrong", nullptr, &result, nullptr), WEFTKIT_OK);
  Owned<weftkit_auth_result> owned(result);
  EXPECT_FALSE(weftkit_auth_result_ok(result));
  EXPECT_EQ(weftkit_auth_result_user(result), nullptr);
  EXPECT_EQ(weftkit_auth_result_tenant(result), nullptr);
  EXPECT_EQ(weftkit_auth_result_role_count(result), 0u);
  EXPECT_EQ(weftkit_auth_result_role_at(result, 0), nullptr);
  EXPECT_EQ(weftkit_auth_result_method(result), WEFTKIT_AUTH_PASSWORD);
  weftkit_identity identity{};
  identity.user = "untouched";
  ErrorSlot error;
  EXPECT_EQ(weftkit_auth_result_identity(result, &identity, error.out()), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_STREQ(identity.user, "untouched");
  EXPECT_EQ(error.message(), "the login was refused: a refused result has no identity");
}

TEST_F(AuthCApiPassword, AReloadServesTheNewFileAndABrokenOneChangesNothing) {
  scratch_.write("users", testing::htpasswd_line({"-B", "-C", "4"}, "carol", "carol-pw") + "\n");
  ErrorSlot error;
  ASSERT_EQ(weftkit_authenticator_reload_users(authenticator_.get(), error.out()), WEFTKIT_OK) << error.message();
  EXPECT_EQ(login("carol", "carol-pw"), "ok user=carol tenant=- roles= method=0");
  EXPECT_THAT(login("alice", "alice-pw"), ::testing::StartsWith("bad_credentials: "));

  scratch_.write("users", "not a users file line\n");
  EXPECT_EQ(weftkit_authenticator_reload_users(authenticator_.get(), error.out()), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_THAT(error.message(), ::testing::StartsWith("the users file was not loaded:\n"));
  EXPECT_EQ(login("carol", "carol-pw"), "ok user=carol tenant=- roles= method=0");
}

TEST_F(AuthCApiPassword, OtherBackendsCallsAreRefusedNamingTheConfiguredOne) {
  weftkit_auth_result* result = reinterpret_cast<weftkit_auth_result*>(1);
  ErrorSlot error;
  EXPECT_EQ(weftkit_auth_jwt(authenticator_.get(), "a.b.c", 0, nullptr, &result, error.out()),
            WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(result, nullptr);
  EXPECT_EQ(error.message(), "the authenticator's backend is password (WEFTKIT_AUTH), not jwt");
  EXPECT_EQ(weftkit_auth_mtls_pem(authenticator_.get(), "", 0, 0, nullptr, &result, error.out()),
            WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), "the authenticator's backend is password (WEFTKIT_AUTH), not mtls");
}

TEST_F(AuthCApiPassword, AMissingUsersFileIsAnErrorNamingIt) {
  Owned<weftkit_auth_config> config =
      config_of({"WEFTKIT_AUTH=password", "WEFTKIT_AUTH_USERS_FILE=" + scratch_.path("missing")});
  weftkit_authenticator* authenticator = reinterpret_cast<weftkit_authenticator*>(1);
  ErrorSlot error;
  EXPECT_EQ(weftkit_authenticator_create(config.get(), nullptr, &authenticator, error.out()), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(authenticator, nullptr);
  EXPECT_THAT(error.message(), HasSubstr(scratch_.path("missing")));
}

}  // namespace
}  // namespace weftkit::auth::c_api_testing
