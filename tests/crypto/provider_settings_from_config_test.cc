// key_provider_settings_from_config: WEFTKIT_KEY reaches the env provider as the same master
// key, each remote provider's variables (credentials included) reach it, and a remote provider
// keeps its name (never silently becomes env).
#include <gtest/gtest.h>

#include <weftkit/config.h>
#include <weftkit/crypto/env_key_provider.h>
#include <weftkit/crypto/from_config.h>
#include "tests/crypto/fake_gcp_kms.h"
#include "tests/crypto/fake_kms.h"
#include "tests/crypto/fake_vault.h"
#include "tests/crypto/test_support.h"

#include <algorithm>
#include <string>

namespace weftkit::crypto {
namespace {

constexpr const char* kKeyBase64 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

config::EncryptionConfig loaded(const config::EnvironmentMap& environment) {
  config::ConfigResult result = config::load_config(environment);
  EXPECT_TRUE(result.ok()) << (result.errors.empty() ? "" : result.errors[0]);
  return result.ok() ? result.config->encryption : config::EncryptionConfig{};
}

TEST(ProviderSettingsFromConfig, EnvProviderWrapsWithTheConfiguredMasterKey) {
  KeyProviderSettings settings = key_provider_settings_from_config(
      loaded({{"WEFTKIT_ENCRYPTION", "aes-256-gcm"}, {"WEFTKIT_KEY", kKeyBase64}}));
  EXPECT_EQ(settings.provider, "env");
  Result<std::shared_ptr<KeyProvider>> from_config = make_key_provider(settings);
  Result<std::shared_ptr<KeyProvider>> direct = make_env_key_provider(kKeyBase64);
  ASSERT_TRUE(from_config.ok()) << from_config.error().to_string();
  ASSERT_TRUE(direct.ok());
  // Same master key: a data key wrapped by one unwraps with the other.
  Result<SecretKey> data_key = SecretKey::random();
  ASSERT_TRUE(data_key.ok());
  KeyContext context{"tenant-a", 1};
  auto wrapped = from_config.value()->wrap_data_key(context, data_key.value());
  ASSERT_TRUE(wrapped.ok());
  auto unwrapped = direct.value()->unwrap_data_key(context, wrapped.value());
  ASSERT_TRUE(unwrapped.ok()) << unwrapped.error().to_string();
  EXPECT_TRUE(std::equal(unwrapped.value().bytes().begin(), unwrapped.value().bytes().end(),
                         data_key.value().bytes().begin()));
}

TEST(ProviderSettingsFromConfig, EnvProviderWithoutKeyIsAnInvalidMasterKey) {
  KeyProviderSettings settings = key_provider_settings_from_config(loaded({}));
  Result<std::shared_ptr<KeyProvider>> provider = make_key_provider(settings);
  ASSERT_FALSE(provider.ok());
  EXPECT_EQ(provider.code(), ErrorCode::kInvalidMasterKey);
}

TEST(ProviderSettingsFromConfig, RemoteProvidersAreNeverReplacedByEnv) {
  for (const char* name : {"vault", "kms", "gcp-kms"}) {
    config::EncryptionConfig encryption;
    encryption.key_provider = name == std::string("vault") ? config::KeyProvider::kVault
                              : name == std::string("kms") ? config::KeyProvider::kKms
                                                           : config::KeyProvider::kGcpKms;
    KeyProviderSettings settings = key_provider_settings_from_config(encryption);
    EXPECT_EQ(settings.provider, name);
    // Without its settings: refused as the provider's own error, never answered by another
    // provider.
    Result<std::shared_ptr<KeyProvider>> provider = make_key_provider(settings);
    ASSERT_FALSE(provider.ok()) << name;
    EXPECT_EQ(provider.code(), ErrorCode::kKeyProviderError) << name;
  }
}

// The WEFTKIT_VAULT_* variables reach the Vault provider: a data key wrapped through the
// configured transit key (with the configured mount, namespace and token) unwraps again.
TEST(ProviderSettingsFromConfig, VaultVariablesReachTheVaultProvider) {
  testing::FakeVault vault(testing::FakeVaultSettings{.token = "hvs.config-token-0123456789",
                                                      .mount = "keys",
                                                      .key = "engine",
                                                      .namespace_name = "team-a"});
  KeyProviderSettings settings = key_provider_settings_from_config(loaded({{"WEFTKIT_ENCRYPTION", "aes-256-gcm"},
                                                                          {"WEFTKIT_KEY_PROVIDER", "vault"},
                                                                          {"WEFTKIT_VAULT_ADDR", vault.url()},
                                                                          {"WEFTKIT_VAULT_TOKEN", "hvs.config-token-0123456789"},
                                                                          {"WEFTKIT_VAULT_TRANSIT_KEY", "engine"},
                                                                          {"WEFTKIT_VAULT_MOUNT", "keys"},
                                                                          {"WEFTKIT_VAULT_NAMESPACE", "team-a"}}));
  Result<std::shared_ptr<KeyProvider>> provider = make_key_provider(settings);
  ASSERT_TRUE(provider.ok()) << provider.error().to_string();
  EXPECT_EQ(provider.value()->kind(), "vault");
  Result<SecretKey> data_key = SecretKey::random();
  ASSERT_TRUE(data_key.ok());
  KeyContext context{"tenant-a", 1};
  auto wrapped = provider.value()->wrap_data_key(context, data_key.value());
  ASSERT_TRUE(wrapped.ok()) << wrapped.error().to_string();
  auto unwrapped = provider.value()->unwrap_data_key(context, wrapped.value());
  ASSERT_TRUE(unwrapped.ok()) << unwrapped.error().to_string();
  EXPECT_TRUE(std::equal(unwrapped.value().bytes().begin(), unwrapped.value().bytes().end(),
                         data_key.value().bytes().begin()));
  EXPECT_EQ(vault.last_request().target, "/v1/keys/decrypt/engine");
}

// A data key wrapped and unwrapped through the provider the configuration names.
void expect_round_trip(const KeyProviderSettings& settings, std::string_view kind) {
  Result<std::shared_ptr<KeyProvider>> provider = make_key_provider(settings);
  ASSERT_TRUE(provider.ok()) << provider.error().to_string();
  EXPECT_EQ(provider.value()->kind(), kind);
  Result<SecretKey> data_key = SecretKey::random();
  ASSERT_TRUE(data_key.ok());
  auto wrapped = provider.value()->wrap_data_key({"tenant-a", 1}, data_key.value());
  ASSERT_TRUE(wrapped.ok()) << wrapped.error().to_string();
  auto unwrapped = provider.value()->unwrap_data_key({"tenant-a", 1}, wrapped.value());
  ASSERT_TRUE(unwrapped.ok()) << unwrapped.error().to_string();
  EXPECT_TRUE(std::equal(unwrapped.value().bytes().begin(), unwrapped.value().bytes().end(),
                         data_key.value().bytes().begin()));
  ASSERT_TRUE(provider.value()->keyring_auth_key(testing::random_bytes(16)).ok());
}

// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN reach the kms provider: the
// fake verifies every signature with them and requires the session token, signed.
TEST(ProviderSettingsFromConfig, KmsVariablesAndAwsCredentialsReachTheKmsProvider) {
  testing::FakeKmsSettings fake;
  fake.session_token = "IQoJb3JpZ2luX2VjEXAMPLE-config-session";
  testing::FakeKms kms(fake);
  KeyProviderSettings settings = key_provider_settings_from_config(loaded({{"WEFTKIT_ENCRYPTION", "aes-256-gcm"},
                                                                          {"WEFTKIT_KEY_PROVIDER", "kms"},
                                                                          {"WEFTKIT_KMS_REGION", fake.region},
                                                                          {"WEFTKIT_KMS_KEY_ARN", fake.key_arn},
                                                                          {"WEFTKIT_KMS_HMAC_KEY_ARN", fake.hmac_key_arn},
                                                                          {"WEFTKIT_KMS_ENDPOINT", kms.url()},
                                                                          {"AWS_ACCESS_KEY_ID", fake.access_key_id},
                                                                          {"AWS_SECRET_ACCESS_KEY", fake.secret_access_key},
                                                                          {"AWS_SESSION_TOKEN", fake.session_token}}));
  expect_round_trip(settings, "kms");
}

TEST(ProviderSettingsFromConfig, GcpVariablesReachTheGcpKmsProvider) {
  testing::FakeGcpKms kms;
  KeyProviderSettings settings =
      key_provider_settings_from_config(loaded({{"WEFTKIT_ENCRYPTION", "aes-256-gcm"},
                                                {"WEFTKIT_KEY_PROVIDER", "gcp-kms"},
                                                {"WEFTKIT_GCP_KMS_KEY", kms.settings().key},
                                                {"WEFTKIT_GCP_KMS_MAC_KEY", kms.settings().mac_key_version},
                                                {"WEFTKIT_GCP_KMS_ENDPOINT", kms.url()},
                                                {"WEFTKIT_GCP_ACCESS_TOKEN", kms.settings().fixed_token}}));
  expect_round_trip(settings, "gcp-kms");
  EXPECT_EQ(kms.tokens_issued(), 0);

  // Without a fixed token, GOOGLE_APPLICATION_CREDENTIALS's service account gets one.
  testing::TempDir dir;
  kms.write_service_account(dir.file("sa.json"));
  KeyProviderSettings account =
      key_provider_settings_from_config(loaded({{"WEFTKIT_ENCRYPTION", "aes-256-gcm"},
                                                {"WEFTKIT_KEY_PROVIDER", "gcp-kms"},
                                                {"WEFTKIT_GCP_KMS_KEY", kms.settings().key},
                                                {"WEFTKIT_GCP_KMS_MAC_KEY", kms.settings().mac_key_version},
                                                {"WEFTKIT_GCP_KMS_ENDPOINT", kms.url()},
                                                {"GOOGLE_APPLICATION_CREDENTIALS", dir.file("sa.json")}}));
  expect_round_trip(account, "gcp-kms");
  EXPECT_EQ(kms.tokens_issued(), 1);
}

}  // namespace
}  // namespace weftkit::crypto
