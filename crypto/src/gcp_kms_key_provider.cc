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

#include "crypto/src/gcp_kms_client.h"
#include "crypto/src/remote_wrapping.h"

namespace weftkit::crypto {
namespace {

constexpr std::string_view kAadLabel = "weftkit gcp-kms data key v1";
constexpr std::string_view kAuthLabel = "weftkit gcp-kms keyring authentication v1";

std::vector<std::uint8_t> binding(const KeyContext& context) {
  std::vector<std::uint8_t> aad(detail::binding_size(kAadLabel, context));
  detail::write_binding(kAadLabel, context, aad.data());
  return aad;
}

class GcpKmsKeyProvider final : public KeyProvider {
 public:
  explicit GcpKmsKeyProvider(detail::GcpKmsClient client) : client_(std::move(client)) {}

  std::string_view kind() const override { return "gcp-kms"; }

  Result<std::vector<std::uint8_t>> wrap_data_key(const KeyContext& context, const SecretKey& data_key) override {
    Result<std::vector<std::uint8_t>> ciphertext = client_.encrypt(data_key.bytes(), binding(context));
    if (!ciphertext.ok()) return ciphertext;
    return detail::with_wrap_format(ciphertext.value());  // the rest is Cloud KMS's ciphertext
  }

  Result<SecretKey> unwrap_data_key(const KeyContext& context, std::span<const std::uint8_t> wrapped) override {
    Result<std::span<const std::uint8_t>> ciphertext = detail::service_ciphertext(wrapped, "gcp-kms");
    if (!ciphertext.ok()) return ciphertext.error();
    Result<detail::WipedBytes> plaintext = client_.decrypt(ciphertext.value(), binding(context));
    if (!plaintext.ok()) return plaintext.error();
    return detail::data_key_from(plaintext.value(), "gcp-kms: decrypt");
  }

  Result<SecretKey> keyring_auth_key(std::span<const std::uint8_t> salt) override {
    return detail::keyring_auth_key_from_mac(kAuthLabel, salt, [this](std::span<const std::uint8_t> message) {
      return client_.mac_sign(message);
    });
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
