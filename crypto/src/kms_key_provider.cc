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

#include "crypto/src/kdf.h"
#include "crypto/src/kms_client.h"

namespace weftkit::crypto {
namespace {

constexpr std::uint8_t kWrapFormat = 1;  // byte 0 of a wrapped key; the rest is KMS's CiphertextBlob
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
    std::vector<std::uint8_t> wrapped;
    wrapped.reserve(1 + blob.value().size());
    wrapped.push_back(kWrapFormat);
    wrapped.insert(wrapped.end(), blob.value().begin(), blob.value().end());
    return wrapped;
  }

  Result<SecretKey> unwrap_data_key(const KeyContext& context, std::span<const std::uint8_t> wrapped) override {
    if (wrapped.size() < 2 || wrapped[0] != kWrapFormat) {
      return Error(ErrorCode::kUnsupportedFormat, "a wrapped data key of " + std::to_string(wrapped.size()) +
                                                      " bytes is not one the kms provider wrote");
    }
    Result<detail::WipedBytes> plaintext = client_.decrypt(wrapped.subspan(1), encryption_context(context));
    if (!plaintext.ok()) return plaintext.error();
    if (plaintext.value().bytes().size() != kKeySize) {
      return Error(ErrorCode::kKeyProviderError, "kms: Decrypt answered " + std::to_string(plaintext.value().bytes().size()) +
                                                     " bytes, not a 32-byte data key");
    }
    return SecretKey::from_bytes(plaintext.value().bytes());
  }

  Result<SecretKey> keyring_auth_key(std::span<const std::uint8_t> salt) override {
    std::vector<std::uint8_t> message(kAuthLabel.begin(), kAuthLabel.end());
    message.insert(message.end(), salt.begin(), salt.end());
    Result<detail::WipedBytes> mac = client_.generate_mac(message);
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
  detail::KmsClient client_;
};

}  // namespace

Result<std::shared_ptr<KeyProvider>> make_kms_key_provider(const KeyProviderSettings& settings) {
  Result<detail::KmsClient> client = detail::KmsClient::create(settings);
  if (!client.ok()) return client.error();
  return std::shared_ptr<KeyProvider>(std::make_shared<KmsKeyProvider>(std::move(client).value()));
}

}  // namespace weftkit::crypto
