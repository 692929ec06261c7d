// The chosen modes decide which variables are required, and which are set for nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "weftkit/config.h"

namespace weftkit::config {
namespace {

using ::testing::ElementsAre;

TEST(ConfigModes, PasswordNeedsTheUsersFile) {
  ConfigResult result = load_config({{"WEFTKIT_AUTH", "password"}});
  EXPECT_THAT(result.errors,
              ElementsAre("WEFTKIT_AUTH=password needs WEFTKIT_AUTH_USERS_FILE (the htpasswd users file)"));
}

TEST(ConfigModes, PasswordWithUsersFileResolves) {
  ConfigResult result = load_config({{"WEFTKIT_AUTH", "password"}, {"WEFTKIT_AUTH_USERS_FILE", "/etc/weftkit/users"}});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.config->auth.mode, AuthMode::kPassword);
  EXPECT_EQ(result.config->auth.users_file, "/etc/weftkit/users");
  EXPECT_TRUE(result.warnings.empty());
}

TEST(ConfigModes, JwtNeedsAKeySetOrASecret) {
  ConfigResult result = load_config({{"WEFTKIT_AUTH", "jwt"}});
  EXPECT_THAT(result.errors, ElementsAre("WEFTKIT_AUTH=jwt needs WEFTKIT_JWT_JWKS_URI (the key set, https://... or "
                                         "file:///...) or WEFTKIT_JWT_SECRET (HS256 tokens only)"));
}

TEST(ConfigModes, JwtDefaultsLeewayAndRolesClaim) {
  ConfigResult result = load_config({{"WEFTKIT_AUTH", "jwt"}, {"WEFTKIT_JWT_JWKS_URI", "https://idp/jwks"}});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.config->auth.jwt_leeway_seconds, 60);
  EXPECT_EQ(result.config->auth.jwt_roles_claim, "roles");
  EXPECT_FALSE(result.config->auth.jwt_issuer.has_value());
}

TEST(ConfigModes, MtlsNeedsItsCaAndAServerCertificate) {
  ConfigResult result = load_config({{"WEFTKIT_AUTH", "mtls"}});
  EXPECT_THAT(result.errors,
              ElementsAre("WEFTKIT_AUTH=mtls needs WEFTKIT_MTLS_CA (the CA that issues client certificates)",
                          "WEFTKIT_AUTH=mtls needs WEFTKIT_TLS_CERT (the server's certificate)",
                          "WEFTKIT_AUTH=mtls needs WEFTKIT_TLS_KEY (the server's private key)"));
}

TEST(ConfigModes, TlsCertificateAndKeyGoTogether) {
  ConfigResult result = load_config({{"WEFTKIT_TLS_CERT", "/tls/server.crt"}, {"WEFTKIT_TLS_CA", "/tls/ca.crt"}});
  EXPECT_THAT(result.errors, ElementsAre("WEFTKIT_TLS_CERT and WEFTKIT_TLS_KEY go together: set both or neither"));
  ConfigResult ca_alone = load_config({{"WEFTKIT_TLS_CA", "/tls/ca.crt"}});
  EXPECT_THAT(ca_alone.errors, ElementsAre("WEFTKIT_TLS_CA needs WEFTKIT_TLS_CERT and WEFTKIT_TLS_KEY (it verifies "
                                           "clients of a TLS server)"));
}

TEST(ConfigModes, EachKeyProviderNeedsItsOwnVariables) {
  EXPECT_THAT(load_config({{"WEFTKIT_ENCRYPTION", "aes-256-gcm"}}).errors,
              ElementsAre("WEFTKIT_KEY_PROVIDER=env needs WEFTKIT_KEY (the base64 master key)"));
  EXPECT_THAT(load_config({{"WEFTKIT_ENCRYPTION", "aes-256-gcm"}, {"WEFTKIT_KEY_PROVIDER", "vault"}}).errors,
              ElementsAre("WEFTKIT_KEY_PROVIDER=vault needs WEFTKIT_VAULT_ADDR (the Vault server's address)",
                          "WEFTKIT_KEY_PROVIDER=vault needs WEFTKIT_VAULT_TOKEN (a Vault token)",
                          "WEFTKIT_KEY_PROVIDER=vault needs WEFTKIT_VAULT_TRANSIT_KEY (the transit key's name)"));
  EXPECT_THAT(load_config({{"WEFTKIT_ENCRYPTION", "aes-256-gcm"}, {"WEFTKIT_KEY_PROVIDER", "kms"}}).errors,
              ElementsAre("WEFTKIT_KEY_PROVIDER=kms needs WEFTKIT_KMS_REGION (the AWS region)",
                          "WEFTKIT_KEY_PROVIDER=kms needs WEFTKIT_KMS_KEY_ARN (the KMS key's ARN)",
                          "WEFTKIT_KEY_PROVIDER=kms needs WEFTKIT_KMS_HMAC_KEY_ARN (the ARN of the HMAC_256 key that "
                          "authenticates keyrings)",
                          "WEFTKIT_KEY_PROVIDER=kms needs AWS_ACCESS_KEY_ID (the AWS access key id)",
                          "WEFTKIT_KEY_PROVIDER=kms needs AWS_SECRET_ACCESS_KEY (the AWS secret access key)"));
  EXPECT_THAT(load_config({{"WEFTKIT_ENCRYPTION", "aes-256-gcm"}, {"WEFTKIT_KEY_PROVIDER", "gcp-kms"}}).errors,
              ElementsAre("WEFTKIT_KEY_PROVIDER=gcp-kms needs WEFTKIT_GCP_KMS_KEY (the Cloud KMS key's resource name)",
                          "WEFTKIT_KEY_PROVIDER=gcp-kms needs WEFTKIT_GCP_KMS_MAC_KEY (the HMAC_SHA256 key version "
                          "that authenticates keyrings)",
                          "WEFTKIT_KEY_PROVIDER=gcp-kms needs WEFTKIT_GCP_ACCESS_TOKEN (an OAuth access token) or "
                          "GOOGLE_APPLICATION_CREDENTIALS (a service-account key file)"));
}

TEST(ConfigModes, VaultResolvesWithItsDefaultMount) {
  ConfigResult result = load_config({{"WEFTKIT_ENCRYPTION", "aes-256-gcm"},
                                     {"WEFTKIT_KEY_PROVIDER", "vault"},
                                     {"WEFTKIT_VAULT_ADDR", "https://vault:8200"},
                                     {"WEFTKIT_VAULT_TOKEN", "s.abcdef"},
                                     {"WEFTKIT_VAULT_TRANSIT_KEY", "weftkit"}});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.config->encryption.key_provider, KeyProvider::kVault);
  EXPECT_EQ(result.config->encryption.vault_mount, "transit");
  EXPECT_EQ(result.config->encryption.vault_token->reveal(), "s.abcdef");
}

TEST(ConfigModes, AuditOnNeedsAnOutput) {
  EXPECT_THAT(load_config({{"WEFTKIT_AUDIT", "true"}}).errors,
              ElementsAre("WEFTKIT_AUDIT=true needs WEFTKIT_AUDIT_OUTPUT (the audit log file)"));
}

TEST(ConfigModes, VariablesOfAnotherModeAreWarnedAboutNotRefused) {
  ConfigResult result = load_config({{"WEFTKIT_AUTH", "password"},
                                     {"WEFTKIT_AUTH_USERS_FILE", "/u"},
                                     {"WEFTKIT_JWT_ISSUER", "https://idp"},
                                     {"WEFTKIT_KEY_PROVIDER", "kms"}});
  ASSERT_TRUE(result.ok());
  EXPECT_THAT(result.warnings,
              ElementsAre("WEFTKIT_JWT_ISSUER is set but not used: WEFTKIT_AUTH is not jwt",
                          "WEFTKIT_KEY_PROVIDER is set but not used: WEFTKIT_ENCRYPTION is none"));
}

TEST(ConfigModes, NothingSetIsAValidConfigurationWithoutABackend) {
  ConfigResult result = load_config({});
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(result.config->auth.mode.has_value());
  EXPECT_EQ(result.config->encryption.encryption, Encryption::kNone);
  EXPECT_FALSE(result.config->audit.enabled);
}

}  // namespace
}  // namespace weftkit::config
