// Signs a service account's JWT assertion (see gcp_jwt_assertion.h).
#include "crypto/src/gcp_jwt_assertion.h"

#include <memory>
#include <span>
#include <vector>

#include <nlohmann/json.hpp>

#include "crypto/src/base64.h"

namespace weftkit::crypto::detail {

std::string base64url(std::string_view bytes) {
  std::string text = encode_base64(std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
  while (!text.empty() && text.back() == '=') text.pop_back();
  for (char& c : text) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return text;
}

Result<std::string> sign_jwt_assertion(EVP_PKEY* private_key, const JwtAssertionClaims& claims) {
  nlohmann::ordered_json header = {{"alg", "RS256"}, {"typ", "JWT"}};
  if (!claims.key_id.empty()) header["kid"] = claims.key_id;
  // Google accepts an assertion for at most one hour.
  const nlohmann::ordered_json body = {{"iss", claims.issuer},
                                       {"scope", claims.scope},
                                       {"aud", claims.audience},
                                       {"iat", claims.issued_at},
                                       {"exp", claims.issued_at + 3600}};
  const std::string signing_input = base64url(header.dump()) + "." + base64url(body.dump());
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  std::size_t size = 0;
  if (!context || EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, private_key) != 1 ||
      EVP_DigestSign(context.get(), nullptr, &size, reinterpret_cast<const unsigned char*>(signing_input.data()),
                     signing_input.size()) != 1) {
    return Error(ErrorCode::kInternal, "gcp-kms: could not start signing the service-account assertion");
  }
  std::vector<unsigned char> signature(size);
  if (EVP_DigestSign(context.get(), signature.data(), &size, reinterpret_cast<const unsigned char*>(signing_input.data()),
                     signing_input.size()) != 1) {
    return Error(ErrorCode::kInternal, "gcp-kms: signing the service-account assertion failed");
  }
  return signing_input + "." + base64url(std::string_view(reinterpret_cast<const char*>(signature.data()), size));
}

}  // namespace weftkit::crypto::detail
