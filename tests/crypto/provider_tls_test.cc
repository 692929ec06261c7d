// The remote providers over https on loopback, against fakes holding certificates of the test
// PKI (tests/auth/test_pki.h, real openssl): with the test CA as the provider's CA file
// (WEFTKIT_PROVIDER_CA_FILE) a keyring is made and reopened through the provider (Vault; AWS
// KMS and Cloud KMS make one); a server whose
// certificate another CA signed, or one made out for another host name, is refused before any
// request reaches it, with a message that says why and carries no secret.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include <weftkit/config.h>
#include <weftkit/crypto/from_config.h>
#include <weftkit/crypto/key_provider.h>
#include <weftkit/crypto/keyring.h>
#include <weftkit/crypto/page_cipher.h>

#include "tests/auth/test_pki.h"
#include "tests/crypto/fake_gcp_kms.h"
#include "tests/crypto/fake_kms.h"
#include "tests/crypto/fake_vault.h"
#include "tests/crypto/test_support.h"

namespace weftkit::crypto {
namespace {

using testing::FakeTls;
using testing::FakeVault;
using testing::FakeVaultSettings;

// One PKI for the whole suite: making it runs openssl a few dozen times.
class ProviderTls : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pki_ = new auth::testing::TestPki();
    // A certificate the test root signed, but for vault.example only: right CA, wrong host.
    const std::string dir = pki_->directory;
    auth::testing::write_text(dir + "/other_host.ext",
                              "subjectAltName = DNS:vault.example\nextendedKeyUsage = serverAuth\n");
    auto request = auth::testing::run_child(
        {"openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
         dir + "/other_host.key", "-out", dir + "/other_host.csr", "-subj", "/CN=vault.example"},
        dir);
    auto signing = auth::testing::run_child(
        {"openssl", "x509", "-req", "-in", dir + "/other_host.csr", "-CA", pki_->root_ca, "-CAkey",
         dir + "/root/ca.key", "-CAcreateserial", "-days", "30", "-extfile", dir + "/other_host.ext", "-out",
         dir + "/other_host.crt"},
        dir);
    ASSERT_EQ(request.exit_code, 0) << request.output;
    ASSERT_EQ(signing.exit_code, 0) << signing.output;
  }
  static void TearDownTestSuite() {
    delete pki_;
    pki_ = nullptr;
  }

  static FakeVaultSettings vault_with(const std::string& certificate, const std::string& key) {
    FakeVaultSettings settings;
    settings.tls = FakeTls{certificate, key};
    return settings;
  }
  static FakeVaultSettings trusted_vault() { return vault_with(pki_->server_certificate, pki_->server_key); }

  static KeyProviderSettings settings_for(const FakeVault& vault, const std::string& ca_file) {
    KeyProviderSettings settings;
    settings.provider = "vault";
    settings.vault_addr = vault.url();
    settings.vault_token = vault.settings().token;
    settings.vault_transit_key = vault.settings().key;
    settings.remote.ca_file = ca_file;
    settings.remote.connect_timeout_ms = 1000;
    settings.remote.attempt_timeout_ms = 2000;
    settings.remote.first_backoff_ms = 10;
    return settings;
  }

  // What creating a keyring through this provider gives: "ok" or the error.
  std::string create_keyring(const KeyProviderSettings& settings) {
    auto provider = make_key_provider(settings);
    if (!provider.ok()) return provider.error().to_string();
    KeyringSettings keyring_settings;
    keyring_settings.path = dir_.file("keyring");
    auto keyring = Keyring::create(keyring_settings, provider.value());
    return keyring.ok() ? "ok" : keyring.error().to_string();
  }

  static void expect_refused(const std::string& outcome, const std::string& why, const FakeVault& vault) {
    EXPECT_TRUE(outcome.starts_with("key_provider_error: vault:")) << outcome;
    EXPECT_NE(outcome.find(why), std::string::npos) << outcome;
    EXPECT_EQ(outcome.find(vault.settings().token), std::string::npos) << outcome;
    EXPECT_EQ(outcome.find("X-Vault-Token"), std::string::npos) << outcome;
    EXPECT_EQ(vault.requests(), 0) << "no request may reach a server that failed verification";
  }

  static auth::testing::TestPki* pki_;
  testing::TempDir dir_;
};

auth::testing::TestPki* ProviderTls::pki_ = nullptr;

TEST_F(ProviderTls, VaultWithTheTestCaConfiguredMakesAndReopensAKeyring) {
  FakeVault vault(trusted_vault());
  ASSERT_TRUE(vault.url().starts_with("https://127.0.0.1:"));
  const KeyProviderSettings settings = settings_for(vault, pki_->root_ca);
  ASSERT_EQ(create_keyring(settings), "ok");
  auto provider = make_key_provider(settings);
  ASSERT_TRUE(provider.ok());
  KeyringSettings keyring_settings;
  keyring_settings.path = dir_.file("keyring");
  auto keyring = Keyring::open(keyring_settings, provider.value());
  ASSERT_TRUE(keyring.ok()) << keyring.error().to_string();
  auto tenant = keyring.value()->add_tenant("tenant-001");
  ASSERT_TRUE(tenant.ok()) << tenant.error().to_string();
  EXPECT_GT(vault.requests(), 0);
  EXPECT_EQ(vault.failed_handshakes(), 0);
}

TEST_F(ProviderTls, VaultWhoseCertificateAnotherCaSignedIsRefused) {
  FakeVault vault(trusted_vault());
  // The client trusts only the other root.
  expect_refused(create_keyring(settings_for(vault, pki_->other_root_ca)), "certificate", vault);
  // Nor does the system's store know the test CA.
  expect_refused(create_keyring(settings_for(vault, "")), "certificate", vault);
  EXPECT_FALSE(std::filesystem::exists(dir_.file("keyring")));
}

TEST_F(ProviderTls, VaultWithACertificateForAnotherHostIsRefused) {
  const std::string dir = pki_->directory;
  FakeVault vault(vault_with(dir + "/other_host.crt", dir + "/other_host.key"));
  expect_refused(create_keyring(settings_for(vault, pki_->root_ca)), "127.0.0.1", vault);
}

TEST_F(ProviderTls, VerificationFailuresAreNotRetried) {
  FakeVault vault(trusted_vault());
  KeyProviderSettings settings = settings_for(vault, pki_->other_root_ca);
  settings.remote.max_attempts = 3;
  expect_refused(create_keyring(settings), "certificate", vault);
  // The server counts the handshake the client abandoned on its own thread: wait for it, then
  // make sure no second attempt follows.
  for (int i = 0; i < 200 && vault.failed_handshakes() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(vault.failed_handshakes(), 1);
}

TEST_F(ProviderTls, CaFileComesFromWeftkitProviderCaFile) {
  FakeVault vault(trusted_vault());
  config::EnvironmentMap environment = {
      {"WEFTKIT_ENCRYPTION", "aes-256-gcm"},       {"WEFTKIT_KEY_PROVIDER", "vault"},
      {"WEFTKIT_VAULT_ADDR", vault.url()},         {"WEFTKIT_VAULT_TOKEN", vault.settings().token},
      {"WEFTKIT_VAULT_TRANSIT_KEY", vault.settings().key}, {"WEFTKIT_PROVIDER_CA_FILE", pki_->root_ca},
  };
  config::ConfigResult loaded = config::load_config(environment);
  ASSERT_TRUE(loaded.ok()) << (loaded.errors.empty() ? "" : loaded.errors.front());
  EXPECT_TRUE(loaded.warnings.empty()) << loaded.warnings.front();
  KeyProviderSettings settings = key_provider_settings_from_config(loaded.config->encryption);
  EXPECT_EQ(settings.remote.ca_file, pki_->root_ca);
  EXPECT_EQ(create_keyring(settings), "ok");
}

TEST_F(ProviderTls, AMissingCaFileIsNamedInTheRefusal) {
  FakeVault vault(trusted_vault());
  const std::string missing = dir_.file("no-such-ca.pem");
  const std::string outcome = create_keyring(settings_for(vault, missing));
  EXPECT_TRUE(outcome.starts_with("key_provider_error: vault:")) << outcome;
  EXPECT_NE(outcome.find("no-such-ca.pem"), std::string::npos) << outcome;
}

// The same client serves kms and gcp-kms: trusted with the test CA, refused under another.
TEST_F(ProviderTls, KmsOverHttpsTrustsOnlyTheConfiguredCa) {
  testing::FakeKmsSettings fake;
  fake.tls = FakeTls{pki_->server_certificate, pki_->server_key};
  testing::FakeKms kms(fake);
  KeyProviderSettings settings;
  settings.provider = "kms";
  settings.kms_region = kms.settings().region;
  settings.kms_key_arn = kms.settings().key_arn;
  settings.kms_hmac_key_arn = kms.settings().hmac_key_arn;
  settings.kms_endpoint = kms.url();
  settings.aws_access_key_id = kms.settings().access_key_id;
  settings.aws_secret_access_key = kms.settings().secret_access_key;
  settings.remote.first_backoff_ms = 10;
  ASSERT_TRUE(kms.url().starts_with("https://"));
  settings.remote.ca_file = pki_->other_root_ca;
  const std::string refused = create_keyring(settings);
  EXPECT_TRUE(refused.starts_with("key_provider_error: kms:")) << refused;
  EXPECT_NE(refused.find("certificate"), std::string::npos) << refused;
  EXPECT_EQ(refused.find(settings.aws_secret_access_key), std::string::npos) << refused;
  EXPECT_EQ(kms.requests(), 0);
  settings.remote.ca_file = pki_->root_ca;
  EXPECT_EQ(create_keyring(settings), "ok");
}

TEST_F(ProviderTls, GcpKmsOverHttpsTrustsOnlyTheConfiguredCa) {
  testing::FakeGcpKmsSettings fake;
  fake.tls = FakeTls{pki_->server_certificate, pki_->server_key};
  testing::FakeGcpKms kms(fake);
  KeyProviderSettings settings;
  settings.provider = "gcp-kms";
  settings.gcp_kms_key = kms.settings().key;
  settings.gcp_kms_mac_key_version = kms.settings().mac_key_version;
  settings.gcp_kms_endpoint = kms.url();
  settings.gcp_access_token = kms.settings().fixed_token;
  settings.remote.first_backoff_ms = 10;
  ASSERT_TRUE(kms.url().starts_with("https://"));
  settings.remote.ca_file = pki_->other_root_ca;
  const std::string refused = create_keyring(settings);
  EXPECT_TRUE(refused.starts_with("key_provider_error: gcp-kms:")) << refused;
  EXPECT_NE(refused.find("certificate"), std::string::npos) << refused;
  EXPECT_EQ(refused.find(settings.gcp_access_token), std::string::npos) << refused;
  EXPECT_EQ(kms.requests(), 0);
  settings.remote.ca_file = pki_->root_ca;
  EXPECT_EQ(create_keyring(settings), "ok");
}

TEST(ProviderCaFileConfig, IsIgnoredWithAWarningForTheEnvProvider) {
  config::EnvironmentMap environment = {
      {"WEFTKIT_ENCRYPTION", "aes-256-gcm"},
      {"WEFTKIT_KEY", testing::master_key_base64(1)},
      {"WEFTKIT_PROVIDER_CA_FILE", "/etc/ssl/private-ca.pem"},
  };
  config::ConfigResult loaded = config::load_config(environment);
  ASSERT_TRUE(loaded.ok());
  ASSERT_EQ(loaded.warnings.size(), 1u);
  EXPECT_NE(loaded.warnings[0].find("WEFTKIT_PROVIDER_CA_FILE"), std::string::npos) << loaded.warnings[0];
}

}  // namespace
}  // namespace weftkit::crypto
