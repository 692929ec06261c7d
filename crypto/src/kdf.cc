// HKDF-SHA256 through EVP_KDF and HMAC-SHA256 through OpenSSL's one-shot HMAC.
#include "crypto/src/kdf.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <memory>

namespace weftkit::crypto::detail {
namespace {

struct KdfDeleter {
  void operator()(EVP_KDF* kdf) const { EVP_KDF_free(kdf); }
  void operator()(EVP_KDF_CTX* ctx) const { EVP_KDF_CTX_free(ctx); }
};

// OSSL_PARAM wants mutable pointers for buffers it only reads.
void* param_data(std::span<const std::uint8_t> bytes) { return const_cast<std::uint8_t*>(bytes.data()); }

}  // namespace

bool hkdf_sha256(std::span<const std::uint8_t> input_key, std::span<const std::uint8_t> salt,
                 std::span<const std::uint8_t> info, std::span<std::uint8_t> out) {
  if (out.empty() || out.size() > 255 * kHmacSha256Size) return false;
  // Fetched once: EVP_KDF_fetch looks the algorithm up in the provider tables each time.
  static EVP_KDF* const hkdf = EVP_KDF_fetch(nullptr, OSSL_KDF_NAME_HKDF, nullptr);
  if (hkdf == nullptr) return false;
  std::unique_ptr<EVP_KDF_CTX, KdfDeleter> ctx(EVP_KDF_CTX_new(hkdf));
  if (!ctx) return false;
  static const std::uint8_t kEmpty[1] = {0};
  OSSL_PARAM params[5];
  std::size_t count = 0;
  params[count++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, const_cast<char*>("SHA256"), 0);
  params[count++] = OSSL_PARAM_construct_octet_string(
      OSSL_KDF_PARAM_KEY, input_key.empty() ? const_cast<std::uint8_t*>(kEmpty) : param_data(input_key), input_key.size());
  // An absent salt is HashLen zero bytes (RFC 5869 2.2), which OpenSSL applies when none is given.
  if (!salt.empty()) params[count++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, param_data(salt), salt.size());
  if (!info.empty()) params[count++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, param_data(info), info.size());
  params[count] = OSSL_PARAM_construct_end();
  if (EVP_KDF_derive(ctx.get(), out.data(), out.size(), params) != 1) {
    OPENSSL_cleanse(out.data(), out.size());
    return false;
  }
  return true;
}

bool hmac_sha256(std::span<const std::uint8_t> key, std::span<const std::uint8_t> message,
                 std::span<std::uint8_t, kHmacSha256Size> out) {
  static const std::uint8_t kEmpty[1] = {0};
  unsigned int length = 0;
  const unsigned char* result =
      HMAC(EVP_sha256(), key.empty() ? kEmpty : key.data(), static_cast<int>(key.size()),
           message.empty() ? kEmpty : message.data(), message.size(), out.data(), &length);
  return result != nullptr && length == kHmacSha256Size;
}

bool equal_in_constant_time(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace weftkit::crypto::detail
