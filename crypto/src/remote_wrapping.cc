// The remote providers' shared pieces (remote_wrapping.h).
#include "crypto/src/remote_wrapping.h"

#include <cstring>
#include <string>

#include "crypto/src/byte_io.h"
#include "crypto/src/kdf.h"

namespace weftkit::crypto::detail {
namespace {

constexpr std::uint8_t kWrapFormat = 1;

std::span<const std::uint8_t> as_bytes(std::string_view text) {
  return std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
}

}  // namespace

std::vector<std::uint8_t> with_wrap_format(std::span<const std::uint8_t> service_ciphertext) {
  std::vector<std::uint8_t> wrapped;
  wrapped.reserve(1 + service_ciphertext.size());
  wrapped.push_back(kWrapFormat);
  wrapped.insert(wrapped.end(), service_ciphertext.begin(), service_ciphertext.end());
  return wrapped;
}

Result<std::span<const std::uint8_t>> service_ciphertext(std::span<const std::uint8_t> wrapped,
                                                         std::string_view provider) {
  if (wrapped.size() < 2 || wrapped[0] != kWrapFormat) {
    return Error(ErrorCode::kUnsupportedFormat, "a wrapped data key of " + std::to_string(wrapped.size()) +
                                                    " bytes is not one the " + std::string(provider) +
                                                    " provider wrote");
  }
  return wrapped.subspan(1);
}

Result<SecretKey> data_key_from(const WipedBytes& plaintext, std::string_view call) {
  if (plaintext.bytes().size() != kKeySize) {
    return Error(ErrorCode::kKeyProviderError, std::string(call) + " answered " +
                                                   std::to_string(plaintext.bytes().size()) +
                                                   " bytes, not a 32-byte data key");
  }
  return SecretKey::from_bytes(plaintext.bytes());
}

std::size_t binding_size(std::string_view label, const KeyContext& context) {
  return label.size() + 4 + context.tenant.size() + 4;
}

void write_binding(std::string_view label, const KeyContext& context, std::uint8_t* out) {
  std::memcpy(out, label.data(), label.size());
  out += label.size();
  store_u32(out, static_cast<std::uint32_t>(context.tenant.size()));
  out += 4;
  std::memcpy(out, context.tenant.data(), context.tenant.size());
  out += context.tenant.size();
  store_u32(out, context.key_version);
}

Result<SecretKey> keyring_auth_key_from_mac(std::string_view label, std::span<const std::uint8_t> salt,
                                            const ServiceMac& mac) {
  std::vector<std::uint8_t> message(label.begin(), label.end());
  message.insert(message.end(), salt.begin(), salt.end());
  Result<WipedBytes> digest = mac(message);
  if (!digest.ok()) return digest.error();
  Result<SecretKey> key = SecretKey::allocate();
  if (!key.ok()) return key;
  if (!hkdf_sha256(digest.value().bytes(), salt, as_bytes(label), key.value().mutable_bytes())) {
    return Error(ErrorCode::kInternal, "HKDF failed");
  }
  return key;
}

}  // namespace weftkit::crypto::detail
