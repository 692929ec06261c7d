// The resource classes of the table names checked against one policy version, so that a
// warm check by name costs one hash and one compare instead of the version's lookup
// (validation, splitting, up to two probes: about 20 ns for a name no policy spells).
//
// A name's class depends on the version only, not on who asks, so one cache serves every
// context of a version (PolicyStore::Serving::names): what one connection looked up, all find,
// and a few KiB stay in L1 however many connections there are. A reload publishes a new
// version with an empty cache, so a cache never holds another version's classes and is never
// flushed. Contexts and statements on any number of threads share it, so every slot is a
// seqlock (H.-J. Boehm, "Can seqlocks get along with programming language memory models?",
// 2012): readers never write and never wait, and a reader that overlaps a writer sees a miss;
// writers move keys between slots (cuckoo hashing) under a lock of their own. A miss costs
// the version's lookup and nothing else: the cache can never change an answer, and names that keep missing (a client
// checking random names) only bring checks back to the version's speed.
//
// Keys are the exact bytes of the name, up to kMaxLength (longer names are not cached): the
// length and four 8-byte words read at fixed offsets that cover every byte, so equal keys are
// equal names, and a slot's key is compared whole, never by hash alone.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <string_view>

#include <weftkit/policy_version.h>

namespace weftkit::detail {

class ResourceNameCache {
 public:
  static constexpr size_t kMaxLength = 32;
  static constexpr uint32_t kMiss = UINT32_MAX;
  // Classes from 2^24 on are not cached (they share the slot header with its sequence and
  // the name's length); no program comes near that many.
  static constexpr uint32_t kMaxCachedClass = (1u << 24) - 1;

  ResourceNameCache() {
    for (Slot& slot : slots_) slot.header.store(kEmptyHeader, std::memory_order_relaxed);
  }
  ResourceNameCache(const ResourceNameCache&) = delete;
  ResourceNameCache& operator=(const ResourceNameCache&) = delete;

  // The class `version` gives `name`: from the cache when it holds the name, else from the
  // version, remembered for the next check. `version` must be the one the cache belongs to.
  // The common case (a name of 4 to 32 bytes that the cache holds) stays in registers: no key
  // is written to memory, one branch decides.
  [[gnu::always_inline]] uint32_t classify(std::string_view name, const PolicyVersion& version) const {
    Key key;
    if (make_key(name, key)) [[likely]] {
      // Both slots are read at once: their loads overlap, and which one holds the name (about
      // one name in five is in its second) is a select, not a branch.
      uint32_t first = read(slots_[first_slot(key)], key);
      uint32_t second = read(slots_[second_slot(key)], key);
      uint32_t found = first != kMiss ? first : second;
      if (found != kMiss) [[likely]] return found;
    }
    return classify_slowly(name, version);
  }

  // The cached class of `name`, or kMiss (tests).
  uint32_t find(std::string_view name) const {
    Key key;
    if (!make_key(name, key)) return kMiss;
    uint32_t found = read(slots_[first_slot(key)], key);
    return found != kMiss ? found : read(slots_[second_slot(key)], key);
  }

 private:
  static constexpr size_t kSlotCount = 256;  // two choices per name, cuckoo insertion: 10 KiB

  struct Key {
    uint64_t length;
    uint64_t words[4];
    uint64_t hash;
  };

  // header: bit 0 set while a writer writes the slot, bits 0-31 the slot's sequence (even when
  // stable), bits 32-39 the name's length (255 in an empty slot: no name matches it), bits
  // 40-63 its class. One load gives all three, and the same load after the words tells a
  // reader whether a writer intervened.
  struct Slot {
    std::atomic<uint64_t> header;
    std::atomic<uint64_t> words[4];
  };
  static constexpr uint64_t kEmptyHeader = uint64_t{255} << 32;
  static bool empty(const Slot& slot) {
    return ((slot.header.load(std::memory_order_relaxed) >> 32) & 0xFF) == 255;
  }
  static uint64_t header_of(uint32_t sequence, uint64_t length, uint32_t resource_class) {
    return sequence | length << 32 | static_cast<uint64_t>(resource_class) << 40;
  }

  static uint64_t load64(const char* at) {
    uint64_t word;
    std::memcpy(&word, at, sizeof word);
    return word;
  }
  static uint64_t load32(const char* at) {
    uint32_t word;
    std::memcpy(&word, at, sizeof word);
    return word;
  }

  // False for names of 0 to 3 bytes and longer than kMaxLength (the slow path builds those).
  [[gnu::always_inline]] static bool make_key(std::string_view name, Key& key) {
    const char* bytes = name.data();
    const size_t length = name.size();
    key.length = length;
    if (length - 8 <= kMaxLength - 8) [[likely]] {  // 8 to 32 bytes
      // Windows at 0, min(8, n-8), min(16, n-8) and n-8: consecutive ones at most 8 apart, so
      // together they cover bytes [0, n); for a given n the offsets are fixed.
      const size_t last = length - 8;
      key.words[0] = load64(bytes);
      key.words[1] = load64(bytes + (last < 8 ? last : 8));
      key.words[2] = load64(bytes + (last < 16 ? last : 16));
      key.words[3] = load64(bytes + last);
    } else if (length - 4 < 4) {  // 4 to 7 bytes: two overlapping windows
      key.words[0] = load32(bytes) | (load32(bytes + length - 4) << 32);
      key.words[1] = key.words[2] = key.words[3] = 0;
    } else {
      return false;
    }
    key.hash = hash_of(key);
    return true;
  }
  // Every length from 0 to kMaxLength (the slow path's keys).
  static bool make_any_key(std::string_view name, Key& key);

  // Every word chooses the slots (names of 17 to 32 bytes that differ only in the middle,
  // such as "tenant_0001_orders_archive", "tenant_0002_orders_archive", must not share them),
  // with two independent multiplies, so the chain from the name's bytes to the slot's address
  // is one multiply long. A product's high bits depend on all of its factor's bits, and the
  // slots are taken from the top 16; words are rotated because names sharing a prefix and a
  // suffix differ in a word's top bytes, which would otherwise reach the product's top bits
  // only through carries.
  static uint64_t hash_of(const Key& key) {
    return (key.words[0] ^ key.length ^ rotate(key.words[3])) * 0x9E3779B97F4A7C15ull ^
           (key.words[1] ^ rotate(key.words[2])) * 0xC2B2AE3D27D4EB4Full;
  }
  static uint64_t rotate(uint64_t word) { return (word << 32) | (word >> 32); }
  static size_t first_slot(const Key& key) { return key.hash >> 56; }
  static size_t second_slot(const Key& key) { return (key.hash >> 48) & (kSlotCount - 1); }

  // One branch at the end: whether the slot held the key, unchanged while it was read.
  [[gnu::always_inline]] static uint32_t read(const Slot& slot, const Key& key) {
    uint64_t header = slot.header.load(std::memory_order_acquire);
    uint64_t differs = (slot.words[0].load(std::memory_order_relaxed) ^ key.words[0]) |
                       (slot.words[1].load(std::memory_order_relaxed) ^ key.words[1]) |
                       (slot.words[2].load(std::memory_order_relaxed) ^ key.words[2]) |
                       (slot.words[3].load(std::memory_order_relaxed) ^ key.words[3]);
    std::atomic_thread_fence(std::memory_order_acquire);
    uint64_t after = slot.header.load(std::memory_order_relaxed);
    bool held = (differs == 0) & (((header >> 32) & 0xFF) == key.length) & ((header & 1) == 0) & (after == header);
    return held ? static_cast<uint32_t>(header >> 40) : kMiss;
  }

  // The second slot, else the version; names too short or too long for the fast path too.
  uint32_t classify_slowly(std::string_view name, const PolicyVersion& version) const;
  void remember(const Key& key, uint32_t resource_class) const;
  static uint32_t key_of(const Slot& slot, Key& key);
  static void write(Slot& slot, const Key& key, uint32_t resource_class);

  static constexpr int kMaxMoves = 16;
  mutable std::mutex writer_;
  mutable std::array<Slot, kSlotCount> slots_;
};

}  // namespace weftkit::detail
