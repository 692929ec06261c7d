// The gcp-kms provider (see gcp_kms_key_provider.h).
//
// Binding: Cloud KMS authenticates additionalAuthenticatedData, so the data key is encrypted
// as is with the AAD "weftkit gcp-kms data key v1" | u32 tenant length | tenant | u32 version;
// decrypt under any other AAD fails with INVALID_ARGUMENT "Decryption failed"
// (authentication_failed).
//
// Keyring authentication key: it must come out the same on every open, and Cloud KMS
// encryption is randomised, so it is HKDF-SHA256(macSign(label | salt), salt, label) under a
// pinned HMAC_SHA256 key version, as the kms provider does with GenerateMac.
#include <weftkit/crypto/gcp_kms_key_provider.h>

#include <cstring>

#include "crypto/src/byte_io.h"
#include "crypto/src/gcp_kms_client.h"
#include "crypto/src/kdf.h"

namespace weftkit::crypto {
namespace {

constexpr std::uint8_t kWrapFormat = 1;  // byte 0 of a wrapped key; the rest is Cloud KMS's ciphertext
constexpr std::string_view kAadLabel = "weftkit gcp-kms data key v1";
constexpr std::string_view kAuthLabel = "weftkit gcp-kms keyring authentication v1";

std::vector<std::uint8_t> binding(const KeyContext& context) {
  std::vector<std::uint8_t> aad(kAadLabel.size() + 4 + context.tenant.size() + 4);
  std::uint8_t* out = aad.data();
  std::memcpy(out, kAadLabel.data(), kAadLabel.size());
  out += kAadLabel.size();
  detail::store_u32(out, static_cast<std::uint32_t>(context.tenant.size()));
  out += 4;
  std::memcpy(out, context.tenant.data(), context.tenant.size());
  out += context.tenant.size();
  detail::store_u32(out, context.key_version);
  return aad;
}

class GcpKmsKeyProvider final : public KeyProvider {
 public:
  explicit GcpKmsKeyProvider(detail::GcpKmsClient client) : client_(std::move(client)) {}

  std::string_view kind() const override { return "gcp-kms"; }

  Result<std::vector<std::uint8_t>> wrap_data_key(const KeyContext& context, const SecretKey& data_key) override {
    Result<std::vector<std::uint8_t>> ciphertext = client_.encrypt(data_key.bytes(), binding(context));
    if (!ciphertext.ok()) return ciphertext;
    std::vector<std::uint8_t> wrapped;
    wrapped.reserve(1 + ciphertext.value().size());
    wrapped.push_back(kWrapFormat);
    wrapped.insert(wrapped.end(), ciphertext.value().begin(), ciphertext.value().end());
    return wrapped;
  }

  Result<SecretKey> unwrap_data_key(const KeyContext& context, std::span<const std::uint8_t> wrapped) override {
    if (wrapped.size() < 2 || wrapped[0] != kWrapFormat) {
      return Error(ErrorCode::kUnsupportedFormat, "a wrapped data key of " + std::to_string(wrapped.size()) +
                                                      " bytes is not one the gcp-kms provider wrote");
    }
    Result<detail::WipedBytes> plaintext = client_.decrypt(wrapped.subspan(1), binding(context));
    if (!plaintext.ok()) return plaintext.error();
    if (plaintext.value().bytes().size() != kKeySize) {
      return Error(ErrorCode::kKeyProviderError, "gcp-kms: decrypt answered " +
                                                     std::to_string(plaintext.value().bytes().size()) +
                                                     " bytes, not a 32-byte data key");
    }
    return SecretKey::from_bytes(plaintext.value().bytes());
  }

  Result<SecretKey> keyring_auth_key(std::span<const std::uint8_t> salt) override {
    std::vector<std::uint8_t> message(kAuthLabel.begin(), kAuthLabel.end());
    message.insert(message.end(), salt.begin(), salt.end());
    Result<detail::WipedBytes> mac = client_.mac_sign(message);
    if (!mac.ok()) return mac.error();
    Result<SecretKey> key = SecretKey::allocate();
    if (!key.ok()) return key;
    std::span<const std::uint8_t> info(reinterpret_cast<const std::uint8_t*>(kAuthLabel.data()), kAuthLabel.size());
    if (!detail::hkdf_sha256(mac.value().bytes(), salt, info, key.value().mutable_bytes())) {
      return Error(ErrorCode::kInternal, "HKDF failed");
    }
    return key;
  }

 private:
  detail::GcpKmsClient client_;
};

}  // namespace

Result<std::shared_ptr<KeyProvider>> make_gcp_kms_key_provider(const KeyProviderSettings& settings) {
  Result<detail::GcpKmsClient> client = detail::GcpKmsClient::create(settings);
  if (!client.ok()) return client.error();
  return std::shared_ptr<KeyProvider>(std::make_shared<GcpKmsKeyProvider>(std::move(client).value()));
}

}  // namespace weftkit::crypto
