// The sharded, bounded table of accepted tokens; verified_token_cache.h gives the rules.
#include "auth/verified_token_cache.h"

#include <openssl/crypto.h>

#include <algorithm>

namespace weftkit::auth {
namespace {

constexpr size_t kMaxShards = 16;
constexpr size_t kWindow = 8;  // the slots a token may occupy, starting at the one its hash names

}  // namespace

struct VerifiedTokenCache::Entry {
  bool used = false;
  bool referenced = false;  // answered since the CLOCK last passed: spared once
  uint64_t hash = 0;
  std::string token;        // the exact bytes; wiped when the entry goes
  std::shared_ptr<const JsonWebKeySet> keys;  // held, so a later set never reuses its address
  double not_before = 0;
  double expires = 0;
  Identity identity;

  ~Entry() { OPENSSL_cleanse(token.data(), token.size()); }
};

// Aligned apart so two cores locking different shards do not share a cache line.
struct alignas(64) VerifiedTokenCache::Shard {
  std::mutex mutex;
  std::unique_ptr<Entry[]> slots;  // null until the shard first keeps a token
  size_t slot_count = 0;
  size_t byte_budget = 0;
  size_t entries = 0;
  size_t token_bytes = 0;
  size_t hand = 0;  // the byte bound's CLOCK hand
  uint64_t hits = 0;
  uint64_t misses = 0;
};

std::atomic<bool> VerifiedTokenCache::every_hash_collides_{false};

VerifiedTokenCache::VerifiedTokenCache(size_t max_entries, size_t max_token_bytes, int64_t leeway_seconds,
                                       const TokenHasher& hasher)
    : hasher_(hasher), leeway_(static_cast<double>(leeway_seconds)) {
  shard_count_ = std::clamp<size_t>(max_entries, 1, kMaxShards);
  shards_ = std::make_unique<Shard[]>(shard_count_);
  for (size_t index = 0; index < shard_count_; ++index) {
    Shard& shard = shards_[index];
    // The entries split as evenly as they go, so the shards together hold max_entries at most.
    shard.slot_count = std::max<size_t>(1, max_entries / shard_count_ + (index < max_entries % shard_count_ ? 1 : 0));
    shard.byte_budget = max_token_bytes / shard_count_;
  }
}

VerifiedTokenCache::~VerifiedTokenCache() = default;

uint64_t VerifiedTokenCache::hash(std::string_view token) const {
  if (every_hash_collides_.load(std::memory_order_relaxed)) return 0;
  return hasher_(token);
}

// The same comparisons, in the same floating-point expressions, as the fresh verify's exp, nbf
// and iat checks, plus `now < exp`: the cache never accepts what a fresh verify would refuse.
bool VerifiedTokenCache::answers(double not_before, double expires, int64_t now) const {
  const double current = static_cast<double>(now);
  return current < expires && !(current >= expires + leeway_) && !(current + leeway_ < not_before);
}

VerifiedTokenCache::Shard& VerifiedTokenCache::shard_for(uint64_t hash) const {
  // The high half picks the shard, the low half the slot, so the two choices are independent.
  return shards_[(hash >> 32) % shard_count_];
}

void VerifiedTokenCache::evict(Shard& shard, Entry& entry) {
  if (!entry.used) return;
  OPENSSL_cleanse(entry.token.data(), entry.token.size());
  shard.token_bytes -= entry.token.size();
  --shard.entries;
  std::string().swap(entry.token);  // give the memory back: the byte bound counts what is held
  entry.keys.reset();
  entry.identity = Identity{};
  entry.used = false;
  entry.referenced = false;
}

std::optional<Identity> VerifiedTokenCache::find(std::string_view token, int64_t now, const JsonWebKeySet* keys) {
  const uint64_t token_hash = hash(token);
  Shard& shard = shard_for(token_hash);
  std::lock_guard<std::mutex> lock(shard.mutex);
  if (!shard.slots) {
    ++shard.misses;
    return std::nullopt;
  }
  const size_t window = std::min(kWindow, shard.slot_count);
  const size_t start = token_hash % shard.slot_count;
  for (size_t step = 0; step < window; ++step) {
    Entry& entry = shard.slots[(start + step) % shard.slot_count];
    if (!entry.used || entry.hash != token_hash || !same_bytes_in_constant_time(entry.token, token)) continue;
    if (entry.keys.get() == keys && answers(entry.not_before, entry.expires, now)) {
      entry.referenced = true;
      ++shard.hits;
      return entry.identity;
    }
    // A rotated key set or a passed exp: this entry is done (an earlier `now` than the nbf/iat
    // allow is the caller's oddity and leaves it in place).
    if (entry.keys.get() != keys || !(static_cast<double>(now) < entry.expires)) evict(shard, entry);
    break;
  }
  ++shard.misses;
  return std::nullopt;
}

void VerifiedTokenCache::insert(std::string_view token, std::shared_ptr<const JsonWebKeySet> keys, double not_before,
                                double expires, const Identity& identity, int64_t now) {
  if (!answers(not_before, expires, now)) return;
  const uint64_t token_hash = hash(token);
  Shard& shard = shard_for(token_hash);
  if (token.size() > shard.byte_budget) return;
  std::lock_guard<std::mutex> lock(shard.mutex);
  // A shard's slots (a few hundred bytes each) are made when it first keeps a token, so a
  // verifier that accepts little does not pay for the whole bound up front.
  if (!shard.slots) shard.slots = std::make_unique<Entry[]>(shard.slot_count);
  const size_t window = std::min(kWindow, shard.slot_count);
  const size_t start = token_hash % shard.slot_count;
  auto slot = [&](size_t step) -> Entry& { return shard.slots[(start + step) % shard.slot_count]; };

  Entry* target = nullptr;
  // Another thread may have cached the same token meanwhile: that entry is replaced.
  for (size_t step = 0; step < window && target == nullptr; ++step) {
    Entry& entry = slot(step);
    if (entry.used && entry.hash == token_hash && same_bytes_in_constant_time(entry.token, token)) target = &entry;
  }
  for (size_t step = 0; step < window && target == nullptr; ++step) {
    if (!slot(step).used) target = &slot(step);
  }
  for (size_t step = 0; step < window && target == nullptr; ++step) {
    Entry& entry = slot(step);
    if (entry.keys != keys || !(static_cast<double>(now) < entry.expires)) target = &entry;
  }
  // Second chance: the first entry not answered since the last pass, clearing marks on the
  // way; when every entry was answered, the first one (now unmarked) goes.
  for (size_t step = 0; step < window && target == nullptr; ++step) {
    Entry& entry = slot(step);
    if (!entry.referenced) target = &entry;
    entry.referenced = false;
  }
  if (target == nullptr) target = &slot(0);
  evict(shard, *target);

  // The byte bound: a CLOCK hand over the whole shard frees what the new token needs. It ends:
  // token.size() fits the budget and every other entry may go (marked ones on the second pass).
  while (shard.token_bytes + token.size() > shard.byte_budget) {
    Entry& entry = shard.slots[shard.hand];
    shard.hand = (shard.hand + 1) % shard.slot_count;
    if (!entry.used) continue;
    if (entry.referenced) {
      entry.referenced = false;
      continue;
    }
    evict(shard, entry);
  }

  target->used = true;
  target->referenced = false;
  target->hash = token_hash;
  target->token.assign(token);
  target->keys = std::move(keys);
  target->not_before = not_before;
  target->expires = expires;
  target->identity = identity;
  target->identity.source_address.clear();  // each answer takes its caller's
  ++shard.entries;
  shard.token_bytes += token.size();
}

TokenCacheStats VerifiedTokenCache::stats() const {
  TokenCacheStats total;
  for (size_t index = 0; index < shard_count_; ++index) {
    Shard& shard = shards_[index];
    std::lock_guard<std::mutex> lock(shard.mutex);
    total.hits += shard.hits;
    total.misses += shard.misses;
    total.entries += shard.entries;
    total.token_bytes += shard.token_bytes;
  }
  return total;
}

}  // namespace weftkit::auth
