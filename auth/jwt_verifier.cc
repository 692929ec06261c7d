// Token verification in the order RFC 8725 wants: structure and header rules, the key the kid
// names, the signature, and only then the claims of the (now trusted) payload.
#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <string>

#include "auth/credential_choice.h"
#include "auth/base64.h"
#include "auth/hs256_key.h"
#include "auth/jws_signature.h"
#include "auth/token_claim.h"
#include "auth/token_members.h"
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

// The decoded parts of one token. A verifier decodes every token into the same buffers (one
// set per thread), so a verify allocates nothing for them once they have grown to its tokens.
struct DecodedToken {
  std::string header;
  std::string payload;
  std::string signature;
};

// verify_jws, telling the caller when the only problem was a kid missing from the set (the
// one refusal a refetched key set could change). `hs256_key`: the secret of `options`, keyed
// once (a verifier's); nullptr to key HMAC per token. The payload is left in
// `decoded.payload`, which the answer's payload is empty of.
std::variant<VerifiedJws, AuthFailure> verify_jws_noting_kid(std::string_view token, const JsonWebKeySet& keys,
                                                             const JwtOptions& options, const Hs256Key* hs256_key,
                                                             bool* kid_not_in_set, DecodedToken& decoded);

std::optional<double> numeric_date(const std::optional<JsonValueView>& value) {
  if (value->kind != JsonKind::kNumber) return std::nullopt;
  const double number = json_number(*value);
  if (!std::isfinite(number)) return std::nullopt;
  return number;
}

bool is_string(const std::optional<JsonValueView>& value) { return value && value->kind == JsonKind::kString; }

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
  DecodedToken decoded;
  auto verified = verify_jws_noting_kid(token, keys, options, nullptr, &ignored, decoded);
  if (auto* jws = std::get_if<VerifiedJws>(&verified)) jws->payload = std::move(decoded.payload);
  return verified;
}

namespace {

std::variant<VerifiedJws, AuthFailure> verify_jws_noting_kid(std::string_view token, const JsonWebKeySet& keys,
                                                             const JwtOptions& options, const Hs256Key* hs256_key,
                                                             bool* kid_not_in_set, DecodedToken& decoded) {
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
  // Every part is decoded before any is judged, as before: which refusal a token gets must
  // not depend on the order the parts are looked at.
  const bool header_decoded = base64url_decode_into(header_text, decoded.header);
  const bool payload_decoded = base64url_decode_into(payload_text, decoded.payload);
  const bool signature_decoded = base64url_decode_into(signature_text, decoded.signature);
  if (!header_decoded || !payload_decoded || !signature_decoded || header_text.empty() || signature_text.empty()) {
    return failure(AuthFailureKind::kMalformed, "the token is not valid base64url");
  }
  // The header members the rules below look at; the others are checked as JSON and skipped.
  enum HeaderMember { kAlg, kKid, kCrit, kJwk, kJku, kX5c, kX5u, kHeaderMembers };
  static constexpr std::string_view kHeaderNames[kHeaderMembers] = {"alg", "kid", "crit", "jwk", "jku", "x5c", "x5u"};
  std::optional<JsonValueView> header[kHeaderMembers];
  auto parsed_header = read_token_members(decoded.header, kHeaderNames, header);
  if (auto* problem = std::get_if<std::string>(&parsed_header)) {
    return failure(AuthFailureKind::kMalformed, "the token header is " + *problem);
  }
  if (std::get<JsonTopLevel>(parsed_header) != JsonTopLevel::kObject) {
    return failure(AuthFailureKind::kMalformed, "the token header is not a JSON object");
  }

  std::string scratch;
  std::optional<JwsAlgorithm> algorithm;
  if (is_string(header[kAlg])) algorithm = jws_algorithm_from_name(json_string(*header[kAlg], scratch));
  if (!algorithm) {
    return failure(AuthFailureKind::kAlgorithmNotAllowed,
                   "the token's algorithm is not one of RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, EdDSA, "
                   "HS256");
  }
  for (HeaderMember embedded : {kJwk, kJku, kX5c, kX5u}) {
    if (header[embedded]) {
      return failure(AuthFailureKind::kUnknownKey, "the token header carries its own key or key location (\"" +
                                                       std::string(kHeaderNames[embedded]) + "\"), which is never used");
    }
  }
  if (header[kCrit]) {
    return failure(AuthFailureKind::kMalformed, "the token header has critical parameters this verifier does not know");
  }
  VerifiedJws verified;
  verified.algorithm = *algorithm;
  if (is_string(header[kKid])) verified.kid = json_string(*header[kKid], scratch);
  const std::string_view signing_input = token.substr(0, second_dot);

  if (*algorithm == JwsAlgorithm::kHs256) {
    // Only the configured secret verifies HS256: never a key of the set (an RSA public key
    // used as an HMAC secret is the classic confusion attack).
    if (!options.hs256_secret || options.hs256_secret->size() < 32) {
      return failure(AuthFailureKind::kAlgorithmNotAllowed, "HS256 tokens are not accepted (no shared secret is configured)");
    }
    const bool verified_mac = hs256_key != nullptr ? hs256_key->verifies(signing_input, decoded.signature)
                                                   : verify_hs256(*options.hs256_secret, signing_input, decoded.signature);
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
    if (!verify_signature(*key, *algorithm, signing_input, decoded.signature)) {
      return failure(AuthFailureKind::kBadSignature, "the token's signature does not verify");
    }
  }
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
std::variant<AcceptedClaims, AuthFailure> check_claims(std::string_view payload, int64_t now, const JwtOptions& options) {
  // The claims the checks below read; the roles claim is named by the options (and may be one
  // of the others, so it has a place of its own).
  enum Claim { kExp, kNbf, kIat, kIss, kAud, kSub, kTenant, kRoles, kClaims };
  const std::string_view names[kClaims] = {"exp", "nbf", "iat", "iss", "aud", "sub", "tenant_id", options.roles_claim};
  std::optional<JsonValueView> claims[kClaims];
  auto parsed = read_token_members(payload, names, claims);
  if (auto* problem = std::get_if<std::string>(&parsed)) {
    return failure(AuthFailureKind::kMalformed, "the token's claims are " + *problem);
  }
  if (std::get<JsonTopLevel>(parsed) != JsonTopLevel::kObject) {
    return failure(AuthFailureKind::kMalformed, "the token's claims are not a JSON object");
  }
  const double current = static_cast<double>(now);
  const double leeway = static_cast<double>(options.leeway_seconds);
  AcceptedClaims accepted;
  std::string scratch;

  if (!claims[kExp]) return failure(AuthFailureKind::kMissingClaim, "the token has no exp claim");
  std::optional<double> expires = numeric_date(claims[kExp]);
  if (!expires) return failure(AuthFailureKind::kMalformed, "the token's exp is not a number");
  if (current >= *expires + leeway) return failure(AuthFailureKind::kExpired, "the token has expired");
  accepted.expires = *expires;
  if (claims[kNbf]) {
    std::optional<double> not_before = numeric_date(claims[kNbf]);
    if (!not_before) return failure(AuthFailureKind::kMalformed, "the token's nbf is not a number");
    if (current + leeway < *not_before) return failure(AuthFailureKind::kNotYetValid, "the token is not valid yet (nbf)");
    accepted.not_before = std::max(accepted.not_before, *not_before);
  }
  if (claims[kIat]) {
    std::optional<double> issued = numeric_date(claims[kIat]);
    if (!issued) return failure(AuthFailureKind::kMalformed, "the token's iat is not a number");
    if (current + leeway < *issued) return failure(AuthFailureKind::kNotYetValid, "the token was issued in the future (iat)");
    accepted.not_before = std::max(accepted.not_before, *issued);
  }
  if (options.issuer) {
    if (!claims[kIss]) return failure(AuthFailureKind::kMissingClaim, "the token has no iss claim");
    if (!is_string(claims[kIss]) || json_string(*claims[kIss], scratch) != *options.issuer) {
      return failure(AuthFailureKind::kWrongIssuer, "the token was issued by another issuer");
    }
  }
  if (options.audience) {
    if (!claims[kAud]) return failure(AuthFailureKind::kMissingClaim, "the token has no aud claim");
    bool ours = is_string(claims[kAud]) && json_string(*claims[kAud], scratch) == *options.audience;
    if (claims[kAud]->kind == JsonKind::kArray) {
      size_t cursor = 0;
      for (JsonValueView entry; next_json_element(*claims[kAud], cursor, entry);) {
        ours = ours || (entry.kind == JsonKind::kString && json_string(entry, scratch) == *options.audience);
      }
    }
    if (!ours) return failure(AuthFailureKind::kWrongAudience, "the token is meant for another audience");
  }
  if (!is_string(claims[kSub]) || claims[kSub]->text.size() == 2) {  // "" is the only empty string
    return failure(AuthFailureKind::kMissingClaim, "the token has no sub claim (a non-empty string)");
  }
  Identity& identity = accepted.identity;
  identity.user = json_string(*claims[kSub], scratch);
  if (claims[kTenant]) {
    if (!is_string(claims[kTenant]) || claims[kTenant]->text.size() == 2) {
      return failure(AuthFailureKind::kMissingClaim, "the token's tenant_id is not a non-empty string");
    }
    identity.tenant = std::string(json_string(*claims[kTenant], scratch));
  }
  if (claims[kRoles]) {
    if (claims[kRoles]->kind != JsonKind::kArray) {
      return failure(AuthFailureKind::kMalformed, "the token's " + options.roles_claim + " claim is not an array");
    }
    size_t cursor = 0;
    for (JsonValueView role; next_json_element(*claims[kRoles], cursor, role);) {
      if (role.kind != JsonKind::kString) {
        return failure(AuthFailureKind::kMalformed, "the token's " + options.roles_claim + " claim holds a non-string");
      }
      identity.roles.emplace_back(json_string(role, scratch));
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
  // The decoded parts of the token, in buffers this thread reuses from token to token.
  thread_local DecodedToken decoded;
  bool kid_not_in_set = false;
  auto checked = verify_jws_noting_kid(token, *keys, options_, hs256_key_.get(), &kid_not_in_set, decoded);
  if (kid_not_in_set && source_) {
    // The issuer may have rotated its keys: one look at a newer set (fetched now unless the
    // cache fetched recently or another thread is fetching), then the token is judged on it.
    if (std::shared_ptr<const JsonWebKeySet> newer = source_->refresh(keys)) {
      checked = verify_jws_noting_kid(token, *newer, options_, hs256_key_.get(), &kid_not_in_set, decoded);
      keys = std::move(newer);
    }
  }
  if (auto* refused = std::get_if<AuthFailure>(&checked)) return std::move(*refused);
  auto claims = check_claims(decoded.payload, now, options_);
  if (auto* refused = std::get_if<AuthFailure>(&claims)) return std::move(*refused);
  AcceptedClaims& accepted = std::get<AcceptedClaims>(claims);
  // The cache keeps the identity as the claims give it, so the answer is a copy only then.
  Identity answer = cacheable ? accepted.identity : std::move(accepted.identity);
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
