// JWT bearer tokens (compact JWS only), verified as RFC 8725 asks: the key decides the
// algorithm, keys come only from the configured key set (found by "kid") or the configured
// HS256 secret, embedded keys and key URLs are never followed, and claims are checked by
// default (exp required; nbf, iat, iss, aud; sub is the user, tenant_id the tenant).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <weftkit/audit/sink.h>
#include <weftkit/status.h>
#include "weftkit/auth/auth_result.h"
#include "weftkit/auth/login_name.h"

namespace weftkit::auth {

enum class JwsAlgorithm : uint8_t { kRs256, kRs384, kRs512, kPs256, kPs384, kPs512, kEs256, kEs384, kEdDsa, kHs256 };

// "RS256", ... exactly as JWS spells them; nullopt for anything else ("none", "rs256", "ES512").
std::optional<JwsAlgorithm> jws_algorithm_from_name(std::string_view name);
std::string_view to_string(JwsAlgorithm algorithm);

struct VerificationKey;  // a public key and the algorithms it may verify (private to the library)

// A JSON Web Key Set (RFC 7517) of public signature keys. Refused as a whole: not JSON,
// duplicate members, no "keys" array, two keys with one kid, private key material. Keys that
// cannot verify JWS signatures here (encryption keys, symmetric keys, unsupported curves,
// RSA under 2048 bits, invalid points, a key without kid) are left out and listed in warnings().
class JsonWebKeySet {
 public:
  static StatusOr<JsonWebKeySet> parse(std::string_view json);
  static StatusOr<JsonWebKeySet> load(const std::string& path);

  size_t size() const { return keys_.size(); }
  const VerificationKey* find(std::string_view kid) const;
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  std::map<std::string, std::shared_ptr<const VerificationKey>, std::less<>> keys_;
  std::vector<std::string> warnings_;
};

struct JwtOptions {
  std::optional<std::string> issuer = {};    // checked when set
  std::optional<std::string> audience = {};  // checked when set: "aud" is it, or an array holding it
  int64_t leeway_seconds = 60;
  std::string roles_claim = "roles";
  std::optional<std::string> hs256_secret = {};  // HS256 only when set; at least 32 bytes
  size_t max_token_bytes = 16 * 1024;
  // Whether roles.yaml defines a role; empty: every role in the token is refused as unknown.
  // Asked on every answer, cached ones included, so a role removed from roles.yaml refuses
  // tokens naming it at once.
  std::function<bool(std::string_view role)> role_exists = {};
  // roles.yaml's users: when it knows the token's user, tenant_id must be one of the user's
  // tenants (else tenant_not_allowed), and a token without tenant_id gets the user's default.
  // Empty: tenant_id is taken as is.
  TenantLookup tenants = {};
  // Accepted tokens are cached by a keyed hash of the whole token, but a cached answer needs
  // the same token bytes, the key set it was verified with still being the one served, and a
  // time before its exp (from exp on, with or without leeway, the full verify decides again).
  // At most this many tokens; 0: no cache.
  size_t token_cache_entries = 10'000;
  // At most this many bytes of token copies in the cache, all entries together (split evenly
  // over its shards; a token larger than a shard's part is not cached).
  size_t token_cache_bytes = 16 * 1024 * 1024;
  // Given: every verify() records an auth event (the token's sub and tenant_id, the result and
  // the failure's name; never the token or the HS256 secret).
  std::shared_ptr<audit::AuditSink> audit_sink = {};
};

// What the verifier's token cache has done, for tests and operators.
struct TokenCacheStats {
  uint64_t hits = 0;
  uint64_t misses = 0;    // lookups that found no entry that could answer
  size_t entries = 0;
  size_t token_bytes = 0;  // the token copies held
};

// A token whose signature verified, before any claim was looked at.
struct VerifiedJws {
  JwsAlgorithm algorithm = JwsAlgorithm::kRs256;
  std::string kid;
  std::string payload;  // decoded bytes (not necessarily JSON)
};

// The signature layer alone: structure, header rules and signature. For key-set and signature
// tests; engines call JwtVerifier::verify.
std::variant<VerifiedJws, AuthFailure> verify_jws(std::string_view token, const JsonWebKeySet& keys,
                                                  const JwtOptions& options);

class RefreshingKeySet;  // jwks_source.h
class VerifiedTokenCache;  // private to the library
class Hs256Key;            // private to the library

class JwtVerifier {
 public:
  JwtVerifier(JsonWebKeySet keys, JwtOptions options);
  // Keys from a cache that refetches its source when a token names an unknown kid (at most
  // once per its interval); the verifier shares the cache.
  JwtVerifier(std::shared_ptr<RefreshingKeySet> keys, JwtOptions options);

  // `now` in Unix seconds. Thread-safe: the options are immutable, a key set is never changed,
  // only replaced as a whole by the cache, and the token cache locks its own shards.
  AuthResult verify(std::string_view token, int64_t now, std::string_view source_address = {}) const;

  // The refreshing cache, or nullptr for a fixed key set.
  const std::shared_ptr<RefreshingKeySet>& key_source() const { return source_; }

  // All zero when the token cache is off.
  TokenCacheStats token_cache_stats() const;

 private:
  AuthResult check(std::string_view token, int64_t now, std::string_view source_address) const;

  std::shared_ptr<const JsonWebKeySet> fixed_keys_;
  std::shared_ptr<RefreshingKeySet> source_;
  JwtOptions options_;
  std::shared_ptr<const Hs256Key> hs256_key_;  // the HS256 secret keyed once; null without one
  std::shared_ptr<VerifiedTokenCache> token_cache_;  // null when off; copies of a verifier share it
};

}  // namespace weftkit::auth
