// One JSON Web Key (RFC 7517/7518) turned into an OpenSSL public key and the JWS algorithms it
// may verify: its "alg" when it names one, else every algorithm of its type and curve.
#pragma once

#include <openssl/evp.h>

#include <memory>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "weftkit/auth/jwt.h"

namespace weftkit::auth {

struct EvpPkeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};

struct VerificationKey {
  std::string kid;
  std::vector<JwsAlgorithm> algorithms;
  std::unique_ptr<EVP_PKEY, EvpPkeyDeleter> public_key;
};

// Why a key cannot be used, or the key. `kPrivate` marks keys holding private material, which
// refuse the whole set rather than being left out.
struct KeyRefusal {
  std::string reason;
  bool has_private_material = false;
};

std::variant<VerificationKey, KeyRefusal> parse_json_web_key(const nlohmann::json& jwk);

}  // namespace weftkit::auth
