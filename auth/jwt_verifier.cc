// Token verification in the order RFC 8725 wants: structure and header rules, the key the kid
// names, the signature, and only then the claims of the (now trusted) payload.
#include <algorithm>
#include <cmath>
#include <limits>

#include "auth/credential_choice.h"
#include "auth/base64.h"
#include "auth/hs256_key.h"
#include "auth/jws_signature.h"
#include "auth/strict_json.h"
#include "auth/token_claim.h"
#include "auth/token_hash.h"
#include "auth/verified_token_cache.h"
#include "weftkit/auth/jwks_source.h"
#include "weftkit/auth/jwt.h"

namespace weftkit::auth {
namespace {

constexpr std::pair<std::string_view, JwsAlgorithm> kAlgorithms[] = {
    {"RS256", JwsAlgorithm::kRs256}, {"RS384", JwsAlgorithm::kRs384}, {"RS512", JwsAlgorithm::kRs512},
    {"PS256", JwsAlgorithm::kPs256}, {"PS384", JwsAlgorithm::kPs384}, {"PS512", JwsAlgorithm::kPs512},
    {"ES256", JwsAlgorithm::kEs256}, {"ES384", JwsAlgorithm::kEs384}, {"EdDSA", JwsAlgorithm::kEdDsa},
    {"HS256", JwsAlgorithm::kHs256},
};

AuthFailure failure(AuthFailureKind kind, std::string message) { return AuthFailure{kind, std::move(message)}; }

// verify_jws, telling the caller when the only problem was a kid missing from the set (the
// one refusal a refetched key set could change). `hs256_key`: the secret of `options`, keyed
// once (a verifier's); nullptr to key HMAC per token.
std::variant<VerifiedJws, AuthFailure> verify_jws_noting_kid(std::string_view token, const JsonWebKeySet& keys,
                                                             const JwtOptions& options, const Hs256Key* hs256_key,
                                                             bool* kid_not_in_set);

std::optional<double> numeric_date(const nlohmann::json& value) {
  if (!value.is_number()) return std::nullopt;
  const double number = value.get<double>();
  if (!std::isfinite(number)) return std::nullopt;
  return number;
}

}  // namespace

std::optional<JwsAlgorithm> jws_algorithm_from_name(std::string_view name) {
  for (const auto& [spelling, algorithm] : kAlgorithms) {
    if (spelling == name) return algorithm;
  }
  return std::nullopt;
}

std::string_view to_string(JwsAlgorithm algorithm) {
  for (const auto& [spelling, candidate] : kAlgorithms) {
    if (candidate == algorithm) return spelling;
  }
  return "?";
}

std::variant<VerifiedJws, AuthFailure> verify_jws(std::string_view token, const JsonWebKeySet& keys,
                                                  const JwtOptions& options) {
  bool ignored = false;
  return verify_jws_noting_kid(token, keys, options, nullptr, &ignored);
}

namespace {

std::variant<VerifiedJws, AuthFailure> verify_jws_noting_kid(std::string_view token, const JsonWebKeySet& keys,
                                                             const JwtOptions& options, const Hs256Key* hs256_key,
                                                             bool* kid_not_in_set) {
  *kid_not_in_set = false;
  if (token.size() > options.max_token_bytes) {
    return failure(AuthFailureKind::kMalformed, "the token is longer than " + std::to_string(options.max_token_bytes) + " bytes");
  }
  const size_t first_dot = token.find('.');
  const size_t second_dot = first_dot == std::string_view::npos ? first_dot : token.find('.', first_dot + 1);
  if (second_dot == std::string_view::npos || token.find('.', second_dot + 1) != std::string_view::npos) {
    return failure(AuthFailureKind::kMalformed, "the token is not a compact JWS (three base64url parts)");
  }
  const std::string_view header_text = token.substr(0, first_dot);
  const std::string_view payload_text = token.substr(first_dot + 1, second_dot - first_dot - 1);
  const std::string_view signature_text = token.substr(second_dot + 1);
  std::optional<std::string> header_bytes = base64url_decode(header_text);
  std::optional<std::string> payload = base64url_decode(payload_text);
  std::optional<std::string> signature = base64url_decode(signature_text);
  if (!header_bytes || !payload || !signature || header_text.empty() || signature_text.empty()) {
    return failure(AuthFailureKind::kMalformed, "the token is not valid base64url");
  }
  auto parsed_header = parse_strict_json(*header_bytes);
  if (auto* problem = std::get_if<std::string>(&parsed_header)) {
    return failure(AuthFailureKind::kMalformed, "the token header is " + *problem);
  }
  const nlohmann::json& header = std::get<nlohmann::json>(parsed_header);
  if (!header.is_object()) return failure(AuthFailureKind::kMalformed, "the token header is not a JSON object");

  auto alg = header.find("alg");
  std::optional<JwsAlgorithm> algorithm;
  if (alg != header.end() && alg->is_string()) algorithm = jws_algorithm_from_name(alg->get_ref<const std::string&>());
  if (!algorithm) {
    return failure(AuthFailureKind::kAlgorithmNotAllowed,
                   "the token's algorithm is not one of RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, EdDSA, "
                   "HS256");
  }
  for (const char* embedded : {"jwk", "jku", "x5c", "x5u"}) {
    if (header.contains(embedded)) {
      return failure(AuthFailureKind::kUnknownKey, "the token header carries its own key or key location (\"" +
                                                       std::string(embedded) + "\"), which is never used");
    }
  }
  if (header.contains("crit")) {
    return failure(AuthFailureKind::kMalformed, "the token header has critical parameters this verifier does not know");
  }
  VerifiedJws verified;
  verified.algorithm = *algorithm;
  if (auto kid = header.find("kid"); kid != header.end() && kid->is_string()) verified.kid = kid->get<std::string>();
  const std::string_view signing_input = token.substr(0, second_dot);

  if (*algorithm == JwsAlgorithm::kHs256) {
    // Only the configured secret verifies HS256: never a key of the set (an RSA public key
    // used as an HMAC secret is the classic confusion attack).
    if (!options.hs256_secret || options.hs256_secret->size() < 32) {
      return failure(AuthFailureKind::kAlgorithmNotAllowed, "HS256 tokens are not accepted (no shared secret is configured)");
    }
    const bool verified_mac = hs256_key != nullptr ? hs256_key->verifies(signing_input, *signature)
                                                   : verify_hs256(*options.hs256_secret, signing_input, *signature);
    if (!verified_mac) {
      return failure(AuthFailureKind::kBadSignature, "the token's signature does not verify");
    }
  } else {
    if (verified.kid.empty()) return failure(AuthFailureKind::kUnknownKey, "the token has no kid");
    const VerificationKey* key = keys.find(verified.kid);
    if (key == nullptr) {
      *kid_not_in_set = true;
      return failure(AuthFailureKind::kUnknownKey, "no key in the key set has the token's kid");
    }
    bool allowed = false;
    for (JwsAlgorithm candidate : key->algorithms) allowed = allowed || candidate == *algorithm;
    if (!allowed) {
      return failure(AuthFailureKind::kAlgorithmNotAllowed,
                     "the key the token names does not verify " + std::string(to_string(*algorithm)));
    }
    if (!verify_signature(*key, *algorithm, signing_input, *signature)) {
      return failure(AuthFailureKind::kBadSignature, "the token's signature does not verify");
    }
  }
  verified.payload = std::move(*payload);
  return verified;
}

}  // namespace

namespace {

// What the claims of an accepted token give: the identity before the directory checks, and
// the times the token cache needs to answer exactly as this check would.
struct AcceptedClaims {
  Identity identity;
  double not_before = -std::numeric_limits<double>::infinity();  // the later of nbf and iat
  double expires = 0;
};

// Every claim check of the (signature-verified) payload; nothing here changes while a token is
// valid, so its outcome may be cached.
std::variant<AcceptedClaims, AuthFailure> check_claims(const std::string& payload, int64_t now, const JwtOptions& options) {
  auto parsed = parse_strict_json(payload);
  if (auto* problem = std::get_if<std::string>(&parsed)) {
    return failure(AuthFailureKind::kMalformed, "the token's claims are " + *problem);
  }
  const nlohmann::json& claims = std::get<nlohmann::json>(parsed);
  if (!claims.is_object()) return failure(AuthFailureKind::kMalformed, "the token's claims are not a JSON object");
  const double current = static_cast<double>(now);
  const double leeway = static_cast<double>(options.leeway_seconds);
  AcceptedClaims accepted;

  auto exp = claims.find("exp");
  if (exp == claims.end()) return failure(AuthFailureKind::kMissingClaim, "the token has no exp claim");
  std::optional<double> expires = numeric_date(*exp);
  if (!expires) return failure(AuthFailureKind::kMalformed, "the token's exp is not a number");
  if (current >= *expires + leeway) return failure(AuthFailureKind::kExpired, "the token has expired");
  accepted.expires = *expires;
  if (auto nbf = claims.find("nbf"); nbf != claims.end()) {
    std::optional<double> not_before = numeric_date(*nbf);
    if (!not_before) return failure(AuthFailureKind::kMalformed, "the token's nbf is not a number");
    if (current + leeway < *not_before) return failure(AuthFailureKind::kNotYetValid, "the token is not valid yet (nbf)");
    accepted.not_before = std::max(accepted.not_before, *not_before);
  }
  if (auto iat = claims.find("iat"); iat != claims.end()) {
    std::optional<double> issued = numeric_date(*iat);
    if (!issued) return failure(AuthFailureKind::kMalformed, "the token's iat is not a number");
    if (current + leeway < *issued) return failure(AuthFailureKind::kNotYetValid, "the token was issued in the future (iat)");
    accepted.not_before = std::max(accepted.not_before, *issued);
  }
  if (options.issuer) {
    auto iss = claims.find("iss");
    if (iss == claims.end()) return failure(AuthFailureKind::kMissingClaim, "the token has no iss claim");
    if (!iss->is_string() || iss->get_ref<const std::string&>() != *options.issuer) {
      return failure(AuthFailureKind::kWrongIssuer, "the token was issued by another issuer");
    }
  }
  if (options.audience) {
    auto aud = claims.find("aud");
    if (aud == claims.end()) return failure(AuthFailureKind::kMissingClaim, "the token has no aud claim");
    bool ours = aud->is_string() && aud->get_ref<const std::string&>() == *options.audience;
    if (aud->is_array()) {
      for (const auto& entry : *aud) ours = ours || (entry.is_string() && entry.get_ref<const std::string&>() == *options.audience);
    }
    if (!ours) return failure(AuthFailureKind::kWrongAudience, "the token is meant for another audience");
  }
  auto sub = claims.find("sub");
  if (sub == claims.end() || !sub->is_string() || sub->get_ref<const std::string&>().empty()) {
    return failure(AuthFailureKind::kMissingClaim, "the token has no sub claim (a non-empty string)");
  }
  Identity& identity = accepted.identity;
  identity.user = sub->get<std::string>();
  if (auto tenant = claims.find("tenant_id"); tenant != claims.end()) {
    if (!tenant->is_string() || tenant->get_ref<const std::string&>().empty()) {
      return failure(AuthFailureKind::kMissingClaim, "the token's tenant_id is not a non-empty string");
    }
    identity.tenant = tenant->get<std::string>();
  }
  if (auto roles = claims.find(options.roles_claim); roles != claims.end()) {
    if (!roles->is_array()) {
      return failure(AuthFailureKind::kMalformed, "the token's " + options.roles_claim + " claim is not an array");
    }
    for (const auto& role : *roles) {
      if (!role.is_string()) {
        return failure(AuthFailureKind::kMalformed, "the token's " + options.roles_claim + " claim holds a non-string");
      }
      identity.roles.push_back(role.get<std::string>());
    }
  }
  identity.auth_method = AuthMethod::kJwt;
  return accepted;
}

// The directory checks: what the deployment's directories (roles.yaml, which hot-reloads) say
// about an identity the token vouches for. They can change while a token is cached, so every
// answer, fresh or cached, passes through here, and only here.
std::optional<AuthFailure> apply_directory_checks(Identity& identity, const JwtOptions& options) {
  for (const std::string& name : identity.roles) {
    if (!options.role_exists || !options.role_exists(name)) {
      return failure(AuthFailureKind::kUnknownRole, "the token names role \"" + name + "\", which roles.yaml does not define");
    }
  }
  auto tenant = resolve_asserted_tenant(identity.user, std::move(identity.tenant), options.tenants);
  if (auto* refused = std::get_if<AuthFailure>(&tenant)) return std::move(*refused);
  identity.tenant = std::move(std::get<std::optional<std::string>>(tenant));
  return std::nullopt;
}

// The cache needs the process hash key; without one (no randomness) it stays off.
std::shared_ptr<VerifiedTokenCache> make_token_cache(const JwtOptions& options) {
  const TokenHasher* hasher = process_token_hasher();
  if (options.token_cache_entries == 0 || hasher == nullptr) return nullptr;
  return std::make_shared<VerifiedTokenCache>(options.token_cache_entries, options.token_cache_bytes,
                                              options.leeway_seconds, *hasher);
}

// Only a secret HS256 would accept is keyed (shorter ones refuse every HS256 token).
std::shared_ptr<const Hs256Key> make_hs256_key(const JwtOptions& options) {
  if (!options.hs256_secret || options.hs256_secret->size() < 32) return nullptr;
  return Hs256Key::create(*options.hs256_secret);
}

}  // namespace

JwtVerifier::JwtVerifier(JsonWebKeySet keys, JwtOptions options)
    : fixed_keys_(std::make_shared<const JsonWebKeySet>(std::move(keys))),
      options_(std::move(options)),
      hs256_key_(make_hs256_key(options_)),
      token_cache_(make_token_cache(options_)) {}

JwtVerifier::JwtVerifier(std::shared_ptr<RefreshingKeySet> keys, JwtOptions options)
    : source_(std::move(keys)),
      options_(std::move(options)),
      hs256_key_(make_hs256_key(options_)),
      token_cache_(make_token_cache(options_)) {}

AuthResult JwtVerifier::verify(std::string_view token, int64_t now, std::string_view source_address) const {
  AuthResult result = check(token, now, source_address);
  if (audits_logins(options_.audit_sink.get())) {
    // An accepted token's identity is its verified claims; only a refused one is read again.
    LoginClaim claim = result.ok() ? LoginClaim{} : claim_of_token(token, options_.max_token_bytes);
    report_login(*options_.audit_sink, claim, result, source_address, "jwt");
  }
  return result;
}

AuthResult JwtVerifier::check(std::string_view token, int64_t now, std::string_view source_address) const {
  std::shared_ptr<const JsonWebKeySet> keys = source_ ? source_->current() : fixed_keys_;
  // Oversized tokens are refused below before anything else; they are never hashed.
  const bool cacheable = token_cache_ != nullptr && token.size() <= options_.max_token_bytes;
  if (cacheable) {
    if (std::optional<Identity> cached = token_cache_->find(token, now, keys.get())) {
      if (auto refused = apply_directory_checks(*cached, options_)) return std::move(*refused);
      cached->source_address = std::string(source_address);
      return std::move(*cached);
    }
  }
  bool kid_not_in_set = false;
  auto checked = verify_jws_noting_kid(token, *keys, options_, hs256_key_.get(), &kid_not_in_set);
  if (kid_not_in_set && source_) {
    // The issuer may have rotated its keys: one look at a newer set (fetched now unless the
    // cache fetched recently or another thread is fetching), then the token is judged on it.
    if (std::shared_ptr<const JsonWebKeySet> newer = source_->refresh(keys)) {
      checked = verify_jws_noting_kid(token, *newer, options_, hs256_key_.get(), &kid_not_in_set);
      keys = std::move(newer);
    }
  }
  if (auto* refused = std::get_if<AuthFailure>(&checked)) return std::move(*refused);
  auto claims = check_claims(std::get<VerifiedJws>(checked).payload, now, options_);
  if (auto* refused = std::get_if<AuthFailure>(&claims)) return std::move(*refused);
  AcceptedClaims& accepted = std::get<AcceptedClaims>(claims);
  Identity answer = accepted.identity;
  if (auto refused = apply_directory_checks(answer, options_)) return std::move(*refused);
  // Only accepted tokens are remembered, with the key set that verified them, and as their
  // claims say: the directory's part (a default tenant, say) is decided anew on every answer,
  // so a roles.yaml reload is never hidden behind the cache.
  if (cacheable) token_cache_->insert(token, std::move(keys), accepted.not_before, accepted.expires, accepted.identity, now);
  answer.source_address = std::string(source_address);
  return answer;
}

TokenCacheStats JwtVerifier::token_cache_stats() const { return token_cache_ ? token_cache_->stats() : TokenCacheStats{}; }

}  // namespace weftkit::auth
