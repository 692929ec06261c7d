// The slow half of the names cache: the second slot, the version's lookup, and cuckoo
// insertion (see resource_name_cache.h).
#include "runtime/src/resource_name_cache.h"

namespace weftkit::detail {

uint32_t ResourceNameCache::classify_slowly(std::string_view name, const Key& key, const PolicyVersion& version) const {
  if (name.size() > kMaxLength) return version.resource_class(name);
  uint32_t found = read(slots_[second_slot(key)], key);
  if (found != kMiss) return found;
  uint32_t resource_class = version.resource_class(name);
  remember(key, resource_class);
  return resource_class;
}

// Cuckoo insertion (Pagh and Rodler, 2001): into an empty slot of the two, else the key takes
// its slot and the one it displaced moves to its other slot, and so on for a few steps.
// Without moving, two names sharing both slots would keep evicting each other and both would
// always miss. Writers take turns; readers never wait for them.
void ResourceNameCache::remember(const Key& key, uint32_t resource_class) const {
  std::lock_guard<std::mutex> lock(writer_);
  if (read(slots_[first_slot(key)], key) != kMiss || read(slots_[second_slot(key)], key) != kMiss) return;
  Key moving = key;
  uint32_t moving_class = resource_class;
  size_t position = first_slot(moving);
  if (slots_[position].sequence.load(std::memory_order_relaxed) != 0) position = second_slot(moving);
  for (int step = 0; step < kMaxMoves; ++step) {
    Slot& slot = slots_[position];
    const bool was_empty = slot.sequence.load(std::memory_order_relaxed) == 0;
    Key displaced;
    uint32_t displaced_class = 0;
    if (!was_empty) displaced_class = key_of(slot, displaced);
    write(slot, moving, moving_class);
    if (was_empty) return;
    moving = displaced;
    moving_class = displaced_class;
    position = position == first_slot(moving) ? second_slot(moving) : first_slot(moving);
  }
  // The last one displaced is dropped: a later check of it misses and puts it back.
}

// The key and class a slot holds (only writers call this, holding writer_).
uint32_t ResourceNameCache::key_of(const Slot& slot, Key& key) {
  key.length = slot.length.load(std::memory_order_relaxed);
  for (size_t word = 0; word < 4; ++word) key.words[word] = slot.words[word].load(std::memory_order_relaxed);
  key.hash = hash_of(key);
  return slot.resource_class.load(std::memory_order_relaxed);
}

void ResourceNameCache::write(Slot& slot, const Key& key, uint32_t resource_class) {
  uint32_t sequence = slot.sequence.load(std::memory_order_relaxed);
  slot.sequence.store(sequence + 1, std::memory_order_relaxed);  // odd: readers of the slot miss
  std::atomic_thread_fence(std::memory_order_release);
  slot.resource_class.store(resource_class, std::memory_order_relaxed);
  slot.length.store(key.length, std::memory_order_relaxed);
  for (size_t word = 0; word < 4; ++word) slot.words[word].store(key.words[word], std::memory_order_relaxed);
  // Never back to 0 ("empty"), even after 2^31 rewrites of one slot.
  slot.sequence.store(sequence + 2 == 0 ? 2 : sequence + 2, std::memory_order_release);
}

}  // namespace weftkit::detail
