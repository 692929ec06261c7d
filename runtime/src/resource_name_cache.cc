// The slow half of the names cache: the second slot, the version's lookup, and cuckoo
// insertion (see resource_name_cache.h).
#include "runtime/src/resource_name_cache.h"

namespace weftkit::detail {

bool ResourceNameCache::make_any_key(std::string_view name, Key& key) {
  if (make_key(name, key)) return true;
  const size_t length = name.size();
  if (length > kMaxLength) return false;
  // 0 to 3 bytes: the first, middle and last bytes are all of them.
  key.length = length;
  key.words[0] = key.words[1] = key.words[2] = key.words[3] = 0;
  if (length > 0) {
    key.words[0] = static_cast<uint64_t>(static_cast<unsigned char>(name[0])) |
                   static_cast<uint64_t>(static_cast<unsigned char>(name[length / 2])) << 8 |
                   static_cast<uint64_t>(static_cast<unsigned char>(name[length - 1])) << 16;
  }
  key.hash = hash_of(key);
  return true;
}

uint32_t ResourceNameCache::classify_slowly(std::string_view name, const PolicyVersion& version) const {
  Key key;
  if (!make_any_key(name, key)) return version.resource_class(name);
  uint32_t found = read(slots_[first_slot(key)], key);
  if (found != kMiss) return found;
  found = read(slots_[second_slot(key)], key);
  if (found != kMiss) return found;
  uint32_t resource_class = version.resource_class(name);
  if (resource_class <= kMaxCachedClass) remember(key, resource_class);
  return resource_class;
}

// Cuckoo insertion (Pagh and Rodler, 2001): into an empty slot of the two, else the key takes
// its slot and the one it displaced moves to its other slot, and so on for a few steps.
// Without moving, two names sharing both slots would keep evicting each other and both would
// always miss. Remembering is optional, so a check that finds another thread remembering does
// not wait for it (right after a reload every connection misses at once): it answers from the
// version and leaves the name for a later check.
void ResourceNameCache::remember(const Key& key, uint32_t resource_class) const {
  std::unique_lock<std::mutex> lock(writer_, std::try_to_lock);
  if (!lock.owns_lock()) return;
  if (read(slots_[first_slot(key)], key) != kMiss || read(slots_[second_slot(key)], key) != kMiss) return;
  Key moving = key;
  uint32_t moving_class = resource_class;
  size_t position = first_slot(moving);
  if (!empty(slots_[position])) position = second_slot(moving);
  for (int step = 0; step < kMaxMoves; ++step) {
    Slot& slot = slots_[position];
    const bool was_empty = empty(slot);
    Key displaced;
    uint32_t displaced_class = 0;
    if (!was_empty) displaced_class = key_of(slot, displaced);
    write(slot, moving, moving_class);
    if (was_empty) return;
    moving = displaced;
    moving_class = displaced_class;
    size_t other = position == first_slot(moving) ? second_slot(moving) : first_slot(moving);
    if (other == position) return;  // both its slots are this one: it cannot move, and is dropped
    position = other;
  }
  // The last one displaced is dropped: a later check of it misses and puts it back.
}

// The key and class a slot holds (only writers call this, holding writer_).
uint32_t ResourceNameCache::key_of(const Slot& slot, Key& key) {
  uint64_t header = slot.header.load(std::memory_order_relaxed);
  key.length = (header >> 32) & 0xFF;
  for (size_t word = 0; word < 4; ++word) key.words[word] = slot.words[word].load(std::memory_order_relaxed);
  key.hash = hash_of(key);
  return static_cast<uint32_t>(header >> 40);
}

void ResourceNameCache::write(Slot& slot, const Key& key, uint32_t resource_class) {
  uint64_t header = slot.header.load(std::memory_order_relaxed);
  uint32_t sequence = static_cast<uint32_t>(header);
  slot.header.store(header | 1, std::memory_order_relaxed);  // odd: readers of the slot miss
  std::atomic_thread_fence(std::memory_order_release);
  for (size_t word = 0; word < 4; ++word) slot.words[word].store(key.words[word], std::memory_order_relaxed);
  // The sequence wraps from 2^32 - 2 to 0, which is even and stable like any other.
  slot.header.store(header_of(sequence + 2, key.length, resource_class), std::memory_order_release);
}

}  // namespace weftkit::detail
