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

#include "crypto/src/byte_io.h"
#include "crypto/src/kdf.h"
#include "crypto/src/vault_transit.h"

namespace weftkit::crypto {
namespace {

constexpr std::uint8_t kWrapFormat = 1;  // byte 0 of a wrapped key; the rest is "vault:vN:..."
constexpr std::string_view kBindingLabel = "weftkit vault data key v1";
constexpr std::string_view kAuthHmacLabel = "weftkit vault keyring authentication v1";

std::span<const std::uint8_t> as_bytes(std::string_view text) {
  return std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
}

std::size_t binding_size(const KeyContext& context) { return kBindingLabel.size() + 4 + context.tenant.size() + 4; }

void write_binding(const KeyContext& context, std::uint8_t* out) {
  std::memcpy(out, kBindingLabel.data(), kBindingLabel.size());
  out += kBindingLabel.size();
  detail::store_u32(out, static_cast<std::uint32_t>(context.tenant.size()));
  out += 4;
  std::memcpy(out, context.tenant.data(), context.tenant.size());
  out += context.tenant.size();
  detail::store_u32(out, context.key_version);
}

class VaultKeyProvider final : public KeyProvider {
 public:
  VaultKeyProvider(detail::VaultTransit transit, std::uint32_t hmac_key_version)
      : transit_(std::move(transit)), hmac_key_version_(hmac_key_version) {}

  std::string_view kind() const override { return "vault"; }

  Result<std::vector<std::uint8_t>> wrap_data_key(const KeyContext& context, const SecretKey& data_key) override {
    const std::size_t bound = binding_size(context);
    detail::WipedBytes plaintext(bound + kKeySize);
    write_binding(context, plaintext.bytes().data());
    std::memcpy(plaintext.bytes().data() + bound, data_key.bytes().data(), kKeySize);
    Result<std::string> ciphertext = transit_.encrypt(plaintext.bytes());
    if (!ciphertext.ok()) return ciphertext.error();
    std::vector<std::uint8_t> wrapped;
    wrapped.reserve(1 + ciphertext.value().size());
    wrapped.push_back(kWrapFormat);
    wrapped.insert(wrapped.end(), ciphertext.value().begin(), ciphertext.value().end());
    return wrapped;
  }

  Result<SecretKey> unwrap_data_key(const KeyContext& context, std::span<const std::uint8_t> wrapped) override {
    if (wrapped.size() < 2 || wrapped[0] != kWrapFormat) {
      return Error(ErrorCode::kUnsupportedFormat, "a wrapped data key of " + std::to_string(wrapped.size()) +
                                                      " bytes is not one the vault provider wrote");
    }
    std::string ciphertext(reinterpret_cast<const char*>(wrapped.data() + 1), wrapped.size() - 1);
    if (!ciphertext.starts_with("vault:v")) {
      return Error(ErrorCode::kUnsupportedFormat, "a wrapped data key that is not a Vault transit ciphertext");
    }
    Result<detail::WipedBytes> plaintext = transit_.decrypt(ciphertext);
    if (!plaintext.ok()) return plaintext.error();
    const std::vector<std::uint8_t>& bytes = plaintext.value().bytes();
    const std::size_t bound = binding_size(context);
    detail::WipedBytes expected(bound);
    write_binding(context, expected.bytes().data());
    if (bytes.size() != bound + kKeySize || std::memcmp(bytes.data(), expected.bytes().data(), bound) != 0) {
      return Error(ErrorCode::kAuthenticationFailed,
                   "vault: the data key of key version " + std::to_string(context.key_version) +
                       " was not wrapped for this tenant and version");
    }
    return SecretKey::from_bytes(std::span(bytes).subspan(bound, kKeySize));
  }

  // HKDF(HMAC_transit(label | salt), salt, info): the same for every call with this salt and
  // transit key, different under any other transit key, and the transit key never leaves Vault.
  Result<SecretKey> keyring_auth_key(std::span<const std::uint8_t> salt) override {
    std::vector<std::uint8_t> input(kAuthHmacLabel.begin(), kAuthHmacLabel.end());
    input.insert(input.end(), salt.begin(), salt.end());
    Result<detail::WipedBytes> mac = transit_.hmac_sha256(input, hmac_key_version_);
    if (!mac.ok()) return mac.error();
    Result<SecretKey> key = SecretKey::allocate();
    if (!key.ok()) return key;
    if (!detail::hkdf_sha256(mac.value().bytes(), salt, as_bytes(kAuthHmacLabel), key.value().mutable_bytes())) {
      return Error(ErrorCode::kInternal, "HKDF failed");
    }
    return key;
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
