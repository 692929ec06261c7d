// WEFTKIT_KEY_PROVIDER and its variables -> KeyProviderSettings.
#include <weftkit/crypto/from_config.h>

#include <openssl/evp.h>

#include <string>

namespace weftkit::crypto {
namespace {

// The configuration keeps WEFTKIT_KEY decoded (it checked the 32 bytes); the settings take the
// base64 text the env provider parses into locked memory, so the bytes are encoded again here.
std::string base64_of(const std::string& bytes) {
  std::string text(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(text.data()),
                                     reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  text.resize(length < 0 ? 0 : static_cast<std::size_t>(length));
  return text;
}

}  // namespace

KeyProviderSettings key_provider_settings_from_config(const config::EncryptionConfig& encryption) {
  KeyProviderSettings settings;
  settings.provider = std::string(config::to_string(encryption.key_provider));
  switch (encryption.key_provider) {
    case config::KeyProvider::kEnv:
      // No key: left empty, so make_key_provider refuses it as invalid_master_key (0 bytes).
      if (encryption.key) settings.env_key_base64 = base64_of(encryption.key->reveal());
      break;
    case config::KeyProvider::kVault:
      settings.vault_addr = encryption.vault_addr;
      if (encryption.vault_token) settings.vault_token = encryption.vault_token->reveal();
      settings.vault_transit_key = encryption.vault_transit_key;
      settings.vault_mount = encryption.vault_mount;
      settings.vault_namespace = encryption.vault_namespace.value_or("");
      break;
    case config::KeyProvider::kKms:
      // The AWS credentials (AWS_ACCESS_KEY_ID, ...) and the HMAC key that derives the keyring's
      // authentication key are not WEFTKIT_* configuration yet: until the caller fills them in,
      // make_key_provider refuses the settings as incomplete (key_provider_error).
      settings.kms_region = encryption.kms_region;
      settings.kms_key_arn = encryption.kms_key_arn;
      settings.kms_endpoint = encryption.kms_endpoint.value_or("");
      break;
    case config::KeyProvider::kGcpKms:
      break;  // not built: make_key_provider says so
  }
  return settings;
}

}  // namespace weftkit::crypto
