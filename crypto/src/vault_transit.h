// Vault transit's HTTP API as the vault key provider uses it: encrypt, decrypt and HMAC of
// bytes under one named transit key. Requests and answers are JSON with base64 payloads; the
// token goes in X-Vault-Token and, when set, the namespace in X-Vault-Namespace. Errors carry
// the HTTP status and Vault's own "errors" text, never the token or a payload.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <weftkit/crypto/error.h>
#include <weftkit/crypto/key_provider.h>

#include "crypto/src/http_client.h"
#include "crypto/src/wiped_bytes.h"

namespace weftkit::crypto::detail {

class VaultTransit {
 public:
  // key_provider_error for unusable settings, as make_vault_key_provider documents.
  static Result<VaultTransit> create(const KeyProviderSettings& settings);
  VaultTransit(VaultTransit&&) noexcept = default;
  VaultTransit& operator=(VaultTransit&&) = delete;
  ~VaultTransit();  // wipes the token

  // The "vault:vN:..." ciphertext of plaintext.
  Result<std::string> encrypt(std::span<const std::uint8_t> plaintext) const;
  // The plaintext of a ciphertext this key produced; authentication_failed when transit
  // refuses the ciphertext as not authentic (its tag fails), key_provider_error otherwise.
  Result<WipedBytes> decrypt(const std::string& ciphertext) const;
  // HMAC-SHA256 of input under version key_version of the transit key (32 bytes).
  Result<WipedBytes> hmac_sha256(std::span<const std::uint8_t> input, std::uint32_t key_version) const;

 private:
  VaultTransit(const KeyProviderSettings& settings, HttpClient client);
  // POSTs a JSON body to <addr>/v1/<mount>/<operation>/<key>[/suffix] and returns the answer's
  // "data" object's field, or the error the status and Vault's "errors" make.
  // The caller wipes the returned text when it is secret.
  Result<std::string> call(const std::string& operation, const std::string& body, const char* field,
                           const std::string& suffix = "") const;

  std::string address_;
  std::string token_;
  std::string mount_;
  std::string key_;
  std::string namespace_;
  HttpClient client_;
};

}  // namespace weftkit::crypto::detail
