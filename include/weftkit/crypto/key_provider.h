// Key providers hold the master key (key-encryption key). The keyring asks its provider to wrap
// and unwrap each tenant's data keys, and for the key that authenticates the keyring file; it
// does so when a keyring is created, opened, rotated or rewrapped, never per page. A remote
// provider (Vault transit, AWS KMS, Cloud KMS) implements the same three calls over its API,
// passing KeyContext as its encryption context / additional authenticated data.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <weftkit/crypto/error.h>
#include <weftkit/crypto/secret_key.h>

namespace weftkit::crypto {

// What a wrapped data key is bound to: unwrapping it under another tenant or version fails.
struct KeyContext {
  std::string_view tenant;
  std::uint32_t key_version = 0;
};

class KeyProvider {
 public:
  virtual ~KeyProvider() = default;

  // "env", "vault", "kms", "gcp-kms": recorded in the keyring, shown by status.
  virtual std::string_view kind() const = 0;
  // The wrapped form of data_key, safe to store; bound to context.
  virtual Result<std::vector<std::uint8_t>> wrap_data_key(const KeyContext& context, const SecretKey& data_key) = 0;
  // The data key back; fails (never returns a wrong key) under another master key or context.
  virtual Result<SecretKey> unwrap_data_key(const KeyContext& context, std::span<const std::uint8_t> wrapped) = 0;
  // The key that authenticates a keyring file with this salt: derived from the master key, so a
  // keyring opened with another master key is refused before any data key is unwrapped.
  virtual Result<SecretKey> keyring_auth_key(std::span<const std::uint8_t> salt) = 0;
};

// How a remote provider calls its service: https (http only to a loopback address), bounded
// in time, transient failures (connection, timeout, HTTP 5xx and 429) retried with exponential
// backoff, never a 4xx. Worst case per call: max_attempts * attempt_timeout + the backoffs.
struct RemoteCallSettings {
  std::string ca_file;  // PEM bundle to verify the service's certificate; empty: system store
  std::uint32_t connect_timeout_ms = 5000;
  std::uint32_t attempt_timeout_ms = 10000;
  std::uint32_t max_attempts = 3;
  std::uint32_t first_backoff_ms = 200;  // doubled after each failed attempt
};

// Plain settings; filling them from the configuration (WEFTKIT_KEY_PROVIDER, WEFTKIT_KEY,
// EncryptionConfig) is the configuration library's job, not this module's.
struct KeyProviderSettings {
  std::string provider = "env";  // env | vault | kms | gcp-kms
  std::string env_key_base64;    // env: base64 of exactly 32 bytes, whitespace ignored

  // vault: HashiCorp Vault's transit secrets engine.
  std::string vault_addr;               // e.g. https://vault.example:8200 (no trailing path)
  std::string vault_token;              // sent as X-Vault-Token, never logged
  std::string vault_transit_key;        // the transit key's name
  std::string vault_mount = "transit";  // where the transit engine is mounted
  std::string vault_namespace;          // Vault Enterprise namespace (X-Vault-Namespace); optional
  // The transit key version whose HMAC derives the keyring's authentication key. Pinned so that
  // rotating the transit key does not change it (the keyring must reopen after a rotation).
  std::uint32_t vault_hmac_key_version = 1;

  // kms: AWS KMS (JSON 1.1 protocol, Signature Version 4). Credentials are given here; reading
  // AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN is the caller's job.
  std::string kms_region;        // e.g. eu-west-1
  std::string kms_key_arn;       // symmetric encryption key (ARN, key id or alias) wrapping data keys
  std::string kms_hmac_key_arn;  // HMAC_256 key whose GenerateMac derives the keyring auth key
  std::string kms_endpoint;      // empty: https://kms.<region>.amazonaws.com
  std::string aws_access_key_id;
  std::string aws_secret_access_key;
  std::string aws_session_token;  // empty for long-term credentials

  // gcp-kms: Google Cloud KMS (REST v1, JSON), every payload checked with CRC32C both ways.
  std::string gcp_kms_key;  // projects/P/locations/L/keyRings/R/cryptoKeys/K (ENCRYPT_DECRYPT)
  // projects/.../cryptoKeys/M/cryptoKeyVersions/N of a MAC key (HMAC_SHA256) whose macSign
  // derives the keyring auth key: Cloud KMS encryption is randomised, so a deterministic
  // operation under a second key is needed, and the version is pinned so rotation keeps it.
  std::string gcp_kms_mac_key_version;
  std::string gcp_kms_endpoint;      // empty: https://cloudkms.googleapis.com
  std::string gcp_access_token;      // an OAuth access token used as is (never refreshed)
  std::string gcp_credentials_file;  // else: a service-account JSON key file (JWT bearer grant)

  RemoteCallSettings remote;
};

// The provider the settings name; invalid_argument for an unknown name, key_provider_error for
// a provider whose settings make it unusable (incomplete vault, kms or gcp-kms settings, a
// refused service URL, an unreadable service-account file), invalid_master_key for a bad env key.
Result<std::shared_ptr<KeyProvider>> make_key_provider(const KeyProviderSettings& settings);

}  // namespace weftkit::crypto
