// The kms key provider against a loopback fake of AWS KMS that verifies every Signature
// Version 4 signature on its own: keyrings created and reopened through it decrypt their
// pages, the encryption context binds a wrapped key to its tenant and version, the keyring's
// authentication key is deterministic per HMAC key, and errors are typed and name the status
// and KMS's exception but never a credential or key bytes. AWS itself is not reachable from
// the tests.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include <nlohmann/json.hpp>

#include <weftkit/crypto/kms_key_provider.h>
#include <weftkit/crypto/page_cipher.h>

#include "tests/crypto/fake_kms.h"
#include "tests/crypto/test_support.h"

namespace weftkit::crypto {
namespace {

using testing::FakeKms;
using testing::FakeKmsSettings;
using testing::TempDir;

KeyProviderSettings settings_for(const FakeKms& kms) {
  KeyProviderSettings settings;
  settings.provider = "kms";
  settings.kms_region = kms.settings().region;
  settings.kms_key_arn = kms.settings().key_arn;
  settings.kms_hmac_key_arn = kms.settings().hmac_key_arn;
  settings.kms_endpoint = kms.url();
  settings.aws_access_key_id = kms.settings().access_key_id;
  settings.aws_secret_access_key = kms.settings().secret_access_key;
  settings.aws_session_token = kms.settings().session_token;
  settings.remote.connect_timeout_ms = 1000;
  settings.remote.attempt_timeout_ms = 2000;
  settings.remote.first_backoff_ms = 10;
  return settings;
}

std::shared_ptr<KeyProvider> provider_for(const FakeKms& kms) {
  auto provider = make_key_provider(settings_for(kms));
  EXPECT_TRUE(provider.ok()) << provider.error().to_string();
  return provider.ok() ? provider.value() : nullptr;
}

SecretKey known_key() { return SecretKey::from_bytes(testing::from_hex(std::string(64, 'b'))).value(); }

void expect_no_secrets(const std::string& message, const KeyProviderSettings& settings, const SecretKey& key) {
  EXPECT_EQ(message.find(settings.aws_secret_access_key), std::string::npos) << message;
  if (!settings.aws_session_token.empty()) EXPECT_EQ(message.find(settings.aws_session_token), std::string::npos) << message;
  EXPECT_EQ(message.find(testing::to_hex(key.bytes())), std::string::npos) << message;
  EXPECT_EQ(message.find(testing::base64(key.bytes()).substr(0, 16)), std::string::npos) << message;
  EXPECT_EQ(message.find("Signature="), std::string::npos) << message;
  EXPECT_EQ(message.find("Authorization"), std::string::npos) << message;
}

TEST(KmsKeyProvider, KeyringCreatedAndReopenedThroughKmsDecryptsItsPages) {
  FakeKmsSettings fake;
  fake.session_token = "IQoJb3JpZ2luX2VjEXAMPLE-session-token";
  FakeKms kms(fake);
  TempDir dir;
  KeyringSettings keyring_settings;
  keyring_settings.path = dir.file("keyring");
  auto page = testing::random_bytes(4096);
  std::vector<std::uint8_t> sealed;
  {
    auto keyring = Keyring::create(keyring_settings, provider_for(kms));
    ASSERT_TRUE(keyring.ok()) << keyring.error().to_string();
    TenantId tenant = keyring.value()->add_tenant("tenant-a").value();
    sealed = PageCipher(keyring.value()).encrypt(tenant, {3, 9}, 1, page).value();
    EXPECT_EQ(keyring.value()->status().provider, "kms");
  }
  auto reopened = Keyring::open(keyring_settings, provider_for(kms));
  ASSERT_TRUE(reopened.ok()) << reopened.error().to_string();
  TenantId tenant = reopened.value()->find_tenant("tenant-a").value();
  EXPECT_EQ(PageCipher(reopened.value()).decrypt(tenant, {3, 9}, 1, sealed).value(), page);
  auto actions = kms.actions();
  EXPECT_NE(std::find(actions.begin(), actions.end(), "TrentService.GenerateMac"), actions.end());
  EXPECT_NE(std::find(actions.begin(), actions.end(), "TrentService.Encrypt"), actions.end());
  EXPECT_NE(std::find(actions.begin(), actions.end(), "TrentService.Decrypt"), actions.end());
}

TEST(KmsKeyProvider, KeyringOfAnotherHmacKeyIsWrongMasterKey) {
  FakeKms kms;
  FakeKms other;  // same ARNs and credentials, its own key material
  TempDir dir;
  KeyringSettings keyring_settings;
  keyring_settings.path = dir.file("keyring");
  ASSERT_TRUE(Keyring::create(keyring_settings, provider_for(kms)).ok());
  auto opened = Keyring::open(keyring_settings, provider_for(other));
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().name(), "wrong_master_key");
}

TEST(KmsKeyProvider, EncryptionContextBindsTheWrappedKeyToItsTenantAndVersion) {
  FakeKms kms;
  auto provider = provider_for(kms);
  SecretKey key = known_key();
  auto wrapped = provider->wrap_data_key({"tenant-a", 2}, key);
  ASSERT_TRUE(wrapped.ok()) << wrapped.error().to_string();
  auto body = nlohmann::json::parse(kms.last_request().body);
  EXPECT_EQ(body["EncryptionContext"], (nlohmann::json{{"weftkit:tenant", "tenant-a"}, {"weftkit:key-version", "2"}}));
  EXPECT_EQ(testing::to_hex(provider->unwrap_data_key({"tenant-a", 2}, wrapped.value()).value().bytes()), testing::to_hex(key.bytes()));
  for (KeyContext other : {KeyContext{"tenant-b", 2}, KeyContext{"tenant-a", 3}}) {
    auto refused = provider->unwrap_data_key(other, wrapped.value());
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().name(), "authentication_failed");
    EXPECT_NE(refused.error().message().find("InvalidCiphertextException"), std::string::npos) << refused.error().message();
    expect_no_secrets(refused.error().message(), settings_for(kms), key);
  }
}

TEST(KmsKeyProvider, WrongSecretKeyIsRefusedByTheSignatureCheckWithoutLeakingIt) {
  FakeKmsSettings fake;
  fake.session_token = "IQoJb3JpZ2luX2VjEXAMPLE-session-token";
  FakeKms kms(fake);
  KeyProviderSettings settings = settings_for(kms);
  settings.aws_secret_access_key = "not-the-secret-but-still-secret-0123456789";
  auto wrapped = make_key_provider(settings).value()->wrap_data_key({"t", 1}, known_key());
  ASSERT_FALSE(wrapped.ok());
  EXPECT_EQ(wrapped.error().name(), "key_provider_error");
  const std::string& message = wrapped.error().message();
  EXPECT_NE(message.find("HTTP 400"), std::string::npos) << message;
  EXPECT_NE(message.find("InvalidSignatureException"), std::string::npos) << message;
  expect_no_secrets(message, settings, known_key());
  // The fake, like AWS, printed the canonical request with the token; none of it came through.
  EXPECT_NE(nlohmann::json::parse(kms.last_reply_body())["message"].get<std::string>().find(fake.session_token), std::string::npos);
  EXPECT_EQ(message.find("Canonical String"), std::string::npos) << message;
  EXPECT_EQ(kms.requests(), 1);
}

TEST(KmsKeyProvider, MissingSessionTokenIsRefused) {
  FakeKmsSettings fake;
  fake.session_token = "IQoJb3JpZ2luX2VjEXAMPLE-session-token";
  FakeKms kms(fake);
  KeyProviderSettings settings = settings_for(kms);
  settings.aws_session_token.clear();
  auto wrapped = make_key_provider(settings).value()->wrap_data_key({"t", 1}, known_key());
  ASSERT_FALSE(wrapped.ok());
  EXPECT_NE(wrapped.error().message().find("session token"), std::string::npos) << wrapped.error().message();
}

TEST(KmsKeyProvider, KeyringAuthKeyIsDeterministicPerHmacKeyAndSalt) {
  FakeKms kms;
  auto salt = testing::random_bytes(32);
  auto first = provider_for(kms)->keyring_auth_key(salt);
  ASSERT_TRUE(first.ok()) << first.error().to_string();
  EXPECT_EQ(testing::to_hex(first.value().bytes()), testing::to_hex(provider_for(kms)->keyring_auth_key(salt).value().bytes()));
  EXPECT_NE(testing::to_hex(first.value().bytes()),
            testing::to_hex(provider_for(kms)->keyring_auth_key(testing::random_bytes(32)).value().bytes()));
  auto body = nlohmann::json::parse(kms.last_request().body);
  EXPECT_EQ(body["KeyId"], kms.settings().hmac_key_arn);
  EXPECT_EQ(body["MacAlgorithm"], "HMAC_SHA_256");
}

TEST(KmsKeyProvider, ServerErrorAndThrottlingAreRetriedBadRequestIsNot) {
  FakeKms kms;
  kms.queue_failures({500, 429});
  ASSERT_TRUE(provider_for(kms)->wrap_data_key({"t", 1}, known_key()).ok());
  EXPECT_EQ(kms.requests(), 3);
  kms.queue_failures({400});
  auto refused = provider_for(kms)->wrap_data_key({"t", 1}, known_key());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(kms.requests(), 4);
  EXPECT_NE(refused.error().message().find("ValidationException: fake kms: queued failure 400"), std::string::npos)
      << refused.error().message();
}

// AWS KMS throttles with HTTP 400 and __type ThrottlingException, not 429: still transient.
TEST(KmsKeyProvider, ThrottlingExceptionIsRetriedWithBackoffThenSucceeds) {
  FakeKms kms;
  kms.queue_throttling(2);
  auto wrapped = provider_for(kms)->wrap_data_key({"t", 1}, known_key());
  ASSERT_TRUE(wrapped.ok()) << wrapped.error().to_string();
  EXPECT_EQ(kms.requests(), 3);
  kms.queue_throttling(3);
  auto spent = provider_for(kms)->wrap_data_key({"t", 1}, known_key());
  ASSERT_FALSE(spent.ok());
  EXPECT_EQ(spent.error().name(), "key_provider_error");
  EXPECT_NE(spent.error().message().find("HTTP 400: ThrottlingException: Rate exceeded"), std::string::npos)
      << spent.error().message();
  EXPECT_EQ(kms.requests(), 6);  // three attempts, the configured bound
}

// Bytes of a stored wrapped key altered: KMS refuses them as not authentic, the same
// authentication_failed as vault and gcp-kms.
TEST(KmsKeyProvider, TamperedWrappedKeyIsAuthenticationFailed) {
  FakeKms kms;
  auto provider = provider_for(kms);
  auto wrapped = provider->wrap_data_key({"tenant-a", 1}, known_key()).value();
  wrapped[wrapped.size() - 3] ^= 0x01;
  auto unwrapped = provider->unwrap_data_key({"tenant-a", 1}, wrapped);
  ASSERT_FALSE(unwrapped.ok());
  EXPECT_EQ(unwrapped.error().name(), "authentication_failed");
}

TEST(KmsKeyProvider, ServiceThatNeverAnswersTimesOutWithinTheBound) {
  FakeKms kms;
  kms.stop_answering();
  KeyProviderSettings settings = settings_for(kms);
  settings.remote.connect_timeout_ms = 200;
  settings.remote.attempt_timeout_ms = 250;
  settings.remote.max_attempts = 3;
  const auto start = std::chrono::steady_clock::now();
  auto key = make_key_provider(settings).value()->keyring_auth_key(testing::random_bytes(16));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(key.ok());
  EXPECT_NE(key.error().message().find("3 attempts"), std::string::npos) << key.error().message();
  EXPECT_LT(elapsed, std::chrono::milliseconds(2500));
}

TEST(KmsKeyProvider, GarbageAnswerIsCleanError) {
  for (const std::string garbage : {"not json", "{\"CiphertextBlob\":7}", "{\"Mac\":\"AAAA\"}", "{}"}) {
    FakeKms kms;
    kms.answer_garbage(garbage);
    auto provider = provider_for(kms);
    auto wrapped = provider->wrap_data_key({"t", 1}, known_key());
    ASSERT_FALSE(wrapped.ok());
    EXPECT_EQ(wrapped.error().name(), "key_provider_error");
    auto mac = provider->keyring_auth_key(testing::random_bytes(16));
    ASSERT_FALSE(mac.ok()) << garbage;  // "AAAA" is 3 bytes, not a 32-byte MAC
    EXPECT_EQ(mac.error().name(), "key_provider_error");
    auto unwrapped = provider->unwrap_data_key({"t", 1}, std::vector<std::uint8_t>{1, 2, 3});
    EXPECT_EQ(unwrapped.error().name(), "key_provider_error");
  }
}

TEST(KmsKeyProvider, IncompleteOrUnsafeSettingsAreRefusedBeforeAnyCall) {
  FakeKms kms;
  auto check = [&](auto change) {
    KeyProviderSettings settings = settings_for(kms);
    change(settings);
    auto provider = make_key_provider(settings);
    return provider.ok() ? std::string("made") : std::string(provider.error().name());
  };
  EXPECT_EQ(check([](KeyProviderSettings& s) { s.kms_region.clear(); }), "key_provider_error");
  EXPECT_EQ(check([](KeyProviderSettings& s) { s.kms_region = "eu-west-1/x"; }), "key_provider_error");
  EXPECT_EQ(check([](KeyProviderSettings& s) { s.kms_key_arn.clear(); }), "key_provider_error");
  EXPECT_EQ(check([](KeyProviderSettings& s) { s.kms_hmac_key_arn.clear(); }), "key_provider_error");
  EXPECT_EQ(check([](KeyProviderSettings& s) { s.aws_secret_access_key.clear(); }), "key_provider_error");
  EXPECT_EQ(check([](KeyProviderSettings& s) { s.aws_session_token = "a\nb"; }), "key_provider_error");
  EXPECT_EQ(check([](KeyProviderSettings& s) { s.kms_endpoint += "/some/path"; }), "key_provider_error");
  EXPECT_EQ(check([](KeyProviderSettings& s) { s.kms_endpoint = "http://kms.eu-west-1.amazonaws.com"; }), "key_provider_error");
  EXPECT_EQ(check([](KeyProviderSettings& s) { s.kms_endpoint.clear(); }), "made");  // https://kms.<region>.amazonaws.com/
  EXPECT_EQ(kms.requests(), 0);
}

}  // namespace
}  // namespace weftkit::crypto
