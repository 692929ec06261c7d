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

  // The class `version` gives `name`: from the cache when it holds the name, else from the
  // version, remembered for the next check. `version` must be the one the cache belongs to.
  [[gnu::always_inline]] uint32_t classify(std::string_view name, const PolicyVersion& version) const {
    Key key;
    if (make_key(name, key)) {
      uint32_t found = read(slots_[first_slot(key)], key);
      if (found != kMiss) [[likely]] return found;
    }
    return classify_slowly(name, key, version);
  }

  // The cached class of `name`, or kMiss (tests).
  uint32_t find(std::string_view name) const {
    Key key;
    if (!make_key(name, key)) return kMiss;
    uint32_t found = read(slots_[first_slot(key)], key);
    return found != kMiss ? found : read(slots_[second_slot(key)], key);
  }

 private:
  static constexpr size_t kSlotCount = 256;  // two choices per name, cuckoo insertion: 12 KiB

  struct Key {
    uint64_t length = 0;
    uint64_t words[4] = {};
    uint64_t hash = 0;
  };

  struct Slot {
    std::atomic<uint32_t> sequence{0};  // 0: empty; odd: being written
    std::atomic<uint32_t> resource_class{0};
    std::atomic<uint64_t> length{0};
    std::atomic<uint64_t> words[4] = {};
  };

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

  // False for a name longer than kMaxLength.
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
    } else if (length >= 4 && length < 8) {
      key.words[0] = load32(bytes) | (load32(bytes + length - 4) << 32);
    } else if (length > 0 && length < 4) {
      key.words[0] = static_cast<uint64_t>(static_cast<unsigned char>(bytes[0])) |
                     static_cast<uint64_t>(static_cast<unsigned char>(bytes[length / 2])) << 8 |
                     static_cast<uint64_t>(static_cast<unsigned char>(bytes[length - 1])) << 16;
    } else if (length != 0) {
      return false;
    }
    key.hash = hash_of(key);
    return true;
  }

  // The first and last words (all of a name up to 16 bytes) choose the slots: a short chain
  // from the name's bytes to the slot's address (one multiply), which is what a check waits
  // for. A product's high bits depend on all of its factor's bits, and the slots are taken
  // from the top 16; the last word is rotated because names sharing a prefix and a suffix
  // ("sales.table_12", "sales.table_13") differ in its top bytes, which would otherwise only
  // reach the product's top bits through carries.
  static uint64_t hash_of(const Key& key) {
    return (key.words[0] ^ key.length ^ ((key.words[3] << 32) | (key.words[3] >> 32))) * 0x9E3779B97F4A7C15ull;
  }
  static size_t first_slot(const Key& key) { return key.hash >> 56; }
  static size_t second_slot(const Key& key) { return (key.hash >> 48) & (kSlotCount - 1); }

  // One branch at the end: whether the slot held the key, unchanged while it was read.
  [[gnu::always_inline]] static uint32_t read(const Slot& slot, const Key& key) {
    uint32_t sequence = slot.sequence.load(std::memory_order_acquire);
    uint32_t resource_class = slot.resource_class.load(std::memory_order_relaxed);
    uint64_t differs = (slot.length.load(std::memory_order_relaxed) ^ key.length) |
                       (slot.words[0].load(std::memory_order_relaxed) ^ key.words[0]) |
                       (slot.words[1].load(std::memory_order_relaxed) ^ key.words[1]) |
                       (slot.words[2].load(std::memory_order_relaxed) ^ key.words[2]) |
                       (slot.words[3].load(std::memory_order_relaxed) ^ key.words[3]);
    std::atomic_thread_fence(std::memory_order_acquire);
    uint32_t after = slot.sequence.load(std::memory_order_relaxed);
    bool held = (differs == 0) & ((sequence & 1) == 0) & (sequence != 0) & (after == sequence);
    return held ? resource_class : kMiss;
  }

  // The second slot, else the version; a key too long is not remembered.
  uint32_t classify_slowly(std::string_view name, const Key& key, const PolicyVersion& version) const;
  void remember(const Key& key, uint32_t resource_class) const;
  static uint32_t key_of(const Slot& slot, Key& key);
  static void write(Slot& slot, const Key& key, uint32_t resource_class);

  static constexpr int kMaxMoves = 16;
  mutable std::mutex writer_;
  mutable std::array<Slot, kSlotCount> slots_;
};

}  // namespace weftkit::detail
