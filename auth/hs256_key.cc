// HMAC-SHA-256 from a context keyed once; see hs256_key.h.
#include "auth/hs256_key.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

namespace weftkit::auth {

std::unique_ptr<Hs256Key> Hs256Key::create(std::string_view secret) {
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (mac == nullptr) return nullptr;
  EVP_MAC_CTX* keyed = EVP_MAC_CTX_new(mac);
  EVP_MAC_free(mac);  // the context holds its own reference
  if (keyed == nullptr) return nullptr;
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0), OSSL_PARAM_construct_end()};
  // A null key pointer would mean "no key": give an empty secret a valid address.
  static const unsigned char kEmpty = 0;
  const auto* key = secret.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(secret.data());
  if (EVP_MAC_init(keyed, key, secret.size(), params) != 1) {
    EVP_MAC_CTX_free(keyed);
    return nullptr;
  }
  return std::unique_ptr<Hs256Key>(new Hs256Key(keyed));
}

Hs256Key::~Hs256Key() { EVP_MAC_CTX_free(keyed_); }  // frees (and cleanses) the keyed state

bool Hs256Key::verifies(std::string_view signing_input, std::string_view signature) const {
  constexpr size_t kMacSize = 32;
  if (signature.size() != kMacSize) return false;  // the length is public; only the bytes are compared in constant time
  EVP_MAC_CTX* context = EVP_MAC_CTX_dup(keyed_);
  if (context == nullptr) return false;
  unsigned char mac[kMacSize];
  size_t length = 0;
  const bool computed = EVP_MAC_update(context, reinterpret_cast<const unsigned char*>(signing_input.data()),
                                       signing_input.size()) == 1 &&
                        EVP_MAC_final(context, mac, &length, sizeof mac) == 1 && length == kMacSize;
  EVP_MAC_CTX_free(context);
  const bool same = computed && CRYPTO_memcmp(mac, signature.data(), kMacSize) == 0;
  OPENSSL_cleanse(mac, sizeof mac);
  return same;
}

}  // namespace weftkit::auth
