// EVP_DigestVerify for every asymmetric algorithm; raw ECDSA signatures become DER first.
#include "auth/jws_signature.h"

#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/rsa.h>

#include "auth/crypto_primitives.h"

namespace weftkit::auth {
namespace {

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};
struct EcdsaSigDeleter {
  void operator()(ECDSA_SIG* signature) const { ECDSA_SIG_free(signature); }
};

const char* digest_name(JwsAlgorithm algorithm) {
  switch (algorithm) {
    case JwsAlgorithm::kRs256:
    case JwsAlgorithm::kPs256:
    case JwsAlgorithm::kEs256:
    case JwsAlgorithm::kHs256: return "SHA256";
    case JwsAlgorithm::kRs384:
    case JwsAlgorithm::kPs384:
    case JwsAlgorithm::kEs384: return "SHA384";
    case JwsAlgorithm::kRs512:
    case JwsAlgorithm::kPs512: return "SHA512";
    case JwsAlgorithm::kEdDsa: return nullptr;  // Ed25519 hashes internally
  }
  return nullptr;
}

bool is_pss(JwsAlgorithm algorithm) {
  return algorithm == JwsAlgorithm::kPs256 || algorithm == JwsAlgorithm::kPs384 || algorithm == JwsAlgorithm::kPs512;
}

// JWS's r||s (RFC 7518 section 3.4) as the DER SEQUENCE OpenSSL verifies.
std::optional<std::string> raw_ecdsa_to_der(std::string_view signature, size_t coordinate_size) {
  if (signature.size() != 2 * coordinate_size) return std::nullopt;
  std::unique_ptr<ECDSA_SIG, EcdsaSigDeleter> parsed(ECDSA_SIG_new());
  BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(signature.data()), static_cast<int>(coordinate_size), nullptr);
  BIGNUM* s = BN_bin2bn(reinterpret_cast<const unsigned char*>(signature.data()) + coordinate_size,
                        static_cast<int>(coordinate_size), nullptr);
  if (!parsed || r == nullptr || s == nullptr || ECDSA_SIG_set0(parsed.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return std::nullopt;
  }
  unsigned char* der = nullptr;
  const int length = i2d_ECDSA_SIG(parsed.get(), &der);
  if (length <= 0) return std::nullopt;
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(length));
  OPENSSL_free(der);
  return out;
}

}  // namespace

bool verify_signature(const VerificationKey& key, JwsAlgorithm algorithm, std::string_view signing_input,
                      std::string_view signature) {
  std::string der;
  if (algorithm == JwsAlgorithm::kEs256 || algorithm == JwsAlgorithm::kEs384) {
    std::optional<std::string> converted = raw_ecdsa_to_der(signature, algorithm == JwsAlgorithm::kEs256 ? 32 : 48);
    if (!converted) return false;
    der = std::move(*converted);
    signature = der;
  }
  std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> context(EVP_MD_CTX_new());
  EVP_PKEY_CTX* key_context = nullptr;
  if (!context || EVP_DigestVerifyInit_ex(context.get(), &key_context, digest_name(algorithm), nullptr, nullptr,
                                          key.public_key.get(), nullptr) != 1) {
    return false;
  }
  if (is_pss(algorithm) && (EVP_PKEY_CTX_set_rsa_padding(key_context, RSA_PKCS1_PSS_PADDING) != 1 ||
                            EVP_PKEY_CTX_set_rsa_pss_saltlen(key_context, RSA_PSS_SALTLEN_DIGEST) != 1)) {
    return false;
  }
  return EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                          reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size()) == 1;
}

bool verify_hs256(std::string_view secret, std::string_view signing_input, std::string_view signature) {
  std::optional<std::string> mac = hmac_sha256(secret, signing_input);
  return mac && constant_time_equal(*mac, signature);
}

}  // namespace weftkit::auth
