// The vault provider (see vault_key_provider.h).
//
// Binding a wrapped key to its tenant and version: transit's "context" parameter is a key
// derivation input, meaningful only for keys created with derived=true (an operator's choice
// this provider cannot assume), and "associated_data" exists only in recent Vault versions. So
// the binding travels inside the plaintext instead:
//   "weftkit vault data key v1" | u32 tenant length | tenant | u32 key version | 32-byte data key
// Transit encrypts it with AES-256-GCM (or ChaCha20-Poly1305), which authenticates the whole
// plaintext, so the binding cannot be altered without decryption failing; on unwrap the
// decrypted binding must equal the context asked for. This works with any transit key type
// that encrypts, derived or not.
#include <weftkit/crypto/vault_key_provider.h>

#include <openssl/crypto.h>

#include <cstring>

#include "crypto/src/remote_wrapping.h"
#include "crypto/src/vault_transit.h"

namespace weftkit::crypto {
namespace {

constexpr std::string_view kBindingLabel = "weftkit vault data key v1";
constexpr std::string_view kAuthHmacLabel = "weftkit vault keyring authentication v1";

class VaultKeyProvider final : public KeyProvider {
 public:
  VaultKeyProvider(detail::VaultTransit transit, std::uint32_t hmac_key_version)
      : transit_(std::move(transit)), hmac_key_version_(hmac_key_version) {}

  std::string_view kind() const override { return "vault"; }

  Result<std::vector<std::uint8_t>> wrap_data_key(const KeyContext& context, const SecretKey& data_key) override {
    const std::size_t bound = detail::binding_size(kBindingLabel, context);
    detail::WipedBytes plaintext(bound + kKeySize);
    detail::write_binding(kBindingLabel, context, plaintext.bytes().data());
    std::memcpy(plaintext.bytes().data() + bound, data_key.bytes().data(), kKeySize);
    Result<std::string> ciphertext = transit_.encrypt(plaintext.bytes());
    if (!ciphertext.ok()) return ciphertext.error();
    // The rest is "vault:vN:...".
    return detail::with_wrap_format(std::span(reinterpret_cast<const std::uint8_t*>(ciphertext.value().data()),
                                              ciphertext.value().size()));
  }

  Result<SecretKey> unwrap_data_key(const KeyContext& context, std::span<const std::uint8_t> wrapped) override {
    Result<std::span<const std::uint8_t>> stored = detail::service_ciphertext(wrapped, "vault");
    if (!stored.ok()) return stored.error();
    std::string ciphertext(reinterpret_cast<const char*>(stored.value().data()), stored.value().size());
    if (!ciphertext.starts_with("vault:v")) {
      return Error(ErrorCode::kUnsupportedFormat, "a wrapped data key that is not a Vault transit ciphertext");
    }
    Result<detail::WipedBytes> plaintext = transit_.decrypt(ciphertext);
    if (!plaintext.ok()) return plaintext.error();
    const std::vector<std::uint8_t>& bytes = plaintext.value().bytes();
    const std::size_t bound = detail::binding_size(kBindingLabel, context);
    detail::WipedBytes expected(bound);
    detail::write_binding(kBindingLabel, context, expected.bytes().data());
    if (bytes.size() != bound + kKeySize || std::memcmp(bytes.data(), expected.bytes().data(), bound) != 0) {
      return Error(ErrorCode::kAuthenticationFailed,
                   "vault: the data key of key version " + std::to_string(context.key_version) +
                       " was not wrapped for this tenant and version");
    }
    return SecretKey::from_bytes(std::span(bytes).subspan(bound, kKeySize));
  }

  // The transit key's HMAC of label | salt, through HKDF (remote_wrapping.h).
  Result<SecretKey> keyring_auth_key(std::span<const std::uint8_t> salt) override {
    return detail::keyring_auth_key_from_mac(kAuthHmacLabel, salt, [this](std::span<const std::uint8_t> message) {
      return transit_.hmac_sha256(message, hmac_key_version_);
    });
  }

 private:
  detail::VaultTransit transit_;
  std::uint32_t hmac_key_version_;
};

}  // namespace

Result<std::shared_ptr<KeyProvider>> make_vault_key_provider(const KeyProviderSettings& settings) {
  if (settings.vault_hmac_key_version == 0) {
    return Error(ErrorCode::kKeyProviderError, "vault: the HMAC key version must be 1 or more");
  }
  Result<detail::VaultTransit> transit = detail::VaultTransit::create(settings);
  if (!transit.ok()) return transit.error();
  return std::shared_ptr<KeyProvider>(
      std::make_shared<VaultKeyProvider>(std::move(transit).value(), settings.vault_hmac_key_version));
}

}  // namespace weftkit::crypto
