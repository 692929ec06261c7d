// The env key provider: WEFTKIT_KEY is base64 of exactly 32 bytes, whitespace ignored; anything
// else is refused with what was found (never the value). Wrapped data keys are bound to their
// tenant and version and to the master key.
#include <gtest/gtest.h>

#include <weftkit/crypto/env_key_provider.h>

#include "tests/crypto/test_support.h"

namespace weftkit::crypto {
namespace {

std::string refusal(std::string_view text) {
  auto provider = make_env_key_provider(text);
  if (provider.ok()) return "accepted";
  EXPECT_EQ(provider.error().name(), "invalid_master_key");
  if (text.size() >= 8) {
    EXPECT_EQ(provider.error().message().find(text), std::string::npos) << "the message repeats the key";
  }
  return provider.error().message();
}

const std::string kPrefix = "the env provider's master key (WEFTKIT_KEY) ";

TEST(EnvKeyProvider, Base64OfExactly32BytesIsAccepted) {
  EXPECT_EQ(refusal(testing::master_key_base64(1)), "accepted");
}

TEST(EnvKeyProvider, WhitespaceAndLineBreaksAreIgnored) {
  std::string key = testing::master_key_base64(1);
  std::string wrapped = "  " + key.substr(0, 20) + "\n" + key.substr(20, 10) + "\r\n\t" + key.substr(30) + "\n";
  auto plain = make_env_key_provider(key).value();
  auto spaced = make_env_key_provider(wrapped).value();
  auto data_key = SecretKey::random().value();
  auto wrapped_key = plain->wrap_data_key({"t", 1}, data_key).value();
  auto unwrapped = spaced->unwrap_data_key({"t", 1}, wrapped_key);
  ASSERT_TRUE(unwrapped.ok());
  EXPECT_EQ(testing::to_hex(unwrapped.value().bytes()), testing::to_hex(data_key.bytes()));
}

TEST(EnvKeyProvider, WrongDecodedLengthsAreRefusedWithTheLengthFound) {
  EXPECT_EQ(refusal(testing::base64(std::vector<std::uint8_t>(31, 7))),
            kPrefix + "decodes to 31 bytes; it must be exactly 32 (base64 of 32 bytes is 44 characters)");
  EXPECT_EQ(refusal(testing::base64(std::vector<std::uint8_t>(33, 7))),
            kPrefix + "decodes to 33 bytes; it must be exactly 32 (base64 of 32 bytes is 44 characters)");
  EXPECT_EQ(refusal(testing::base64(std::vector<std::uint8_t>(64, 7))),
            kPrefix + "decodes to 64 bytes; it must be exactly 32 (base64 of 32 bytes is 44 characters)");
}

TEST(EnvKeyProvider, TextThatIsNotBase64IsRefusedByPosition) {
  std::string key = testing::master_key_base64(1);
  key[5] = '*';
  EXPECT_EQ(refusal(key), kPrefix + "must be base64 of 32 bytes: character 6 is not in the base64 alphabet");
  EXPECT_EQ(refusal(""), kPrefix + "must be base64 of 32 bytes: it is empty");
  EXPECT_EQ(refusal(" \n "), kPrefix + "must be base64 of 32 bytes: it is empty");
  std::string unpadded = testing::master_key_base64(1);
  unpadded.pop_back();  // 32 bytes end in one '='
  EXPECT_EQ(refusal(unpadded), kPrefix + "must be base64 of 32 bytes: base64 of 43 characters (not a multiple of 4 with '=' padding)");
  std::string padded_then_data = testing::master_key_base64(1) + "AAAA";
  EXPECT_EQ(refusal(padded_then_data), kPrefix + "must be base64 of 32 bytes: base64 padding '=' is followed by more data at character 45");
}

TEST(EnvKeyProvider, AHexKeyIsRefusedNotMisreadAsBase64) {
  // 64 hex digits are valid base64 characters but decode to 48 bytes.
  std::string hex(64, 'a');
  EXPECT_EQ(refusal(hex), kPrefix + "decodes to 48 bytes; it must be exactly 32 (base64 of 32 bytes is 44 characters)");
}

TEST(EnvKeyProvider, AWrappedKeyDoesNotUnwrapForAnotherTenantVersionOrMasterKey) {
  auto provider = testing::env_provider(1);
  auto data_key = SecretKey::random().value();
  auto wrapped = provider->wrap_data_key({"tenant-001", 1}, data_key).value();
  EXPECT_TRUE(provider->unwrap_data_key({"tenant-001", 1}, wrapped).ok());
  EXPECT_EQ(provider->unwrap_data_key({"tenant-002", 1}, wrapped).error().name(), "authentication_failed");
  EXPECT_EQ(provider->unwrap_data_key({"tenant-001", 2}, wrapped).error().name(), "authentication_failed");
  EXPECT_EQ(testing::env_provider(2)->unwrap_data_key({"tenant-001", 1}, wrapped).error().name(), "authentication_failed");
  wrapped.pop_back();
  EXPECT_EQ(provider->unwrap_data_key({"tenant-001", 1}, wrapped).error().name(), "unsupported_format");
}

TEST(KeyProviderSettings, EnvVaultAndKmsAreBuiltGcpIsNotYetAndUnknownNamesAreRefused) {
  KeyProviderSettings settings;
  settings.env_key_base64 = testing::master_key_base64(1);
  auto env = make_key_provider(settings);
  ASSERT_TRUE(env.ok());
  EXPECT_EQ(env.value()->kind(), "env");
  // vault, kms and gcp-kms are built: without their settings they are unavailable, not "not built".
  settings.provider = "vault";
  EXPECT_EQ(make_key_provider(settings).error().to_string(), "key_provider_error: vault: the Vault address is not set");
  settings.provider = "kms";
  EXPECT_EQ(make_key_provider(settings).error().name(), "key_provider_error");
  settings.provider = "gcp-kms";
  EXPECT_EQ(make_key_provider(settings).error().to_string(), "key_provider_error: gcp-kms: the crypto key (gcp_kms_key) is not set");
  settings.provider = "file";
  EXPECT_EQ(make_key_provider(settings).error().to_string(),
            "invalid_argument: unknown key provider 'file'; expected env, vault, kms or gcp-kms");
}

}  // namespace
}  // namespace weftkit::crypto
