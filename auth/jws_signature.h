// Checking one JWS signature with OpenSSL: RSA PKCS#1 v1.5 and PSS (salt = hash length), ECDSA
// with raw r||s signatures of exactly twice the coordinate size, Ed25519, HMAC-SHA-256.
#pragma once

#include <string_view>

#include "auth/json_web_key.h"

namespace weftkit::auth {

bool verify_signature(const VerificationKey& key, JwsAlgorithm algorithm, std::string_view signing_input,
                      std::string_view signature);
bool verify_hs256(std::string_view secret, std::string_view signing_input, std::string_view signature);

}  // namespace weftkit::auth
