// The tokens a JwtVerifier accepted, remembered until their exp so that the next verify of the
// same bytes skips the signature and the JSON. Private to the auth library.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "auth/token_hash.h"
#include "weftkit/auth/jwt.h"

namespace weftkit::auth {

// Entries are found by a keyed hash of the whole token but answer only when the stored copy
// of the token matches byte for byte, the key set the caller serves is the one the token was
// verified with, and the time checks a fresh verify makes still pass with no leeway on exp
// (after exp the full verify decides). The identity kept is the one the claims give; callers
// apply the checks that can change while a token is cached (roles.yaml) on every answer.
//
// Bounded in entries and in token bytes, split over up to 16 shards (a mutex each), each a
// fixed array of slots: a token may sit in any of the 8 slots after the one its hash names.
// A full window gives its slot to a free one, then one that can no longer answer, then a
// second-chance (CLOCK) pick; the byte bound evicts by a CLOCK hand over the whole shard.
class VerifiedTokenCache {
 public:
  // `max_entries` > 0. `leeway_seconds` is the verifier's, so the nbf/iat test is exactly its.
  VerifiedTokenCache(size_t max_entries, size_t max_token_bytes, int64_t leeway_seconds, const TokenHasher& hasher);
  ~VerifiedTokenCache();
  VerifiedTokenCache(const VerifiedTokenCache&) = delete;
  VerifiedTokenCache& operator=(const VerifiedTokenCache&) = delete;

  // The identity remembered for exactly `token`, when it answers at `now` for `keys` (the set
  // the verifier serves now); nullopt otherwise. Its source_address is empty.
  std::optional<Identity> find(std::string_view token, int64_t now, const JsonWebKeySet* keys);

  // Remembers an accepted token: verified with `keys`, valid from `not_before` (the later of
  // nbf and iat; -infinity without either) until `expires` (exp), with the identity its claims
  // give. Nothing is kept when it could not answer any more at `now` or is larger than a shard's
  // byte budget.
  void insert(std::string_view token, std::shared_ptr<const JsonWebKeySet> keys, double not_before, double expires,
              const Identity& identity, int64_t now);

  TokenCacheStats stats() const;

  // Tests only: every token hashes to one value, to show a hash alone never grants a hit.
  static void set_every_hash_collides_for_testing(bool collide) { every_hash_collides_.store(collide); }

 private:
  struct Entry;
  struct Shard;

  uint64_t hash(std::string_view token) const;
  bool answers(double not_before, double expires, int64_t now) const;
  Shard& shard_for(uint64_t hash) const;
  static void evict(Shard& shard, Entry& entry);

  const TokenHasher& hasher_;
  const double leeway_;
  size_t shard_count_ = 0;
  std::unique_ptr<Shard[]> shards_;
  static std::atomic<bool> every_hash_collides_;
};

}  // namespace weftkit::auth
