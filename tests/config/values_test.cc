// Bad values name the variable, the value (never a secret's) and what is allowed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "weftkit/config.h"

namespace weftkit::config {
namespace {

using ::testing::ElementsAre;

// 32 bytes 0x00..0x1f, base64.
constexpr const char* kKeyBase64 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

TEST(ConfigValues, UnknownChoiceListsTheAllowedOnesAndTheClosest) {
  ConfigResult result = load_config({{"WEFTKIT_AUTH", "passwd"}});
  EXPECT_THAT(result.errors, ElementsAre("WEFTKIT_AUTH=\"passwd\" is not allowed: expected password, jwt or mtls "
                                         "(did you mean \"password\"?)"));
}

TEST(ConfigValues, ChoicesAreCaseSensitive) {
  ConfigResult result = load_config({{"WEFTKIT_KEY_PROVIDER", "Vault"}});
  EXPECT_THAT(result.errors, ElementsAre("WEFTKIT_KEY_PROVIDER=\"Vault\" is not allowed: expected env, vault, kms "
                                         "or gcp-kms (did you mean \"vault\"?)"));
}

TEST(ConfigValues, EmptyValueIsAnError) {
  ConfigResult result = load_config({{"WEFTKIT_DATA_DIR", ""}});
  EXPECT_THAT(result.errors, ElementsAre("WEFTKIT_DATA_DIR is set but empty: give it a value or unset it"));
}

TEST(ConfigValues, SecretValueIsNeverQuoted) {
  ConfigResult result = load_config({{"WEFTKIT_ENCRYPTION", "aes-256-gcm"}, {"WEFTKIT_KEY", "hunter2-not-base64"}});
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0], "WEFTKIT_KEY (value not shown) is not allowed: expected the base64 of exactly 32 bytes "
                              "(an AES-256 key); found 18 characters that are not padded base64");
  EXPECT_EQ(result.errors[0].find("hunter2"), std::string::npos);
}

TEST(ConfigValues, WhitespaceInTheKeyIsIgnored) {
  // As `base64` prints a key: wrapped, with a final newline.
  std::string wrapped = std::string(kKeyBase64).insert(20, "\n ") + "\n";
  ConfigResult result = load_config({{"WEFTKIT_ENCRYPTION", "aes-256-gcm"}, {"WEFTKIT_KEY", wrapped}});
  ASSERT_TRUE(result.ok()) << result.errors[0];
  EXPECT_EQ(result.config->encryption.key->reveal().size(), 32u);
}

TEST(ConfigValues, KeyMustDecodeToExactly32Bytes) {
  ConfigResult short_key = load_config({{"WEFTKIT_ENCRYPTION", "aes-256-gcm"}, {"WEFTKIT_KEY", "AAECAwQFBgcICQoLDA0ODw=="}});
  ASSERT_EQ(short_key.errors.size(), 1u);
  EXPECT_TRUE(short_key.errors[0].ends_with("; found the base64 of 16 bytes")) << short_key.errors[0];
  ConfigResult good = load_config({{"WEFTKIT_ENCRYPTION", "aes-256-gcm"}, {"WEFTKIT_KEY", kKeyBase64}});
  ASSERT_TRUE(good.ok()) << good.errors[0];
  ASSERT_TRUE(good.config->encryption.key.has_value());
  std::string expected;
  for (int i = 0; i < 32; ++i) expected.push_back(static_cast<char>(i));
  EXPECT_EQ(good.config->encryption.key->reveal(), expected);
}

TEST(ConfigValues, KeyBase64IsStrict) {
  // The URL alphabet and missing padding are refused, not repaired (whitespace is skipped: the
  // test above).
  for (const char* text : {"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8", " AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",
                           "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh-="}) {
    ConfigResult result = load_config({{"WEFTKIT_ENCRYPTION", "aes-256-gcm"}, {"WEFTKIT_KEY", text}});
    EXPECT_EQ(result.errors.size(), 1u) << text;
  }
}

TEST(ConfigValues, JwtSecretShorterThan32BytesIsRefusedWithoutQuotingIt) {
  ConfigResult result = load_config({{"WEFTKIT_AUTH", "jwt"}, {"WEFTKIT_JWT_SECRET", "short-secret"}});
  EXPECT_THAT(result.errors,
              ElementsAre("WEFTKIT_JWT_SECRET (value not shown) is not allowed: expected at least 32 bytes"));
  ConfigResult good = load_config({{"WEFTKIT_AUTH", "jwt"}, {"WEFTKIT_JWT_SECRET", std::string(32, 'k')}});
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(good.config->auth.jwt_secret->reveal(), std::string(32, 'k'));
}

TEST(ConfigValues, JwksUriMustBeHttpsOrFile) {
  ConfigResult result = load_config({{"WEFTKIT_AUTH", "jwt"}, {"WEFTKIT_JWT_JWKS_URI", "http://idp/jwks.json"}});
  EXPECT_THAT(result.errors, ElementsAre("WEFTKIT_JWT_JWKS_URI=\"http://idp/jwks.json\" is not allowed: expected "
                                         "https://HOST/PATH or file:///ABSOLUTE/PATH"));
  EXPECT_TRUE(load_config({{"WEFTKIT_AUTH", "jwt"}, {"WEFTKIT_JWT_JWKS_URI", "file:///etc/jwks.json"}}).ok());
  EXPECT_TRUE(load_config({{"WEFTKIT_AUTH", "jwt"}, {"WEFTKIT_JWT_JWKS_URI", "https://idp/jwks.json"}}).ok());
}

TEST(ConfigValues, LeewayIsAWholeNumberOfSecondsUpToAnHour) {
  for (const char* text : {"-1", "3601", "1.5", "60s", " 60"}) {
    ConfigResult result = load_config({{"WEFTKIT_AUTH", "jwt"}, {"WEFTKIT_JWT_JWKS_URI", "file:///j"}, {"WEFTKIT_JWT_LEEWAY", text}});
    ASSERT_EQ(result.errors.size(), 1u) << text;
    EXPECT_EQ(result.errors[0], "WEFTKIT_JWT_LEEWAY=\"" + std::string(text) +
                                    "\" is not allowed: expected a whole number from 0 to 3600");
  }
  ConfigResult result = load_config({{"WEFTKIT_AUTH", "jwt"}, {"WEFTKIT_JWT_JWKS_URI", "file:///j"}, {"WEFTKIT_JWT_LEEWAY", "0"}});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.config->auth.jwt_leeway_seconds, 0);
}

TEST(ConfigValues, AuditEventsAreAKnownCommaList) {
  ConfigResult result = load_config({{"WEFTKIT_AUDIT", "true"},
                                     {"WEFTKIT_AUDIT_OUTPUT", "/var/log/audit.jsonl"},
                                     {"WEFTKIT_AUDIT_EVENTS", "auth, authz_deny,schema_change ,data_export"}});
  ASSERT_TRUE(result.ok());
  EXPECT_THAT(result.config->audit.events, ElementsAre(AuditEvent::kAuth, AuditEvent::kAuthzDeny,
                                                       AuditEvent::kSchemaChange, AuditEvent::kDataExport));

  ConfigResult bad = load_config({{"WEFTKIT_AUDIT", "true"},
                                  {"WEFTKIT_AUDIT_OUTPUT", "/var/log/audit.jsonl"},
                                  {"WEFTKIT_AUDIT_EVENTS", "auth,authz_denied,,key_rotation"}});
  EXPECT_THAT(bad.errors,
              ElementsAre("WEFTKIT_AUDIT_EVENTS=\"auth,authz_denied,,key_rotation\" is not allowed: \"authz_denied\" "
                          "is not an event; expected a comma-separated list of auth, authz_deny, authz_allow, "
                          "schema_change, data_export, policy_reload, key_rotation, tenant_violation "
                          "(did you mean \"authz_deny\"?)",
                          "WEFTKIT_AUDIT_EVENTS=\"auth,authz_denied,,key_rotation\" is not allowed: an empty item; "
                          "expected a comma-separated list of auth, authz_deny, authz_allow, schema_change, "
                          "data_export, policy_reload, key_rotation, tenant_violation"));
}

TEST(ConfigValues, AuditDefaultsToEveryEventButAllowedChecks) {
  ConfigResult result = load_config({{"WEFTKIT_AUDIT", "true"}, {"WEFTKIT_AUDIT_OUTPUT", "/var/log/a.jsonl"}});
  ASSERT_TRUE(result.ok());
  EXPECT_THAT(result.config->audit.events,
              ElementsAre(AuditEvent::kAuth, AuditEvent::kAuthzDeny, AuditEvent::kSchemaChange, AuditEvent::kDataExport,
                          AuditEvent::kPolicyReload, AuditEvent::kKeyRotation, AuditEvent::kTenantViolation));
  EXPECT_EQ(result.config->audit.fsync, AuditFsync::kInterval);
  EXPECT_EQ(result.config->audit.overflow, AuditOverflow::kBlock);
}

TEST(ConfigValues, AuditMaxBytesTakesBinarySuffixes) {
  auto max_bytes = [](const char* text) {
    ConfigResult result = load_config(
        {{"WEFTKIT_AUDIT", "true"}, {"WEFTKIT_AUDIT_OUTPUT", "/a"}, {"WEFTKIT_AUDIT_MAX_BYTES", text}});
    return result.ok() ? std::optional<uint64_t>(result.config->audit.max_bytes) : std::nullopt;
  };
  EXPECT_EQ(max_bytes("4096"), 4096u);
  EXPECT_EQ(max_bytes("64K"), 65536u);
  EXPECT_EQ(max_bytes("100M"), 104857600u);
  EXPECT_EQ(max_bytes("2G"), 2147483648u);
  EXPECT_EQ(max_bytes("4095"), std::nullopt);
  EXPECT_EQ(max_bytes("10MB"), std::nullopt);
  EXPECT_EQ(max_bytes("K"), std::nullopt);
  EXPECT_EQ(max_bytes("999999999999G"), std::nullopt);  // beyond 64 bits
}

TEST(ConfigValues, KmsKeyArnAndGcpKeyNameAreChecked) {
  ConfigResult result = load_config({{"WEFTKIT_ENCRYPTION", "aes-256-gcm"},
                                     {"WEFTKIT_KEY_PROVIDER", "kms"},
                                     {"WEFTKIT_KMS_REGION", "eu-west-1"},
                                     {"WEFTKIT_KMS_KEY_ARN", "arn:aws:s3:eu-west-1:123456789012:key/abc"},
                                     {"WEFTKIT_KMS_HMAC_KEY_ARN", "arn:aws:kms:eu-west-1:123456789012:key/hmac-1"},
                                     {"AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"},
                                     {"AWS_SECRET_ACCESS_KEY", "secret"}});
  EXPECT_THAT(result.errors, ElementsAre("WEFTKIT_KMS_KEY_ARN=\"arn:aws:s3:eu-west-1:123456789012:key/abc\" is not "
                                         "allowed: expected arn:aws:kms:REGION:ACCOUNT:key/KEY_ID"));
  ConfigResult kms = load_config({{"WEFTKIT_ENCRYPTION", "aes-256-gcm"},
                                  {"WEFTKIT_KEY_PROVIDER", "kms"},
                                  {"WEFTKIT_KMS_REGION", "eu-west-1"},
                                  {"WEFTKIT_KMS_KEY_ARN", "arn:aws:kms:eu-west-1:123456789012:key/1234abcd"},
                                  {"WEFTKIT_KMS_HMAC_KEY_ARN", "arn:aws:kms:eu-west-1:123456789012:key/hmac-1"},
                                  {"AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"},
                                  {"AWS_SECRET_ACCESS_KEY", "secret"}});
  EXPECT_TRUE(kms.ok()) << (kms.errors.empty() ? "" : kms.errors[0]);
  ConfigResult hmac = load_config({{"WEFTKIT_KMS_HMAC_KEY_ARN", "arn:aws:kms:eu-west-1:123456789012:key/"}});
  EXPECT_THAT(hmac.errors, ElementsAre("WEFTKIT_KMS_HMAC_KEY_ARN=\"arn:aws:kms:eu-west-1:123456789012:key/\" is not "
                                       "allowed: expected arn:aws:kms:REGION:ACCOUNT:key/KEY_ID of an HMAC_256 key"));
  ConfigResult gcp = load_config({{"WEFTKIT_ENCRYPTION", "aes-256-gcm"},
                                  {"WEFTKIT_KEY_PROVIDER", "gcp-kms"},
                                  {"WEFTKIT_GCP_KMS_KEY", "projects/p/locations/global/keyRings//cryptoKeys/k"},
                                  {"WEFTKIT_GCP_KMS_MAC_KEY", "projects/p/locations/global/keyRings/r/cryptoKeys/m"},
                                  {"GOOGLE_APPLICATION_CREDENTIALS", "/secrets/sa.json"}});
  EXPECT_THAT(gcp.errors, ElementsAre("WEFTKIT_GCP_KMS_KEY=\"projects/p/locations/global/keyRings//cryptoKeys/k\" is "
                                      "not allowed: expected projects/PROJECT/locations/LOCATION/keyRings/RING/"
                                      "cryptoKeys/KEY",
                                      "WEFTKIT_GCP_KMS_MAC_KEY=\"projects/p/locations/global/keyRings/r/cryptoKeys/m\" "
                                      "is not allowed: expected projects/PROJECT/locations/LOCATION/keyRings/RING/"
                                      "cryptoKeys/KEY/cryptoKeyVersions/N of an HMAC_SHA256 key"));
}

TEST(ConfigValues, TenantAttributeIsANameOrADottedOid) {
  auto attribute_ok = [](const char* text) {
    return load_config({{"WEFTKIT_AUTH", "mtls"}, {"WEFTKIT_MTLS_CA", "/ca.pem"}, {"WEFTKIT_TLS_CERT", "/c"},
                        {"WEFTKIT_TLS_KEY", "/k"}, {"WEFTKIT_MTLS_TENANT_ATTRIBUTE", text}})
        .ok();
  };
  EXPECT_TRUE(attribute_ok("OU"));
  EXPECT_TRUE(attribute_ok("2.5.4.10"));
  EXPECT_FALSE(attribute_ok("O=acme"));
  EXPECT_FALSE(attribute_ok("2.5.4."));
}

}  // namespace
}  // namespace weftkit::config
