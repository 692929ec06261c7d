// Cloud KMS's REST v1 API as the gcp-kms provider uses it: cryptoKeys.encrypt, cryptoKeys.decrypt
// and cryptoKeyVersions.macSign, JSON with base64 payloads and a Bearer token. Every payload
// sent carries its CRC32C and every payload received is checked against the CRC32C (and the
// verified* flags) Cloud KMS answers, as Google documents for end-to-end integrity. Errors carry
// the HTTP status and Google's status name and message, never a token or a payload. A failed
// integrity check (a CRC32C mismatch either way) is retried a few times before it is reported.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include <weftkit/crypto/error.h>
#include <weftkit/crypto/key_provider.h>

#include "crypto/src/gcp_token_source.h"
#include "crypto/src/http_client.h"
#include "crypto/src/wiped_bytes.h"

namespace weftkit::crypto::detail {

class GcpKmsClient {
 public:
  // key_provider_error for a malformed key or MAC key version name, missing credentials, or a
  // refused endpoint. Cloud KMS is not contacted here.
  static Result<GcpKmsClient> create(const KeyProviderSettings& settings);

  // The ciphertext of plaintext under the crypto key's primary version, bound to aad.
  Result<std::vector<std::uint8_t>> encrypt(std::span<const std::uint8_t> plaintext, std::span<const std::uint8_t> aad) const;
  // The plaintext; authentication_failed when Cloud KMS refuses the ciphertext under this aad
  // (not authentic), key_provider_error for other failures.
  Result<WipedBytes> decrypt(std::span<const std::uint8_t> ciphertext, std::span<const std::uint8_t> aad) const;
  // HMAC-SHA256 of data under the pinned MAC key version (32 bytes).
  Result<WipedBytes> mac_sign(std::span<const std::uint8_t> data) const;

  int token_exchanges() const { return tokens_->exchanges(); }

 private:
  GcpKmsClient(const KeyProviderSettings& settings, std::string endpoint, HttpClient client,
               std::unique_ptr<GcpTokenSource> tokens);
  // POSTs body to <endpoint>/v1/<resource>:<method>; the 2xx answer's JSON body text.
  // corrupted is set when the service reports a request checksum it could not verify.
  Result<std::string> call(const std::string& resource, const std::string& method, const std::string& body,
                           bool& corrupted) const;
  // One call each; corrupted is set when the failure is an integrity check (either direction),
  // which the public calls retry a few times as Google advises.
  Result<std::vector<std::uint8_t>> encrypt_once(std::span<const std::uint8_t> plaintext, std::span<const std::uint8_t> aad,
                                                 bool& corrupted) const;
  Result<WipedBytes> decrypt_once(std::span<const std::uint8_t> ciphertext, std::span<const std::uint8_t> aad,
                                  bool& corrupted) const;
  Result<WipedBytes> mac_sign_once(std::span<const std::uint8_t> data, bool& corrupted) const;

  std::string key_;
  std::string mac_key_version_;
  std::string endpoint_;
  HttpClient client_;
  std::unique_ptr<GcpTokenSource> tokens_;
};

// Whether name is projects/P/locations/L/keyRings/R/cryptoKeys/K (with_version: followed by
// /cryptoKeyVersions/N), each name made of letters, digits, '-' and '_'.
bool is_gcp_crypto_key_name(const std::string& name, bool with_version);

}  // namespace weftkit::crypto::detail
