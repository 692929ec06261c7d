// OpenSSL 3 calls behind crypto_primitives.h.
#include "auth/crypto_primitives.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <climits>

namespace weftkit::auth {

std::optional<std::string> hmac_sha256(std::string_view key, std::string_view message) {
  if (key.size() > INT_MAX) return std::nullopt;
  std::string out(kSha256Size, '\0');
  unsigned int length = 0;
  // HMAC() with a null key pointer would use no key at all; give it a valid address.
  static const unsigned char kEmpty = 0;
  const auto* key_bytes = key.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(key.data());
  if (HMAC(EVP_sha256(), key_bytes, static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
           message.size(), reinterpret_cast<unsigned char*>(out.data()), &length) == nullptr ||
      length != kSha256Size) {
    return std::nullopt;
  }
  return out;
}

std::optional<std::string> sha256(std::string_view bytes) {
  std::string out(kSha256Size, '\0');
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), reinterpret_cast<unsigned char*>(out.data()), &length, EVP_sha256(),
                 nullptr) != 1 ||
      length != kSha256Size) {
    return std::nullopt;
  }
  return out;
}

std::optional<std::string> pbkdf2_sha256(std::string_view password, std::string_view salt, uint32_t iterations) {
  if (password.size() > INT_MAX || salt.size() > INT_MAX || iterations == 0 || iterations > INT_MAX) return std::nullopt;
  std::string out(kSha256Size, '\0');
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                        reinterpret_cast<const unsigned char*>(salt.data()), static_cast<int>(salt.size()),
                        static_cast<int>(iterations), EVP_sha256(), static_cast<int>(out.size()),
                        reinterpret_cast<unsigned char*>(out.data())) != 1) {
    return std::nullopt;
  }
  return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::optional<std::string> random_bytes(size_t count) {
  std::string out(count, '\0');
  if (count > INT_MAX || RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(count)) != 1) {
    return std::nullopt;
  }
  return out;
}

}  // namespace weftkit::auth
