// JWK members to OpenSSL 3 keys through EVP_PKEY_fromdata (RSA, EC) and raw Ed25519 keys.
#include "auth/json_web_key.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>

#include "auth/base64.h"

namespace weftkit::auth {
namespace {

struct BignumDeleter {
  void operator()(BIGNUM* number) const { BN_free(number); }
};
struct ParamBuildDeleter {
  void operator()(OSSL_PARAM_BLD* builder) const { OSSL_PARAM_BLD_free(builder); }
};
struct ParamDeleter {
  void operator()(OSSL_PARAM* params) const { OSSL_PARAM_free(params); }
};
struct PkeyCtxDeleter {
  void operator()(EVP_PKEY_CTX* context) const { EVP_PKEY_CTX_free(context); }
};

std::optional<std::string> member_bytes(const nlohmann::json& jwk, const char* name) {
  auto found = jwk.find(name);
  if (found == jwk.end() || !found->is_string()) return std::nullopt;
  return base64url_decode(found->get_ref<const std::string&>());
}

std::unique_ptr<EVP_PKEY, EvpPkeyDeleter> from_params(const char* type, OSSL_PARAM_BLD* builder) {
  std::unique_ptr<OSSL_PARAM, ParamDeleter> params(OSSL_PARAM_BLD_to_param(builder));
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxDeleter> context(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* key = nullptr;
  if (!params || !context || EVP_PKEY_fromdata_init(context.get()) != 1 ||
      EVP_PKEY_fromdata(context.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    return nullptr;
  }
  return std::unique_ptr<EVP_PKEY, EvpPkeyDeleter>(key);
}

// The ROCA weakness (CVE-2017-15361): moduli from the affected generator are 65537^k mod M
// for a primorial M, so modulo each small prime p they fall in the subgroup 65537 generates. A
// random modulus passes this for all the primes below with negligible probability.
bool has_roca_fingerprint(const BIGNUM* modulus) {
  constexpr BN_ULONG kPrimes[] = {3,  5,  7,  11, 13, 17, 19,  23,  29,  31,  37,  41,  43,  47,  53,  59,  61,  67,  71,
                                  73, 79, 83, 89, 97, 101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167};
  for (BN_ULONG prime : kPrimes) {
    const BN_ULONG residue = BN_mod_word(modulus, prime);
    if (residue == static_cast<BN_ULONG>(-1)) return false;
    const BN_ULONG generator = 65537 % prime;
    bool in_subgroup = false;
    BN_ULONG power = 1;
    for (BN_ULONG step = 0; step < prime && !in_subgroup; ++step) {
      in_subgroup = power == residue;
      power = power * generator % prime;
    }
    if (!in_subgroup) return false;
  }
  return true;
}

std::variant<VerificationKey, KeyRefusal> rsa_key(const nlohmann::json& jwk, VerificationKey key) {
  std::optional<std::string> modulus = member_bytes(jwk, "n");
  std::optional<std::string> exponent = member_bytes(jwk, "e");
  if (!modulus || !exponent || modulus->empty() || exponent->empty()) {
    return KeyRefusal{"RSA key without a valid base64url \"n\" and \"e\""};
  }
  std::unique_ptr<BIGNUM, BignumDeleter> n(
      BN_bin2bn(reinterpret_cast<const unsigned char*>(modulus->data()), static_cast<int>(modulus->size()), nullptr));
  std::unique_ptr<BIGNUM, BignumDeleter> e(
      BN_bin2bn(reinterpret_cast<const unsigned char*>(exponent->data()), static_cast<int>(exponent->size()), nullptr));
  if (!n || !e) return KeyRefusal{"RSA key that OpenSSL cannot read"};
  if (BN_num_bits(n.get()) < 2048) {
    return KeyRefusal{"RSA key of " + std::to_string(BN_num_bits(n.get())) + " bits (at least 2048 are required)"};
  }
  // An exponent of 1 (or any even one) makes every "signature" trivially forgeable or invalid.
  if (!BN_is_odd(e.get()) || BN_is_one(e.get())) return KeyRefusal{"RSA key with an invalid public exponent"};
  if (has_roca_fingerprint(n.get())) return KeyRefusal{"RSA key with the ROCA weakness (CVE-2017-15361)"};
  std::unique_ptr<OSSL_PARAM_BLD, ParamBuildDeleter> builder(OSSL_PARAM_BLD_new());
  if (!builder || OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1) {
    return KeyRefusal{"RSA key that OpenSSL cannot read"};
  }
  key.public_key = from_params("RSA", builder.get());
  if (!key.public_key) return KeyRefusal{"RSA key that OpenSSL cannot read"};
  return key;
}

std::variant<VerificationKey, KeyRefusal> ec_key(const nlohmann::json& jwk, VerificationKey key, const std::string& curve) {
  size_t coordinate_size = 0;
  const char* group = nullptr;
  if (curve == "P-256") {
    coordinate_size = 32;
    group = "P-256";
  } else if (curve == "P-384") {
    coordinate_size = 48;
    group = "P-384";
  } else {
    return KeyRefusal{"EC key on curve \"" + curve + "\" (P-256 and P-384 are supported)"};
  }
  std::optional<std::string> x = member_bytes(jwk, "x");
  std::optional<std::string> y = member_bytes(jwk, "y");
  if (!x || !y || x->size() != coordinate_size || y->size() != coordinate_size) {
    return KeyRefusal{"EC key whose \"x\" and \"y\" are not " + std::to_string(coordinate_size) + " bytes each"};
  }
  std::string point = "\x04" + *x + *y;  // the uncompressed form
  std::unique_ptr<OSSL_PARAM_BLD, ParamBuildDeleter> builder(OSSL_PARAM_BLD_new());
  if (!builder || OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) != 1) {
    return KeyRefusal{"EC key that OpenSSL cannot read"};
  }
  key.public_key = from_params("EC", builder.get());
  if (!key.public_key) return KeyRefusal{"EC key whose point is not on the curve"};
  // fromdata decodes the point; a full public-key check also rejects points of small order.
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxDeleter> check(EVP_PKEY_CTX_new_from_pkey(nullptr, key.public_key.get(), nullptr));
  if (!check || EVP_PKEY_public_check(check.get()) != 1) return KeyRefusal{"EC key whose point is not on the curve"};
  return key;
}

std::variant<VerificationKey, KeyRefusal> okp_key(const nlohmann::json& jwk, VerificationKey key, const std::string& curve) {
  if (curve != "Ed25519") return KeyRefusal{"OKP key on curve \"" + curve + "\" (Ed25519 is supported)"};
  std::optional<std::string> x = member_bytes(jwk, "x");
  if (!x || x->size() != 32) return KeyRefusal{"Ed25519 key whose \"x\" is not 32 bytes"};
  key.public_key.reset(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
                                                   reinterpret_cast<const unsigned char*>(x->data()), x->size()));
  if (!key.public_key) return KeyRefusal{"Ed25519 key that OpenSSL cannot read"};
  return key;
}

std::string string_member(const nlohmann::json& jwk, const char* name) {
  auto found = jwk.find(name);
  return found != jwk.end() && found->is_string() ? found->get<std::string>() : std::string();
}

}  // namespace

std::variant<VerificationKey, KeyRefusal> parse_json_web_key(const nlohmann::json& jwk) {
  if (!jwk.is_object()) return KeyRefusal{"a key that is not a JSON object"};
  for (const char* private_member : {"d", "p", "q", "dp", "dq", "qi", "k"}) {
    // "k" is a symmetric key's secret: a key set is public, so it never belongs there.
    if (jwk.contains(private_member)) {
      return KeyRefusal{"private or secret key material (\"" + std::string(private_member) + "\")", true};
    }
  }
  VerificationKey key;
  key.kid = string_member(jwk, "kid");
  if (key.kid.empty()) return KeyRefusal{"a key without \"kid\" (tokens find keys by kid)"};
  if (jwk.contains("use") && string_member(jwk, "use") != "sig") return KeyRefusal{"a key whose \"use\" is not \"sig\""};
  if (auto ops = jwk.find("key_ops"); ops != jwk.end()) {
    bool verifies = false;
    if (ops->is_array()) {
      for (const auto& op : *ops) verifies = verifies || (op.is_string() && op.get_ref<const std::string&>() == "verify");
    }
    if (!verifies) return KeyRefusal{"a key whose \"key_ops\" does not include \"verify\""};
  }
  const std::string type = string_member(jwk, "kty");
  const std::string curve = string_member(jwk, "crv");
  std::vector<JwsAlgorithm> by_type;
  if (type == "RSA") {
    by_type = {JwsAlgorithm::kRs256, JwsAlgorithm::kRs384, JwsAlgorithm::kRs512,
               JwsAlgorithm::kPs256, JwsAlgorithm::kPs384, JwsAlgorithm::kPs512};
  } else if (type == "EC" && curve == "P-256") {
    by_type = {JwsAlgorithm::kEs256};
  } else if (type == "EC" && curve == "P-384") {
    by_type = {JwsAlgorithm::kEs384};
  } else if (type == "OKP" && curve == "Ed25519") {
    by_type = {JwsAlgorithm::kEdDsa};
  }
  if (jwk.contains("alg")) {
    std::optional<JwsAlgorithm> named = jws_algorithm_from_name(string_member(jwk, "alg"));
    bool fits = false;
    for (JwsAlgorithm candidate : by_type) fits = fits || (named && candidate == *named);
    if (!fits) return KeyRefusal{"a key whose \"alg\" is not a supported algorithm of its type and curve"};
    key.algorithms = {*named};
  } else {
    key.algorithms = by_type;
  }
  if (type == "RSA") return rsa_key(jwk, std::move(key));
  if (type == "EC") return ec_key(jwk, std::move(key), curve);
  if (type == "OKP") return okp_key(jwk, std::move(key), curve);
  if (type == "oct") return KeyRefusal{"a symmetric key (HS256 uses the configured secret)"};
  return KeyRefusal{"a key of type \"" + type + "\""};
}

}  // namespace weftkit::auth
