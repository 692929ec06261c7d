// The gcp-kms key provider against a loopback fake of Cloud KMS and its OAuth token endpoint:
// keyrings created and reopened through it decrypt their pages, the AAD binds a wrapped key to
// its tenant and version, CRC32C corruption either way is refused, service-account tokens are
// fetched with a verified RS256 assertion and renewed, transient failures are retried, and
// errors name the status but never a token or key bytes. Google Cloud itself is not reachable
// from the tests.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include <nlohmann/json.hpp>

#include <weftkit/crypto/gcp_kms_key_provider.h>
#include <weftkit/crypto/keyring.h>
#include <weftkit/crypto/page_cipher.h>

#include "tests/crypto/fake_gcp_kms.h"
#include "tests/crypto/test_support.h"

namespace weftkit::crypto {
namespace {

using testing::FakeGcpKms;
using testing::FakeGcpKmsSettings;
using testing::GcpCorruption;
using testing::FakeRequest;
using testing::TempDir;

KeyProviderSettings settings_for(const FakeGcpKms& kms) {
  KeyProviderSettings settings;
  settings.provider = "gcp-kms";
  settings.gcp_kms_key = kms.settings().key;
  settings.gcp_kms_mac_key_version = kms.settings().mac_key_version;
  settings.gcp_kms_endpoint = kms.url();
  settings.gcp_access_token = kms.settings().fixed_token;
  settings.remote.connect_timeout_ms = 1000;
  settings.remote.attempt_timeout_ms = 2000;
  settings.remote.first_backoff_ms = 10;
  return settings;
}

// The same, authenticated by a service-account key file instead of a fixed token.
KeyProviderSettings account_settings_for(const FakeGcpKms& kms, const TempDir& dir) {
  KeyProviderSettings settings = settings_for(kms);
  settings.gcp_access_token.clear();
  settings.gcp_credentials_file = dir.file("service-account.json");
  kms.write_service_account(settings.gcp_credentials_file);
  return settings;
}

std::shared_ptr<KeyProvider> provider_from(const KeyProviderSettings& settings) {
  auto provider = make_key_provider(settings);
  EXPECT_TRUE(provider.ok()) << provider.error().to_string();
  return provider.ok() ? provider.value() : nullptr;
}

SecretKey known_key() { return SecretKey::from_bytes(testing::from_hex(std::string(64, 'c'))).value(); }

void expect_no_secrets(const std::string& message, const SecretKey& key) {
  EXPECT_EQ(message.find("ya29."), std::string::npos) << message;
  EXPECT_EQ(message.find("Bearer"), std::string::npos) << message;
  EXPECT_EQ(message.find(testing::to_hex(key.bytes())), std::string::npos) << message;
  EXPECT_EQ(message.find(testing::base64(key.bytes()).substr(0, 16)), std::string::npos) << message;
  EXPECT_EQ(message.find("PRIVATE KEY"), std::string::npos) << message;
}

TEST(GcpKmsKeyProvider, KeyringCreatedAndReopenedThroughCloudKmsDecryptsItsPages) {
  FakeGcpKms kms;
  TempDir dir;
  KeyringSettings keyring_settings;
  keyring_settings.path = dir.file("keyring");
  auto page = testing::random_bytes(4096);
  std::vector<std::uint8_t> sealed;
  {
    auto keyring = Keyring::create(keyring_settings, provider_from(settings_for(kms)));
    ASSERT_TRUE(keyring.ok()) << keyring.error().to_string();
    TenantId tenant = keyring.value()->add_tenant("tenant-a").value();
    sealed = PageCipher(keyring.value()).encrypt(tenant, {3, 9}, 1, page).value();
    EXPECT_EQ(keyring.value()->status().provider, "gcp-kms");
  }
  auto reopened = Keyring::open(keyring_settings, provider_from(settings_for(kms)));
  ASSERT_TRUE(reopened.ok()) << reopened.error().to_string();
  TenantId tenant = reopened.value()->find_tenant("tenant-a").value();
  EXPECT_EQ(PageCipher(reopened.value()).decrypt(tenant, {3, 9}, 1, sealed).value(), page);
  auto methods = kms.methods();
  for (const char* method : {":encrypt", ":decrypt", ":macSign"}) {
    EXPECT_NE(std::find(methods.begin(), methods.end(), method), methods.end()) << method;
  }
}

TEST(GcpKmsKeyProvider, RequestsCarryTheCrc32cOfEveryPayload) {
  FakeGcpKms kms;
  auto provider = provider_from(settings_for(kms));
  ASSERT_TRUE(provider->wrap_data_key({"tenant-a", 2}, known_key()).ok());
  FakeRequest request = kms.last_request();
  EXPECT_EQ(request.target, "/v1/" + kms.settings().key + ":encrypt");
  EXPECT_EQ(*request.header("authorization"), "Bearer " + kms.settings().fixed_token);
  auto body = nlohmann::json::parse(request.body);
  EXPECT_TRUE(body["plaintextCrc32c"].is_string());
  EXPECT_TRUE(body["additionalAuthenticatedDataCrc32c"].is_string());
  std::vector<std::uint8_t> aad;
  ASSERT_TRUE(testing::from_base64(body["additionalAuthenticatedData"].get<std::string>(), aad));
  EXPECT_NE(std::string(aad.begin(), aad.end()).find("tenant-a"), std::string::npos);
}

TEST(GcpKmsKeyProvider, AadBindsTheWrappedKeyToItsTenantAndVersion) {
  FakeGcpKms kms;
  auto provider = provider_from(settings_for(kms));
  SecretKey key = known_key();
  auto wrapped = provider->wrap_data_key({"tenant-a", 2}, key);
  ASSERT_TRUE(wrapped.ok()) << wrapped.error().to_string();
  EXPECT_EQ(testing::to_hex(provider->unwrap_data_key({"tenant-a", 2}, wrapped.value()).value().bytes()),
            testing::to_hex(key.bytes()));
  for (KeyContext other : {KeyContext{"tenant-b", 2}, KeyContext{"tenant-a", 3}}) {
    auto refused = provider->unwrap_data_key(other, wrapped.value());
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().name(), "authentication_failed");
    EXPECT_NE(refused.error().message().find("Decryption failed"), std::string::npos) << refused.error().message();
    expect_no_secrets(refused.error().message(), key);
  }
}

TEST(GcpKmsKeyProvider, TamperedWrappedKeyIsAuthenticationFailed) {
  FakeGcpKms kms;
  auto provider = provider_from(settings_for(kms));
  auto wrapped = provider->wrap_data_key({"tenant-a", 1}, known_key()).value();
  wrapped[wrapped.size() - 3] ^= 0x01;
  auto unwrapped = provider->unwrap_data_key({"tenant-a", 1}, wrapped);
  ASSERT_FALSE(unwrapped.ok());
  EXPECT_EQ(unwrapped.error().name(), "authentication_failed");
  auto not_ours = provider->unwrap_data_key({"tenant-a", 1}, std::vector<std::uint8_t>{7, 1, 2});
  EXPECT_EQ(not_ours.error().name(), "unsupported_format");
}

// Google: discard an answer that fails its integrity check and retry a few times. One
// corrupted answer is retried away; three in a row are refused, and nothing is returned.
TEST(GcpKmsKeyProvider, CorruptedAnswersAreRetriedThenRefused) {
  for (GcpCorruption corruption : {GcpCorruption::kCiphertextCrc, GcpCorruption::kCiphertextBytes,
                                   GcpCorruption::kUnverifiedPlaintext, GcpCorruption::kUnverifiedAad}) {
    FakeGcpKms kms;
    auto provider = provider_from(settings_for(kms));
    kms.corrupt_next(corruption, 1);
    auto retried = provider->wrap_data_key({"t", 1}, known_key());
    ASSERT_TRUE(retried.ok()) << static_cast<int>(corruption) << " " << retried.error().to_string();
    EXPECT_EQ(kms.methods().size(), 2u);
    kms.corrupt_next(corruption, 3);
    auto wrapped = provider->wrap_data_key({"t", 1}, known_key());
    ASSERT_FALSE(wrapped.ok()) << static_cast<int>(corruption);
    EXPECT_EQ(wrapped.error().name(), "key_provider_error");
    EXPECT_NE(wrapped.error().message().find("CRC32C"), std::string::npos) << wrapped.error().message();
    EXPECT_EQ(kms.methods().size(), 5u);
  }
  FakeGcpKms kms;
  auto provider = provider_from(settings_for(kms));
  auto wrapped = provider->wrap_data_key({"t", 1}, known_key()).value();
  kms.corrupt_next(GcpCorruption::kPlaintextCrc, 3);
  auto unwrapped = provider->unwrap_data_key({"t", 1}, wrapped);
  ASSERT_FALSE(unwrapped.ok());
  EXPECT_EQ(unwrapped.error().name(), "key_provider_error");
  EXPECT_NE(unwrapped.error().message().find("plaintextCrc32c"), std::string::npos) << unwrapped.error().message();
  expect_no_secrets(unwrapped.error().message(), known_key());
  kms.corrupt_next(GcpCorruption::kPlaintextCrc, 1);
  EXPECT_TRUE(provider->unwrap_data_key({"t", 1}, wrapped).ok());
  kms.corrupt_next(GcpCorruption::kMacCrc, 3);
  auto mac = provider->keyring_auth_key(testing::random_bytes(16));
  ASSERT_FALSE(mac.ok());
  EXPECT_NE(mac.error().message().find("macCrc32c"), std::string::npos) << mac.error().message();
}

TEST(GcpKmsKeyProvider, RequestCorruptedOnItsWayIsRefusedByTheServiceChecksumThenRetried) {
  FakeGcpKms kms;
  auto provider = provider_from(settings_for(kms));
  auto wrapped = provider->wrap_data_key({"t", 1}, known_key()).value();
  kms.corrupt_next(GcpCorruption::kRequestInTransit, 3);
  auto refused = provider->unwrap_data_key({"t", 1}, wrapped);
  ASSERT_FALSE(refused.ok());
  // A checksum failure is not an authenticity verdict on the stored key.
  EXPECT_EQ(refused.error().name(), "key_provider_error");
  EXPECT_NE(refused.error().message().find("ciphertext_crc32c"), std::string::npos) << refused.error().message();
  kms.corrupt_next(GcpCorruption::kRequestInTransit, 3);
  auto not_wrapped = provider->wrap_data_key({"t", 1}, known_key());
  ASSERT_FALSE(not_wrapped.ok());
  EXPECT_NE(not_wrapped.error().message().find("plaintext_crc32c"), std::string::npos) << not_wrapped.error().message();
  expect_no_secrets(not_wrapped.error().message(), known_key());
  kms.corrupt_next(GcpCorruption::kRequestInTransit, 2);
  EXPECT_TRUE(provider->unwrap_data_key({"t", 1}, wrapped).ok());
}

TEST(GcpKmsKeyProvider, KeyringAuthKeyIsDeterministicPerMacKeyAndSalt) {
  FakeGcpKms kms;
  FakeGcpKms other;  // same names, its own key material
  auto salt = testing::random_bytes(16);
  auto first = provider_from(settings_for(kms))->keyring_auth_key(salt).value();
  auto again = provider_from(settings_for(kms))->keyring_auth_key(salt).value();
  auto elsewhere = provider_from(settings_for(other))->keyring_auth_key(salt).value();
  EXPECT_EQ(testing::to_hex(first.bytes()), testing::to_hex(again.bytes()));
  EXPECT_NE(testing::to_hex(first.bytes()), testing::to_hex(elsewhere.bytes()));
  EXPECT_EQ(kms.last_request().target, "/v1/" + kms.settings().mac_key_version + ":macSign");
}

TEST(GcpKmsKeyProvider, ServiceAccountTokenIsFetchedOnceAndCachedUntilNearExpiry) {
  FakeGcpKms kms;
  TempDir dir;
  auto provider = provider_from(account_settings_for(kms, dir));
  auto wrapped = provider->wrap_data_key({"t", 1}, known_key());
  ASSERT_TRUE(wrapped.ok()) << wrapped.error().to_string();
  ASSERT_TRUE(provider->unwrap_data_key({"t", 1}, wrapped.value()).ok());
  ASSERT_TRUE(provider->keyring_auth_key(testing::random_bytes(16)).ok());
  EXPECT_EQ(kms.tokens_issued(), 1);
}

TEST(GcpKmsKeyProvider, TokenCloseToExpiryOrRevokedIsRenewed) {
  FakeGcpKmsSettings fake;
  fake.token_lifetime_seconds = 30;  // inside the one-minute margin: never reused
  FakeGcpKms short_lived(fake);
  TempDir dir;
  auto provider = provider_from(account_settings_for(short_lived, dir));
  ASSERT_TRUE(provider->wrap_data_key({"t", 1}, known_key()).ok());
  ASSERT_TRUE(provider->wrap_data_key({"t", 1}, known_key()).ok());
  EXPECT_EQ(short_lived.tokens_issued(), 2);

  FakeGcpKms kms;
  TempDir other_dir;
  auto cached = provider_from(account_settings_for(kms, other_dir));
  ASSERT_TRUE(cached->wrap_data_key({"t", 1}, known_key()).ok());
  kms.revoke_tokens();  // the cached token now answers 401: one renewal, then success
  auto renewed = cached->wrap_data_key({"t", 1}, known_key());
  ASSERT_TRUE(renewed.ok()) << renewed.error().to_string();
  EXPECT_EQ(kms.tokens_issued(), 2);
}

TEST(GcpKmsKeyProvider, AssertionSignedByAnotherKeyIsRefusedByTheTokenEndpoint) {
  FakeGcpKms kms;
  TempDir dir;
  KeyProviderSettings settings = settings_for(kms);
  settings.gcp_access_token.clear();
  settings.gcp_credentials_file = dir.file("foreign.json");
  FakeGcpKms::write_foreign_service_account(settings.gcp_credentials_file, kms.settings().client_email, kms.token_uri());
  auto wrapped = provider_from(settings)->wrap_data_key({"t", 1}, known_key());
  ASSERT_FALSE(wrapped.ok());
  EXPECT_EQ(wrapped.error().name(), "key_provider_error");
  EXPECT_NE(wrapped.error().message().find("invalid_grant"), std::string::npos) << wrapped.error().message();
  expect_no_secrets(wrapped.error().message(), known_key());
  EXPECT_EQ(kms.tokens_issued(), 0);
}

TEST(GcpKmsKeyProvider, WrongFixedTokenIsRefusedWithoutLeakingIt) {
  FakeGcpKms kms;
  KeyProviderSettings settings = settings_for(kms);
  settings.gcp_access_token = "ya29.WRONG-token-which-must-not-leak";
  auto wrapped = provider_from(settings)->wrap_data_key({"t", 1}, known_key());
  ASSERT_FALSE(wrapped.ok());
  EXPECT_EQ(wrapped.error().name(), "key_provider_error");
  EXPECT_NE(wrapped.error().message().find("HTTP 401"), std::string::npos) << wrapped.error().message();
  EXPECT_NE(wrapped.error().message().find("UNAUTHENTICATED"), std::string::npos) << wrapped.error().message();
  expect_no_secrets(wrapped.error().message(), known_key());
  EXPECT_EQ(kms.requests(), 1);  // a fixed token cannot be renewed: no second try
}

TEST(GcpKmsKeyProvider, ServerErrorsAndResourceExhaustedAreRetriedThenSucceed) {
  FakeGcpKms kms;
  kms.queue_failures({503, 429});
  auto wrapped = provider_from(settings_for(kms))->wrap_data_key({"t", 1}, known_key());
  ASSERT_TRUE(wrapped.ok()) << wrapped.error().to_string();
  EXPECT_EQ(kms.requests(), 3);
  kms.queue_failures({500, 500, 500});
  auto spent = provider_from(settings_for(kms))->wrap_data_key({"t", 1}, known_key());
  ASSERT_FALSE(spent.ok());
  EXPECT_NE(spent.error().message().find("HTTP 500"), std::string::npos) << spent.error().message();
  kms.queue_failures({400});
  auto final_answer = provider_from(settings_for(kms))->wrap_data_key({"t", 1}, known_key());
  ASSERT_FALSE(final_answer.ok());
  EXPECT_EQ(kms.requests(), 7);  // 400 is not retried
}

TEST(GcpKmsKeyProvider, ServiceThatNeverAnswersTimesOutWithinTheBound) {
  FakeGcpKms kms;
  kms.stop_answering();
  KeyProviderSettings settings = settings_for(kms);
  settings.remote.connect_timeout_ms = 200;
  settings.remote.attempt_timeout_ms = 250;
  settings.remote.max_attempts = 3;
  const auto start = std::chrono::steady_clock::now();
  auto key = make_key_provider(settings).value()->keyring_auth_key(testing::random_bytes(16));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().name(), "key_provider_error");
  EXPECT_NE(key.error().message().find("3 attempts"), std::string::npos) << key.error().message();
  EXPECT_LT(elapsed, std::chrono::milliseconds(2500));
}

TEST(GcpKmsKeyProvider, GarbageAnswersAreCleanErrors) {
  for (const std::string garbage : {"not json", "[]", "{\"ciphertext\":7}", "{\"plaintext\":\"!!\",\"plaintextCrc32c\":\"1\"}",
                                    "{\"mac\":\"AAAA\",\"verifiedDataCrc32c\":true}", "{}"}) {
    FakeGcpKms kms;
    auto provider = provider_from(settings_for(kms));
    kms.answer_garbage(garbage);
    auto wrapped = provider->wrap_data_key({"t", 1}, known_key());
    ASSERT_FALSE(wrapped.ok()) << garbage;
    EXPECT_EQ(wrapped.error().name(), "key_provider_error");
    auto mac = provider->keyring_auth_key(testing::random_bytes(16));
    ASSERT_FALSE(mac.ok()) << garbage;
    EXPECT_EQ(mac.error().name(), "key_provider_error");
    auto unwrapped = provider->unwrap_data_key({"t", 1}, std::vector<std::uint8_t>{1, 2, 3});
    ASSERT_FALSE(unwrapped.ok()) << garbage;
    EXPECT_EQ(unwrapped.error().name(), "key_provider_error");
  }
}

TEST(GcpKmsKeyProvider, IncompleteOrUnsafeSettingsAreRefusedBeforeAnyCall) {
  FakeGcpKms kms;
  TempDir dir;
  auto check = [&](auto change) {
    KeyProviderSettings settings = settings_for(kms);
    change(settings);
    auto provider = make_key_provider(settings);
    return provider.ok() ? std::string("made") : provider.error().to_string();
  };
  auto refused = [](const std::string& outcome, const std::string& part) {
    return outcome.starts_with("key_provider_error: gcp-kms: ") && outcome.find(part) != std::string::npos;
  };
  EXPECT_PRED2(refused, check([](KeyProviderSettings& s) { s.gcp_kms_key.clear(); }), "crypto key (gcp_kms_key) is not set");
  EXPECT_PRED2(refused, check([](KeyProviderSettings& s) { s.gcp_kms_key = "projects/p/locations/l/keyRings/r"; }),
               "is not projects/PROJECT/locations/LOCATION/keyRings/RING/cryptoKeys/KEY");
  EXPECT_PRED2(refused, check([](KeyProviderSettings& s) { s.gcp_kms_key += "/cryptoKeyVersions/1"; }), "is not projects/");
  EXPECT_PRED2(refused, check([](KeyProviderSettings& s) { s.gcp_kms_mac_key_version.clear(); }), "MAC key version");
  EXPECT_PRED2(refused, check([](KeyProviderSettings& s) { s.gcp_kms_mac_key_version = s.gcp_kms_key; }),
               "cryptoKeyVersions/N");
  EXPECT_PRED2(refused, check([](KeyProviderSettings& s) { s.gcp_access_token.clear(); }), "no credentials");
  EXPECT_PRED2(refused, check([](KeyProviderSettings& s) { s.gcp_access_token = "a\nb"; }), "line break");
  EXPECT_PRED2(refused, check([&](KeyProviderSettings& s) {
                 s.gcp_access_token.clear();
                 s.gcp_credentials_file = dir.file("missing.json");
               }),
               "cannot read the service-account key file");
  testing::write_file(dir.file("user.json"), std::vector<std::uint8_t>{'{', '"', 't', 'y', 'p', 'e', '"', ':', '"', 'u', '"', '}'});
  EXPECT_PRED2(refused, check([&](KeyProviderSettings& s) {
                 s.gcp_access_token.clear();
                 s.gcp_credentials_file = dir.file("user.json");
               }),
               "is not a service-account key");
  EXPECT_PRED2(refused, check([](KeyProviderSettings& s) { s.gcp_kms_endpoint += "/v1"; }), "has a path");
  EXPECT_PRED2(refused, check([](KeyProviderSettings& s) { s.gcp_kms_endpoint = "http://cloudkms.googleapis.com"; }),
               "endpoint is refused");
  EXPECT_EQ(check([](KeyProviderSettings& s) { s.gcp_kms_endpoint.clear(); }), "made");
  EXPECT_EQ(kms.requests(), 0);
}

}  // namespace
}  // namespace weftkit::crypto
