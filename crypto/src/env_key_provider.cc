// The env provider: wraps data keys with AES-256-GCM under HKDF(master, "data key wrapping"),
// bound to the tenant and key version as AAD, and derives the keyring's authentication key with
// HKDF(master, salt, "keyring authentication").
#include <weftkit/crypto/env_key_provider.h>

#include <openssl/rand.h>

#include <mutex>

#include "crypto/src/base64.h"
#include "crypto/src/byte_io.h"
#include "crypto/src/gcm_context.h"
#include "crypto/src/kdf.h"

namespace weftkit::crypto {
namespace {

constexpr std::uint8_t kWrapFormat = 1;
constexpr std::size_t kWrappedSize = 1 + detail::kGcmNonceSize + kKeySize + detail::kGcmTagSize;

std::span<const std::uint8_t> as_bytes(std::string_view text) {
  return std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
}

std::vector<std::uint8_t> wrap_aad(const KeyContext& context) {
  detail::ByteWriter aad;
  aad.raw(as_bytes("weftkit env data key v1"));
  aad.u32(static_cast<std::uint32_t>(context.tenant.size()));
  aad.raw(as_bytes(context.tenant));
  aad.u32(context.key_version);
  return std::move(aad.bytes());
}

class EnvKeyProvider final : public KeyProvider {
 public:
  EnvKeyProvider(SecretKey master, detail::GcmContext wrapper) : master_(std::move(master)), wrapper_(std::move(wrapper)) {}

  std::string_view kind() const override { return "env"; }

  Result<std::vector<std::uint8_t>> wrap_data_key(const KeyContext& context, const SecretKey& data_key) override {
    std::vector<std::uint8_t> wrapped(kWrappedSize);
    wrapped[0] = kWrapFormat;
    std::span<std::uint8_t> nonce(wrapped.data() + 1, detail::kGcmNonceSize);
    if (RAND_bytes(nonce.data(), static_cast<int>(nonce.size())) != 1) {
      return Error(ErrorCode::kInternal, "RAND_bytes failed");
    }
    std::vector<std::uint8_t> aad = wrap_aad(context);
    std::uint8_t* ciphertext = nonce.data() + nonce.size();
    std::lock_guard lock(mutex_);
    if (!wrapper_.seal(nonce, aad, data_key.bytes(), ciphertext,
                       std::span<std::uint8_t, detail::kGcmTagSize>(ciphertext + kKeySize, detail::kGcmTagSize))) {
      return Error(ErrorCode::kInternal, "AES-GCM failed to wrap a data key");
    }
    return wrapped;
  }

  Result<SecretKey> unwrap_data_key(const KeyContext& context, std::span<const std::uint8_t> wrapped) override {
    if (wrapped.size() != kWrappedSize || wrapped[0] != kWrapFormat) {
      return Error(ErrorCode::kUnsupportedFormat, "a wrapped data key of " + std::to_string(wrapped.size()) +
                                                      " bytes is not one the env provider wrote");
    }
    Result<SecretKey> key = SecretKey::allocate();
    if (!key.ok()) return key;
    std::vector<std::uint8_t> aad = wrap_aad(context);
    std::span<const std::uint8_t> nonce = wrapped.subspan(1, detail::kGcmNonceSize);
    std::span<const std::uint8_t> ciphertext = wrapped.subspan(1 + detail::kGcmNonceSize, kKeySize);
    std::span<const std::uint8_t, detail::kGcmTagSize> tag(wrapped.data() + 1 + detail::kGcmNonceSize + kKeySize,
                                                           detail::kGcmTagSize);
    std::lock_guard lock(mutex_);
    if (!wrapper_.open(nonce, aad, ciphertext, tag, key.value().mutable_bytes().data())) {
      return Error(ErrorCode::kAuthenticationFailed, "the data key of tenant version " +
                                                         std::to_string(context.key_version) +
                                                         " does not unwrap under this master key and tenant");
    }
    return key;
  }

  Result<SecretKey> keyring_auth_key(std::span<const std::uint8_t> salt) override {
    Result<SecretKey> key = SecretKey::allocate();
    if (!key.ok()) return key;
    if (!detail::hkdf_sha256(master_.bytes(), salt, as_bytes("weftkit keyring authentication v1"),
                             key.value().mutable_bytes())) {
      return Error(ErrorCode::kInternal, "HKDF failed");
    }
    return key;
  }

 private:
  SecretKey master_;
  std::mutex mutex_;  // one GCM context, used by one caller at a time
  detail::GcmContext wrapper_;
};

}  // namespace

Result<std::shared_ptr<KeyProvider>> make_env_key_provider(const SecretKey& master_key) {
  Result<SecretKey> master = SecretKey::from_bytes(master_key.bytes());
  if (!master.ok()) return master.error();
  Result<SecretKey> wrapping_key = SecretKey::allocate();
  if (!wrapping_key.ok()) return wrapping_key.error();
  if (!detail::hkdf_sha256(master_key.bytes(), {}, as_bytes("weftkit env data key wrapping v1"),
                           wrapping_key.value().mutable_bytes())) {
    return Error(ErrorCode::kInternal, "HKDF failed");
  }
  Result<detail::GcmContext> wrapper = detail::GcmContext::create(wrapping_key.value().bytes());
  if (!wrapper.ok()) return wrapper.error();
  return std::shared_ptr<KeyProvider>(
      std::make_shared<EnvKeyProvider>(std::move(master).value(), std::move(wrapper).value()));
}

Result<std::shared_ptr<KeyProvider>> make_env_key_provider(std::string_view base64_text) {
  Result<SecretKey> master = SecretKey::allocate();
  if (!master.ok()) return master.error();
  // Bytes past the 32nd are counted, not stored: the decoder writes only into locked memory.
  std::span<std::uint8_t> out = master.value().mutable_bytes();
  detail::Base64Decoded decoded = detail::decode_base64(base64_text, out);
  if (!decoded.ok) {
    return Error(ErrorCode::kInvalidMasterKey, "the env provider's master key (WEFTKIT_KEY) must be base64 of 32 bytes: " +
                                                   decoded.problem);
  }
  if (decoded.decoded_size != kKeySize) {
    return Error(ErrorCode::kInvalidMasterKey, "the env provider's master key (WEFTKIT_KEY) decodes to " +
                                                   std::to_string(decoded.decoded_size) +
                                                   " bytes; it must be exactly 32 (base64 of 32 bytes is 44 characters)");
  }
  return make_env_key_provider(master.value());
}

}  // namespace weftkit::crypto
