// The kms provider (see kms_key_provider.h).
//
// Binding: KMS authenticates the encryption context as additional data, so the data key is
// encrypted as is with {"weftkit:tenant": <tenant>, "weftkit:key-version": "<n>"}; Decrypt
// under any other context fails with InvalidCiphertextException (authentication_failed).
//
// Keyring authentication key: it must come out the same on every open, and KMS Encrypt and
// GenerateDataKey are randomised. GenerateMac under an HMAC_256 KMS key is deterministic
// (KMS does not rotate HMAC keys), so the key is
//   HKDF-SHA256(GenerateMac("weftkit kms keyring authentication v1" | salt), salt, same label).
// This needs a second KMS key; the alternative, a KMS-wrapped random authentication key stored
// in the keyring, would change the keyring format.
#include <weftkit/crypto/kms_key_provider.h>

#include "crypto/src/kms_client.h"
#include "crypto/src/remote_wrapping.h"

namespace weftkit::crypto {
namespace {

constexpr std::string_view kAuthLabel = "weftkit kms keyring authentication v1";

detail::EncryptionContext encryption_context(const KeyContext& context) {
  return {{"weftkit:tenant", std::string(context.tenant)}, {"weftkit:key-version", std::to_string(context.key_version)}};
}

class KmsKeyProvider final : public KeyProvider {
 public:
  explicit KmsKeyProvider(detail::KmsClient client) : client_(std::move(client)) {}

  std::string_view kind() const override { return "kms"; }

  Result<std::vector<std::uint8_t>> wrap_data_key(const KeyContext& context, const SecretKey& data_key) override {
    Result<std::vector<std::uint8_t>> blob = client_.encrypt(data_key.bytes(), encryption_context(context));
    if (!blob.ok()) return blob;
    return detail::with_wrap_format(blob.value());  // the rest is KMS's CiphertextBlob
  }

  Result<SecretKey> unwrap_data_key(const KeyContext& context, std::span<const std::uint8_t> wrapped) override {
    Result<std::span<const std::uint8_t>> blob = detail::service_ciphertext(wrapped, "kms");
    if (!blob.ok()) return blob.error();
    Result<detail::WipedBytes> plaintext = client_.decrypt(blob.value(), encryption_context(context));
    if (!plaintext.ok()) return plaintext.error();
    return detail::data_key_from(plaintext.value(), "kms: Decrypt");
  }

  Result<SecretKey> keyring_auth_key(std::span<const std::uint8_t> salt) override {
    return detail::keyring_auth_key_from_mac(kAuthLabel, salt, [this](std::span<const std::uint8_t> message) {
      return client_.generate_mac(message);
    });
  }

 private:
  detail::KmsClient client_;
};

}  // namespace

Result<std::shared_ptr<KeyProvider>> make_kms_key_provider(const KeyProviderSettings& settings) {
  Result<detail::KmsClient> client = detail::KmsClient::create(settings);
  if (!client.ok()) return client.error();
  return std::shared_ptr<KeyProvider>(std::make_shared<KmsKeyProvider>(std::move(client).value()));
}

}  // namespace weftkit::crypto
