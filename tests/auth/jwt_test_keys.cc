// OpenSSL key generation, JWK export and JWS signing for tests (raw r||s for ECDSA).
#include "tests/auth/jwt_test_keys.h"

#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/hmac.h>
#include <openssl/rsa.h>

#include <vector>

namespace weftkit::auth::testing {
namespace {

std::shared_ptr<EVP_PKEY> own(EVP_PKEY* key) { return std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free); }

std::string bn_bytes(const EVP_PKEY* key, const char* name) {
  BIGNUM* number = nullptr;
  EVP_PKEY_get_bn_param(key, name, &number);
  std::string bytes(static_cast<size_t>(BN_num_bytes(number)), '\0');
  BN_bn2bin(number, reinterpret_cast<unsigned char*>(bytes.data()));
  BN_free(number);
  return bytes;
}

std::string with_alg(const std::string& alg) { return alg.empty() ? "" : ",\"alg\":\"" + alg + "\""; }

}  // namespace

std::string b64url(std::string_view bytes) {
  std::vector<unsigned char> out(bytes.size() / 3 * 4 + 8);
  const int length = EVP_EncodeBlock(out.data(), reinterpret_cast<const unsigned char*>(bytes.data()),
                                     static_cast<int>(bytes.size()));
  std::string text(reinterpret_cast<char*>(out.data()), static_cast<size_t>(length));
  while (!text.empty() && text.back() == '=') text.pop_back();
  for (char& c : text) c = c == '+' ? '-' : c == '/' ? '_' : c;
  return text;
}

TestKey make_rsa_key(const std::string& kid, int bits, const std::string& alg) {
  TestKey key{kid, own(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(bits))), ""};
  key.public_jwk = "{\"kty\":\"RSA\",\"kid\":\"" + kid + "\",\"use\":\"sig\"" + with_alg(alg) + ",\"n\":\"" +
                   b64url(bn_bytes(key.key.get(), OSSL_PKEY_PARAM_RSA_N)) + "\",\"e\":\"" +
                   b64url(bn_bytes(key.key.get(), OSSL_PKEY_PARAM_RSA_E)) + "\"}";
  return key;
}

TestKey make_ec_key(const std::string& kid, const std::string& curve, const std::string& alg) {
  TestKey key{kid, own(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve.c_str())), ""};
  unsigned char point[200];
  size_t length = 0;
  EVP_PKEY_get_octet_string_param(key.key.get(), OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point, &length);
  const size_t half = (length - 1) / 2;
  const std::string x(reinterpret_cast<char*>(point) + 1, half);
  const std::string y(reinterpret_cast<char*>(point) + 1 + half, half);
  key.public_jwk = "{\"kty\":\"EC\",\"kid\":\"" + kid + "\",\"crv\":\"" + curve + "\"" + with_alg(alg) + ",\"x\":\"" +
                   b64url(x) + "\",\"y\":\"" + b64url(y) + "\"}";
  return key;
}

TestKey make_ed25519_key(const std::string& kid) {
  TestKey key{kid, own(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519")), ""};
  unsigned char raw[32];
  size_t length = sizeof raw;
  EVP_PKEY_get_raw_public_key(key.key.get(), raw, &length);
  key.public_jwk = "{\"kty\":\"OKP\",\"kid\":\"" + kid + "\",\"crv\":\"Ed25519\",\"x\":\"" +
                   b64url(std::string(reinterpret_cast<char*>(raw), length)) + "\"}";
  return key;
}

std::string sign_token(const TestKey& key, const std::string& algorithm, std::string_view header_json,
                       std::string_view payload_json) {
  const std::string input = b64url(header_json) + "." + b64url(payload_json);
  const char* digest = algorithm.ends_with("256") ? "SHA256" : algorithm.ends_with("384") ? "SHA384" : "SHA512";
  if (algorithm == "EdDSA") digest = nullptr;
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  EVP_PKEY_CTX* key_context = nullptr;
  EXPECT_EQ(EVP_DigestSignInit_ex(context, &key_context, digest, nullptr, nullptr, key.key.get(), nullptr), 1);
  if (algorithm.starts_with("PS")) {
    EVP_PKEY_CTX_set_rsa_padding(key_context, RSA_PKCS1_PSS_PADDING);
    EVP_PKEY_CTX_set_rsa_pss_saltlen(key_context, RSA_PSS_SALTLEN_DIGEST);
  }
  size_t length = 0;
  EVP_DigestSign(context, nullptr, &length, reinterpret_cast<const unsigned char*>(input.data()), input.size());
  std::string signature(length, '\0');
  EXPECT_EQ(EVP_DigestSign(context, reinterpret_cast<unsigned char*>(signature.data()), &length,
                           reinterpret_cast<const unsigned char*>(input.data()), input.size()),
            1);
  signature.resize(length);
  EVP_MD_CTX_free(context);
  if (algorithm.starts_with("ES")) {
    // DER from OpenSSL to JWS's fixed-size r||s.
    const int size = algorithm == "ES256" ? 32 : 48;
    const unsigned char* cursor = reinterpret_cast<const unsigned char*>(signature.data());
    ECDSA_SIG* parsed = d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(signature.size()));
    std::string raw(static_cast<size_t>(2 * size), '\0');
    BN_bn2binpad(ECDSA_SIG_get0_r(parsed), reinterpret_cast<unsigned char*>(raw.data()), size);
    BN_bn2binpad(ECDSA_SIG_get0_s(parsed), reinterpret_cast<unsigned char*>(raw.data()) + size, size);
    ECDSA_SIG_free(parsed);
    signature = raw;
  }
  return input + "." + b64url(signature);
}

std::string hs256_token(std::string_view secret, std::string_view header_json, std::string_view payload_json) {
  const std::string input = b64url(header_json) + "." + b64url(payload_json);
  unsigned char mac[32];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()), reinterpret_cast<const unsigned char*>(input.data()),
       input.size(), mac, &length);
  return input + "." + b64url(std::string(reinterpret_cast<char*>(mac), length));
}

}  // namespace weftkit::auth::testing
