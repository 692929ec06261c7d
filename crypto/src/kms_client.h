// AWS KMS's JSON 1.1 API as the kms key provider uses it: Encrypt, Decrypt and GenerateMac,
// each a POST to "/" with X-Amz-Target: TrentService.<Action>, a JSON body with base64
// payloads, signed with Signature Version 4 (service "kms"). Errors carry the HTTP status and
// KMS's own "__type" and message, never a credential, a signature or a payload.
#pragma once

#include <map>
#include <span>
#include <string>
#include <vector>

#include <weftkit/crypto/error.h>
#include <weftkit/crypto/key_provider.h>

#include "crypto/src/aws_sigv4.h"
#include "crypto/src/http_client.h"
#include "crypto/src/wiped_bytes.h"

namespace weftkit::crypto::detail {

using EncryptionContext = std::map<std::string, std::string>;

class KmsClient {
 public:
  // key_provider_error for a missing region, key or credential, or a refused endpoint. KMS is
  // not contacted here.
  static Result<KmsClient> create(const KeyProviderSettings& settings);
  KmsClient(KmsClient&&) noexcept = default;
  KmsClient& operator=(KmsClient&&) = delete;
  ~KmsClient();  // wipes the credentials

  // The CiphertextBlob of plaintext under the encryption key, bound to context.
  Result<std::vector<std::uint8_t>> encrypt(std::span<const std::uint8_t> plaintext, const EncryptionContext& context) const;
  // The plaintext; authentication_failed when KMS refuses the ciphertext under this context
  // (InvalidCiphertextException), key_provider_error for other failures.
  Result<WipedBytes> decrypt(std::span<const std::uint8_t> blob, const EncryptionContext& context) const;
  // HMAC-SHA256 of message under the HMAC key (32 bytes).
  Result<WipedBytes> generate_mac(std::span<const std::uint8_t> message) const;

 private:
  KmsClient(const KeyProviderSettings& settings, std::string endpoint, std::string host, HttpClient client);
  struct Answer {
    std::string body;  // the JSON of a 2xx answer; the caller wipes it
  };
  // Signs and POSTs body (wiped by the caller) as TrentService.<action>.
  Result<Answer> call(const std::string& action, const std::string& body) const;

  std::string region_;
  std::string key_id_;
  std::string hmac_key_id_;
  std::string endpoint_;
  std::string host_;  // the Host header, signed and sent
  AwsCredentials credentials_;
  HttpClient client_;
};

}  // namespace weftkit::crypto::detail
