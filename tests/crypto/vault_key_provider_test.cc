// The vault key provider against a loopback fake of Vault's transit engine: keyrings created
// and reopened through it decrypt their pages, a wrapped key is bound to its tenant and
// version, the keyring's authentication key is deterministic per transit key, errors are typed
// and name the HTTP status and Vault's text but never a secret, and the HTTP client retries
// only what is transient, within its time bound. Vault itself is not reachable from the tests.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include <weftkit/crypto/page_cipher.h>
#include <weftkit/crypto/vault_key_provider.h>

#include "crypto/src/base64.h"
#include "tests/crypto/fake_vault.h"
#include "tests/crypto/test_support.h"

namespace weftkit::crypto {
namespace {

using testing::FakeVault;
using testing::FakeRequest;
using testing::FakeVaultSettings;
using testing::TempDir;

KeyProviderSettings settings_for(const FakeVault& vault) {
  KeyProviderSettings settings;
  settings.provider = "vault";
  settings.vault_addr = vault.url();
  settings.vault_token = vault.settings().token;
  settings.vault_transit_key = vault.settings().key;
  settings.vault_mount = vault.settings().mount;
  settings.vault_namespace = vault.settings().namespace_name;
  settings.remote.connect_timeout_ms = 1000;
  settings.remote.attempt_timeout_ms = 2000;
  settings.remote.first_backoff_ms = 10;
  return settings;
}

std::shared_ptr<KeyProvider> provider_for(const FakeVault& vault) {
  auto provider = make_key_provider(settings_for(vault));
  EXPECT_TRUE(provider.ok()) << provider.error().to_string();
  return provider.ok() ? provider.value() : nullptr;
}

SecretKey known_key() { return SecretKey::from_bytes(testing::from_hex(std::string(64, 'a'))).value(); }

// No token, no key bytes in hex or base64, no Authorization header in a message.
void expect_no_secrets(const std::string& message, const std::string& token, const SecretKey& key) {
  const auto bytes = key.bytes();
  EXPECT_EQ(message.find(token), std::string::npos) << message;
  EXPECT_EQ(message.find(testing::to_hex(bytes)), std::string::npos) << message;
  EXPECT_EQ(message.find(testing::base64(bytes)), std::string::npos) << message;
  // The base64 of the key inside the plaintext Vault receives: its first 16 characters.
  EXPECT_EQ(message.find(testing::base64(bytes).substr(0, 16)), std::string::npos) << message;
  EXPECT_EQ(message.find(std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size())), std::string::npos);
  EXPECT_EQ(message.find("X-Vault-Token"), std::string::npos) << message;
  EXPECT_EQ(message.find("Authorization"), std::string::npos) << message;
}

TEST(VaultKeyProvider, KeyringCreatedAndReopenedThroughVaultDecryptsItsPages) {
  FakeVault vault;
  TempDir dir;
  KeyringSettings keyring_settings;
  keyring_settings.path = dir.file("keyring");
  auto page = testing::random_bytes(4096);
  std::vector<std::uint8_t> sealed_v1, sealed_v2;
  {
    auto keyring = Keyring::create(keyring_settings, provider_for(vault));
    ASSERT_TRUE(keyring.ok()) << keyring.error().to_string();
    TenantId tenant = keyring.value()->add_tenant("tenant-a").value();
    PageCipher cipher(keyring.value());
    sealed_v1 = cipher.encrypt(tenant, {7, 1}, 1, page).value();
    ASSERT_EQ(keyring.value()->rotate(tenant).value(), 2u);
    sealed_v2 = cipher.encrypt(tenant, {7, 2}, 1, page).value();
    EXPECT_EQ(keyring.value()->status().provider, "vault");
  }
  // Vault rotating its transit key does not stop the keyring from opening: old versions decrypt.
  vault.rotate();
  auto reopened = Keyring::open(keyring_settings, provider_for(vault));
  ASSERT_TRUE(reopened.ok()) << reopened.error().to_string();
  TenantId tenant = reopened.value()->find_tenant("tenant-a").value();
  PageCipher cipher(reopened.value());
  EXPECT_EQ(cipher.decrypt(tenant, {7, 1}, 1, sealed_v1).value(), page);
  EXPECT_EQ(cipher.decrypt(tenant, {7, 2}, 1, sealed_v2).value(), page);
  for (const std::string& path : vault.paths()) {
    EXPECT_TRUE(path == "/v1/transit/encrypt/weftkit" || path == "/v1/transit/decrypt/weftkit" ||
                path == "/v1/transit/hmac/weftkit/sha2-256")
        << path;
  }
}

TEST(VaultKeyProvider, KeyringOfAnotherTransitKeyIsWrongMasterKey) {
  FakeVault vault;
  FakeVault other;  // same names, its own transit keys
  TempDir dir;
  KeyringSettings keyring_settings;
  keyring_settings.path = dir.file("keyring");
  ASSERT_TRUE(Keyring::create(keyring_settings, provider_for(vault)).ok());
  auto opened = Keyring::open(keyring_settings, provider_for(other));
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().name(), "wrong_master_key");
}

TEST(VaultKeyProvider, KeyringAuthKeyIsDeterministicPerTransitKeyAndSalt) {
  FakeVault vault;
  auto provider = provider_for(vault);
  auto salt = testing::random_bytes(32);
  auto first = provider->keyring_auth_key(salt);
  ASSERT_TRUE(first.ok()) << first.error().to_string();
  vault.rotate();  // pinned to transit key version 1
  auto again = provider_for(vault)->keyring_auth_key(salt);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(testing::to_hex(first.value().bytes()), testing::to_hex(again.value().bytes()));
  auto other_salt = provider->keyring_auth_key(testing::random_bytes(32));
  EXPECT_NE(testing::to_hex(first.value().bytes()), testing::to_hex(other_salt.value().bytes()));
  FakeVault other;
  EXPECT_NE(testing::to_hex(first.value().bytes()), testing::to_hex(provider_for(other)->keyring_auth_key(salt).value().bytes()));
  const auto body = vault.last_request().body;
  EXPECT_NE(body.find("\"key_version\":1"), std::string::npos) << body;
}

TEST(VaultKeyProvider, DataKeyWrappedForOneTenantAndVersionUnwrapsOnlyForThem) {
  FakeVault vault;
  auto provider = provider_for(vault);
  SecretKey key = known_key();
  auto wrapped = provider->wrap_data_key({"tenant-a", 3}, key);
  ASSERT_TRUE(wrapped.ok()) << wrapped.error().to_string();
  auto same = provider->unwrap_data_key({"tenant-a", 3}, wrapped.value());
  ASSERT_TRUE(same.ok()) << same.error().to_string();
  EXPECT_EQ(testing::to_hex(same.value().bytes()), testing::to_hex(key.bytes()));

  auto other_tenant = provider->unwrap_data_key({"tenant-b", 3}, wrapped.value());
  ASSERT_FALSE(other_tenant.ok());
  EXPECT_EQ(other_tenant.error().name(), "authentication_failed");
  auto other_version = provider->unwrap_data_key({"tenant-a", 4}, wrapped.value());
  ASSERT_FALSE(other_version.ok());
  EXPECT_EQ(other_version.error().name(), "authentication_failed");
  // A tenant name that is a prefix of the real one does not match either.
  EXPECT_FALSE(provider->unwrap_data_key({"tenant-", 3}, wrapped.value()).ok());
  expect_no_secrets(other_tenant.error().message(), vault.settings().token, key);
  // The wrapped form is Vault's ciphertext and does not hold the key in the clear.
  std::string stored(wrapped.value().begin() + 1, wrapped.value().end());
  EXPECT_TRUE(stored.starts_with("vault:v1:")) << stored;
  expect_no_secrets(stored, vault.settings().token, key);
}

// A wrapped key whose bytes are not authentic is authentication_failed, as with kms and gcp-kms.
TEST(VaultKeyProvider, CiphertextAlteredInStorageIsRefusedByVault) {
  FakeVault vault;
  auto provider = provider_for(vault);
  SecretKey key = known_key();
  auto wrapped = provider->wrap_data_key({"tenant-a", 1}, key).value();
  wrapped[wrapped.size() - 3] = wrapped[wrapped.size() - 3] == 'A' ? 'B' : 'A';
  auto unwrapped = provider->unwrap_data_key({"tenant-a", 1}, wrapped);
  ASSERT_FALSE(unwrapped.ok());
  EXPECT_EQ(unwrapped.error().name(), "authentication_failed");
  EXPECT_NE(unwrapped.error().message().find("400"), std::string::npos) << unwrapped.error().message();
  EXPECT_NE(unwrapped.error().message().find("message authentication failed"), std::string::npos);
  auto not_vault = provider->unwrap_data_key({"tenant-a", 1}, std::vector<std::uint8_t>{1, 'x', 'y'});
  EXPECT_EQ(not_vault.error().name(), "unsupported_format");
}

TEST(VaultKeyProvider, WrongTokenIsKeyProviderErrorWithStatusAndVaultTextButNotTheToken) {
  FakeVault vault;
  KeyProviderSettings settings = settings_for(vault);
  settings.vault_token = "hvs.WRONG-token-which-must-not-leak";
  auto provider = make_key_provider(settings).value();
  SecretKey key = known_key();
  auto wrapped = provider->wrap_data_key({"tenant-a", 1}, key);
  ASSERT_FALSE(wrapped.ok());
  EXPECT_EQ(wrapped.error().name(), "key_provider_error");
  const std::string& message = wrapped.error().message();
  EXPECT_NE(message.find("vault"), std::string::npos) << message;
  EXPECT_NE(message.find("403"), std::string::npos) << message;
  EXPECT_NE(message.find("permission denied"), std::string::npos) << message;
  expect_no_secrets(message, settings.vault_token, key);
  expect_no_secrets(message, vault.settings().token, key);
  EXPECT_EQ(vault.requests(), 1);  // a 403 is not retried
}

TEST(VaultKeyProvider, NamespaceHeaderAndCustomMountAreSentAsConfigured) {
  FakeVaultSettings fake;
  fake.mount = "kv2/weft-transit";
  fake.key = "tenant-keys.v1";
  fake.namespace_name = "team-a/prod";
  FakeVault vault(fake);
  auto provider = provider_for(vault);
  ASSERT_TRUE(provider->wrap_data_key({"t", 1}, known_key()).ok());
  FakeRequest request = vault.last_request();
  EXPECT_EQ(request.target, "/v1/kv2/weft-transit/encrypt/tenant-keys.v1");
  ASSERT_NE(request.header("x-vault-namespace"), nullptr);
  EXPECT_EQ(*request.header("x-vault-namespace"), "team-a/prod");
  EXPECT_EQ(*request.header("content-type"), "application/json");

  // Without the namespace the fake routes nowhere: the provider must send it.
  KeyProviderSettings settings = settings_for(vault);
  settings.vault_namespace.clear();
  auto refused = make_key_provider(settings).value()->wrap_data_key({"t", 1}, known_key());
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message().find("404"), std::string::npos) << refused.error().message();
}

TEST(VaultKeyProvider, ServerErrorIsRetriedUntilVaultAnswers) {
  FakeVault vault;
  vault.queue_failures({500, 503});
  auto wrapped = provider_for(vault)->wrap_data_key({"t", 1}, known_key());
  ASSERT_TRUE(wrapped.ok()) << wrapped.error().to_string();
  EXPECT_EQ(vault.requests(), 3);
}

TEST(VaultKeyProvider, TooManyRequestsIsRetried) {
  FakeVault vault;
  vault.queue_failures({429});
  auto key = provider_for(vault)->keyring_auth_key(testing::random_bytes(16));
  ASSERT_TRUE(key.ok()) << key.error().to_string();
  EXPECT_EQ(vault.requests(), 2);
}

TEST(VaultKeyProvider, BadRequestIsNotRetried) {
  FakeVault vault;
  vault.queue_failures({400});
  auto wrapped = provider_for(vault)->wrap_data_key({"t", 1}, known_key());
  ASSERT_FALSE(wrapped.ok());
  EXPECT_EQ(vault.requests(), 1);
  EXPECT_NE(wrapped.error().message().find("HTTP 400"), std::string::npos) << wrapped.error().message();
  EXPECT_NE(wrapped.error().message().find("queued failure 400"), std::string::npos) << wrapped.error().message();
}

TEST(VaultKeyProvider, RetriesStopAfterTheConfiguredAttempts) {
  FakeVault vault;
  vault.queue_failures({503, 503, 503, 503, 503});
  auto wrapped = provider_for(vault)->wrap_data_key({"t", 1}, known_key());
  ASSERT_FALSE(wrapped.ok());
  EXPECT_EQ(wrapped.error().name(), "key_provider_error");
  EXPECT_EQ(vault.requests(), 3);
  EXPECT_NE(wrapped.error().message().find("503"), std::string::npos) << wrapped.error().message();
}

TEST(VaultKeyProvider, ServerThatNeverAnswersTimesOutWithinTheBound) {
  FakeVault vault;
  vault.stop_answering();
  KeyProviderSettings settings = settings_for(vault);
  settings.remote.connect_timeout_ms = 200;
  settings.remote.attempt_timeout_ms = 300;
  settings.remote.max_attempts = 2;
  auto provider = make_key_provider(settings).value();
  const auto start = std::chrono::steady_clock::now();
  auto wrapped = provider->wrap_data_key({"t", 1}, known_key());
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(wrapped.ok());
  EXPECT_EQ(wrapped.error().name(), "key_provider_error");
  EXPECT_NE(wrapped.error().message().find("2 attempts"), std::string::npos) << wrapped.error().message();
  // 2 attempts of 300 ms and one 10 ms backoff, with generous slack for a loaded machine.
  EXPECT_GE(elapsed, std::chrono::milliseconds(590));
  EXPECT_LT(elapsed, std::chrono::milliseconds(2500));
}

TEST(VaultKeyProvider, GarbageAnswerIsCleanError) {
  for (const std::string garbage : {"<html>not json</html>", "{\"data\":{\"ciphertext\":42}}", "{\"data\":null}", "[]"}) {
    FakeVault vault;
    vault.answer_garbage(garbage);
    auto provider = provider_for(vault);
    auto wrapped = provider->wrap_data_key({"t", 1}, known_key());
    ASSERT_FALSE(wrapped.ok()) << garbage;
    EXPECT_EQ(wrapped.error().name(), "key_provider_error");
    EXPECT_NE(wrapped.error().message().find("data.ciphertext"), std::string::npos) << wrapped.error().message();
    auto unwrapped = provider->unwrap_data_key({"t", 1}, std::vector<std::uint8_t>{1, 'v', 'a', 'u', 'l', 't', ':', 'v', '1', ':'});
    EXPECT_EQ(unwrapped.error().name(), "key_provider_error");
    auto auth = provider->keyring_auth_key(testing::random_bytes(16));
    EXPECT_EQ(auth.error().name(), "key_provider_error");
    expect_no_secrets(wrapped.error().message() + unwrapped.error().message() + auth.error().message(),
                      vault.settings().token, known_key());
  }
}

TEST(VaultKeyProvider, ResponseOverTheSizeLimitIsRefused) {
  FakeVault vault;
  vault.answer_garbage(std::string(2 << 20, 'x'));
  auto wrapped = provider_for(vault)->wrap_data_key({"t", 1}, known_key());
  ASSERT_FALSE(wrapped.ok());
  EXPECT_NE(wrapped.error().message().find("larger than"), std::string::npos) << wrapped.error().message();
}

TEST(VaultKeyProvider, PlainHttpIsRefusedExceptToLoopback) {
  KeyProviderSettings settings;
  settings.provider = "vault";
  settings.vault_token = "hvs.secret-token";
  settings.vault_transit_key = "k";
  for (const char* allowed : {"https://vault.example:8200", "http://127.0.0.1:8200", "http://localhost:8200", "http://[::1]:8200/"}) {
    settings.vault_addr = allowed;
    EXPECT_TRUE(make_key_provider(settings).ok()) << allowed;
  }
  for (const char* refused : {"http://vault.example:8200", "http://10.0.0.1:8200", "http://127.0.0.1.example.com", "ftp://vault.example",
                              "file:///etc/passwd"}) {
    settings.vault_addr = refused;
    auto provider = make_key_provider(settings);
    ASSERT_FALSE(provider.ok()) << refused;
    EXPECT_EQ(provider.error().name(), "key_provider_error") << refused;
    EXPECT_EQ(provider.error().message().find("hvs.secret-token"), std::string::npos);
  }
}

TEST(VaultKeyProvider, IncompleteOrUnsafeSettingsAreAProviderErrorBeforeAnyCall) {
  FakeVault vault;
  auto check = [&](auto change) {
    KeyProviderSettings settings = settings_for(vault);
    change(settings);
    auto provider = make_key_provider(settings);
    return provider.ok() ? std::string("made") : std::string(provider.error().name());
  };
  EXPECT_EQ(check([](KeyProviderSettings& s) { s.vault_addr.clear(); }), "key_provider_error");
  EXPECT_EQ(check([](KeyProviderSettings& s) { s.vault_token.clear(); }), "key_provider_error");
  EXPECT_EQ(check([](KeyProviderSettings& s) { s.vault_token += "\r\nX-Evil: 1"; }), "key_provider_error");
  EXPECT_EQ(check([](KeyProviderSettings& s) { s.vault_transit_key = "../sys/seal"; }), "key_provider_error");
  EXPECT_EQ(check([](KeyProviderSettings& s) { s.vault_transit_key = "a/b"; }), "key_provider_error");
  EXPECT_EQ(check([](KeyProviderSettings& s) { s.vault_mount = "transit/../sys"; }), "key_provider_error");
  EXPECT_EQ(check([](KeyProviderSettings& s) { s.vault_mount = "a b"; }), "key_provider_error");
  EXPECT_EQ(check([](KeyProviderSettings& s) { s.vault_hmac_key_version = 0; }), "key_provider_error");
  EXPECT_EQ(check([](KeyProviderSettings& s) { s.remote.attempt_timeout_ms = 0; }), "key_provider_error");
  EXPECT_EQ(check([](KeyProviderSettings& s) { s.remote.connect_timeout_ms = 0; }), "key_provider_error");
  EXPECT_EQ(check([](KeyProviderSettings& s) { s.remote.connect_timeout_ms = 5000; }), "key_provider_error");
  EXPECT_EQ(check([](KeyProviderSettings& s) { s.remote.max_attempts = 0; }), "key_provider_error");
  EXPECT_EQ(check([](KeyProviderSettings& s) { s.remote.max_attempts = 11; }), "key_provider_error");
  EXPECT_EQ(check([](KeyProviderSettings& s) { s.vault_mount = "nested/transit"; }), "made");
  EXPECT_EQ(vault.requests(), 0);  // nothing is sent while settings are checked
}

TEST(Base64Encoding, MatchesOpenSslForEveryPaddingLength) {
  for (std::size_t size = 0; size < 40; ++size) {
    auto bytes = testing::random_bytes(size);
    EXPECT_EQ(detail::encode_base64(bytes), testing::base64(bytes)) << size;
  }
}

}  // namespace
}  // namespace weftkit::crypto
