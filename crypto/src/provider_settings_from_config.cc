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
      settings.kms_region = encryption.kms_region;
      settings.kms_key_arn = encryption.kms_key_arn;
      settings.kms_hmac_key_arn = encryption.kms_hmac_key_arn;
      settings.kms_endpoint = encryption.kms_endpoint.value_or("");
      settings.aws_access_key_id = encryption.aws_access_key_id;
      if (encryption.aws_secret_access_key) settings.aws_secret_access_key = encryption.aws_secret_access_key->reveal();
      if (encryption.aws_session_token) settings.aws_session_token = encryption.aws_session_token->reveal();
      break;
    case config::KeyProvider::kGcpKms:
      settings.gcp_kms_key = encryption.gcp_kms_key;
      settings.gcp_kms_mac_key_version = encryption.gcp_kms_mac_key;
      settings.gcp_kms_endpoint = encryption.gcp_kms_endpoint.value_or("");
      // A fixed token wins over the service-account file, as the variable's name is WeftKit's own.
      if (encryption.gcp_access_token) settings.gcp_access_token = encryption.gcp_access_token->reveal();
      else settings.gcp_credentials_file = encryption.gcp_credentials_file.value_or("");
      break;
  }
  // Only the remote providers call out; env ignores it.
  settings.remote.ca_file = encryption.provider_ca_file.value_or("");
  return settings;
}

}  // namespace weftkit::crypto
