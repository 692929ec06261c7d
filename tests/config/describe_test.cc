// describe() prints what the engine will use: values, defaults marked, secrets as <set>.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "weftkit/config.h"

namespace weftkit::config {
namespace {

TEST(ConfigDescribe, PrintsEveryVariableWithSecretsHidden) {
  ConfigResult result = load_config({{"WEFTKIT_AUTH", "jwt"},
                                     {"WEFTKIT_JWT_JWKS_URI", "https://idp/jwks.json"},
                                     {"WEFTKIT_JWT_SECRET", "0123456789abcdef0123456789abcdef-hs256"},
                                     {"WEFTKIT_ENCRYPTION", "aes-256-gcm"},
                                     {"WEFTKIT_KEY", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="},
                                     {"WEFTKIT_DATA_DIR", "/var/lib/weftkit"}});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(describe(*result.config),
            "WEFTKIT_AUTH=jwt\n"
            "WEFTKIT_AUTH_USERS_FILE (not set)\n"
            "WEFTKIT_JWT_JWKS_URI=https://idp/jwks.json\n"
            "WEFTKIT_JWT_ISSUER (not set)\n"
            "WEFTKIT_JWT_AUDIENCE (not set)\n"
            "WEFTKIT_JWT_LEEWAY=60 (default)\n"
            "WEFTKIT_JWT_ROLES_CLAIM=roles (default)\n"
            "WEFTKIT_JWT_CA (not set: the system's CA certificates)\n"
            "WEFTKIT_JWT_SECRET=<set>\n"
            "WEFTKIT_MTLS_CA (not set)\n"
            "WEFTKIT_MTLS_CRL (not set)\n"
            "WEFTKIT_MTLS_TENANT_ATTRIBUTE=O (default)\n"
            "WEFTKIT_TLS_CERT (not set)\n"
            "WEFTKIT_TLS_KEY (not set)\n"
            "WEFTKIT_TLS_CA (not set)\n"
            "WEFTKIT_ENCRYPTION=aes-256-gcm\n"
            "WEFTKIT_KEY_PROVIDER=env (default)\n"
            "WEFTKIT_KEY=<set>\n"
            "WEFTKIT_VAULT_ADDR (not set)\n"
            "WEFTKIT_VAULT_TOKEN (not set)\n"
            "WEFTKIT_VAULT_TRANSIT_KEY (not set)\n"
            "WEFTKIT_VAULT_MOUNT=transit (default)\n"
            "WEFTKIT_VAULT_NAMESPACE (not set)\n"
            "WEFTKIT_KMS_REGION (not set)\n"
            "WEFTKIT_KMS_KEY_ARN (not set)\n"
            "WEFTKIT_KMS_HMAC_KEY_ARN (not set)\n"
            "WEFTKIT_KMS_ENDPOINT (not set)\n"
            "WEFTKIT_GCP_KMS_KEY (not set)\n"
            "WEFTKIT_GCP_KMS_MAC_KEY (not set)\n"
            "WEFTKIT_GCP_KMS_ENDPOINT (not set)\n"
            "WEFTKIT_GCP_ACCESS_TOKEN (not set)\n"
            "AWS_ACCESS_KEY_ID (not set)\n"
            "AWS_SECRET_ACCESS_KEY (not set)\n"
            "AWS_SESSION_TOKEN (not set)\n"
            "GOOGLE_APPLICATION_CREDENTIALS (not set)\n"
            "WEFTKIT_PROVIDER_CA_FILE (not set)\n"
            "WEFTKIT_AUDIT=false (default)\n"
            "WEFTKIT_AUDIT_OUTPUT (not set)\n"
            "WEFTKIT_AUDIT_EVENTS=auth,authz_deny,schema_change,data_export,policy_reload,key_rotation,tenant_violation\n"
            "WEFTKIT_AUDIT_HMAC_KEY (not set)\n"
            "WEFTKIT_AUDIT_MAX_BYTES=104857600 (default)\n"
            "WEFTKIT_AUDIT_OVERFLOW=block (default)\n"
            "WEFTKIT_AUDIT_FSYNC=interval (default)\n"
            "WEFTKIT_POLICY_PUBLIC_KEY (not set)\n"
            "WEFTKIT_DATA_DIR=/var/lib/weftkit\n");
}

TEST(ConfigDescribe, NamesEveryKnownVariableInOrder) {
  ConfigResult result = load_config({});
  ASSERT_TRUE(result.ok());
  const std::string text = describe(*result.config);
  size_t position = 0;
  for (std::string_view name : known_variables()) {
    const size_t found = text.find(std::string(name) + (name == "WEFTKIT_AUTH" ? " " : ""), position);
    ASSERT_NE(found, std::string::npos) << name;
    position = found;
  }
  EXPECT_EQ(known_variables().size(), 45u);
}

TEST(ConfigDescribe, NoSecretValueAppearsAnywhere) {
  ConfigResult result = load_config({{"WEFTKIT_ENCRYPTION", "aes-256-gcm"},
                                     {"WEFTKIT_KEY_PROVIDER", "gcp-kms"},
                                     {"WEFTKIT_GCP_KMS_KEY", "projects/p/locations/l/keyRings/r/cryptoKeys/k"},
                                     {"WEFTKIT_GCP_KMS_MAC_KEY", "projects/p/locations/l/keyRings/r/cryptoKeys/m/cryptoKeyVersions/1"},
                                     {"WEFTKIT_GCP_ACCESS_TOKEN", "ya29.very-secret-token"},
                                     {"AWS_SECRET_ACCESS_KEY", "aws-very-secret-access-key"},
                                     {"AWS_SESSION_TOKEN", "aws-very-secret-session"},
                                     {"WEFTKIT_AUDIT", "true"},
                                     {"WEFTKIT_AUDIT_OUTPUT", "/log"},
                                     {"WEFTKIT_AUDIT_HMAC_KEY", "audit-hmac-key-that-is-long-enough-32"}});
  ASSERT_TRUE(result.ok());
  const std::string text = describe(*result.config);
  EXPECT_EQ(text.find("ya29"), std::string::npos);
  EXPECT_EQ(text.find("audit-hmac"), std::string::npos);
  EXPECT_EQ(text.find("aws-very-secret"), std::string::npos);
  EXPECT_NE(text.find("AWS_SECRET_ACCESS_KEY=<set>\n"), std::string::npos);
  EXPECT_NE(text.find("AWS_SESSION_TOKEN=<set>\n"), std::string::npos);
  EXPECT_NE(text.find("WEFTKIT_GCP_ACCESS_TOKEN=<set>\n"), std::string::npos);
  EXPECT_NE(text.find("WEFTKIT_AUDIT_HMAC_KEY=<set>\n"), std::string::npos);
}

}  // namespace
}  // namespace weftkit::config
