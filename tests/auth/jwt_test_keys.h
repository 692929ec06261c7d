// Keys and tokens for JWT tests, made with OpenSSL at test time: a key's public JWK, and
// compact JWS tokens signed with it over any header and payload text (hostile ones included).
#pragma once

#include <openssl/evp.h>

#include <memory>
#include <string>
#include <string_view>

namespace weftkit::auth::testing {

std::string b64url(std::string_view bytes);

struct TestKey {
  std::string kid;
  std::shared_ptr<EVP_PKEY> key;
  std::string public_jwk;  // JSON object text, with kid (and "alg" when asked for)
};

TestKey make_rsa_key(const std::string& kid, int bits = 2048, const std::string& alg = "");
TestKey make_ec_key(const std::string& kid, const std::string& curve, const std::string& alg = "");
TestKey make_ed25519_key(const std::string& kid);

// `header_json` and `payload_json` are used as given (so tests can write duplicate members or
// bad UTF-8); `algorithm` picks how to sign: RS256.. PS512, ES256, ES384, EdDSA.
std::string sign_token(const TestKey& key, const std::string& algorithm, std::string_view header_json,
                       std::string_view payload_json);
std::string hs256_token(std::string_view secret, std::string_view header_json, std::string_view payload_json);

}  // namespace weftkit::auth::testing
