// The signed JWT a Google service account presents to its token endpoint (OAuth 2.0 JWT bearer
// grant, RFC 7523): header {"alg":"RS256","typ":"JWT","kid":<private_key_id>} and claims
// iss = client_email, scope, aud = token_uri, iat = now, exp = now + 1 h, signed with the
// account's RSA private key (RSASSA-PKCS1-v1_5 with SHA-256).
#pragma once

#include <openssl/evp.h>

#include <cstdint>
#include <string>

#include <weftkit/crypto/error.h>

namespace weftkit::crypto::detail {

struct JwtAssertionClaims {
  std::string key_id;  // the file's private_key_id; may be empty
  std::string issuer;  // client_email
  std::string scope;
  std::string audience;  // token_uri
  std::int64_t issued_at = 0;  // seconds since the epoch
};

// "header.claims.signature", each base64url without padding. internal when OpenSSL fails.
Result<std::string> sign_jwt_assertion(EVP_PKEY* private_key, const JwtAssertionClaims& claims);

// base64url (RFC 4648 section 5) without padding, as JWTs use it.
std::string base64url(std::string_view bytes);

}  // namespace weftkit::crypto::detail
