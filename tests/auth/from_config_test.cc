// The backends built from WEFTKIT_* variables use exactly the configured values.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tests/auth/jwt_test_keys.h"
#include "tests/auth/tool_output.h"
#include "weftkit/auth/from_config.h"

namespace weftkit::auth {
namespace {

class FromConfig : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = std::filesystem::temp_directory_path() / ("weftkit-fc-" + std::to_string(getpid()));
    std::filesystem::create_directories(directory_);
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }
  std::string write(const std::string& name, const std::string& text) {
    const std::string path = (directory_ / name).string();
    std::ofstream(path) << text;
    return path;
  }
  std::filesystem::path directory_;
};

TEST_F(FromConfig, PasswordBackendServesTheConfiguredUsersFile) {
  const std::string users = write("users", testing::htpasswd_line({"-2"}, "alice", "pw") + "\n");
  config::ConfigResult config = config::load_config({{"WEFTKIT_AUTH", "password"}, {"WEFTKIT_AUTH_USERS_FILE", users}});
  ASSERT_TRUE(config.ok());
  PasswordAuthenticator authenticator;
  ASSERT_TRUE(load_users_from_config(config.config->auth, authenticator).ok());
  EXPECT_TRUE(authenticator.authenticate("alice", "pw", "h").ok());
}

TEST_F(FromConfig, JwtVerifierReadsAFileKeySetAndTheClaimsSettings) {
  testing::TestKey key = testing::make_ec_key("k1", "P-256");
  const std::string jwks = write("jwks.json", "{\"keys\":[" + key.public_jwk + "]}");
  config::ConfigResult config = config::load_config({{"WEFTKIT_AUTH", "jwt"},
                                                     {"WEFTKIT_JWT_JWKS_URI", "file://" + jwks},
                                                     {"WEFTKIT_JWT_ISSUER", "https://idp"},
                                                     {"WEFTKIT_JWT_LEEWAY", "0"},
                                                     {"WEFTKIT_JWT_ROLES_CLAIM", "groups"}});
  ASSERT_TRUE(config.ok()) << config.errors[0];
  auto verifier = jwt_verifier_from_config(config.config->auth, [](std::string_view role) { return role == "analyst"; });
  ASSERT_TRUE(verifier.is_ok()) << verifier.status().message();
  const std::string claims = "{\"sub\":\"alice\",\"iss\":\"https://idp\",\"groups\":[\"analyst\"],\"exp\":1000}";
  const std::string token = testing::sign_token(key, "ES256", "{\"alg\":\"ES256\",\"kid\":\"k1\"}", claims);
  AuthResult accepted = verifier.value()->verify(token, 999);
  ASSERT_TRUE(accepted.ok()) << accepted.failure().message;
  EXPECT_EQ(accepted.identity().roles, std::vector<std::string>{"analyst"});
  // Leeway 0: one second after exp is too late.
  EXPECT_EQ(verifier.value()->verify(token, 1000).failure().kind, AuthFailureKind::kExpired);
}

TEST_F(FromConfig, AnHttpsKeySetThatCannotBeFetchedIsAnErrorNamingTheUri) {
  // Port 1 on loopback: nothing listens, so the connection is refused at once.
  config::ConfigResult config =
      config::load_config({{"WEFTKIT_AUTH", "jwt"}, {"WEFTKIT_JWT_JWKS_URI", "https://127.0.0.1:1/jwks.json"}});
  ASSERT_TRUE(config.ok());
  auto verifier = jwt_verifier_from_config(config.config->auth, {});
  ASSERT_FALSE(verifier.is_ok());
  EXPECT_THAT(verifier.status().message(), ::testing::StartsWith("key set https://127.0.0.1:1/jwks.json: "));
}

}  // namespace
}  // namespace weftkit::auth
