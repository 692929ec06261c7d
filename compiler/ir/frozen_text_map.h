// An immutable map from text to a 32-bit value, built once and then looked up by string_view
// on hot paths: one flat array probed linearly, no allocation, no pointer chasing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace weftkit::policy {

class FrozenTextMap {
 public:
  FrozenTextMap() = default;
  // Later entries with an already present key replace its value.
  explicit FrozenTextMap(const std::vector<std::pair<std::string, uint32_t>>& entries);

  std::optional<uint32_t> find(std::string_view key) const {
    if (slots_.empty()) return std::nullopt;
    uint64_t hash = hash_text(key);
    for (size_t index = hash & mask_;; index = (index + 1) & mask_) {
      const Slot& slot = slots_[index];
      if (slot.length == kEmpty) return std::nullopt;
      if (slot.hash == hash && std::string_view(keys_.data() + slot.offset, slot.length) == key) return slot.value;
    }
  }

  // A fast hash for short texts (wyhash's shape: 8-byte loads, one 128-bit multiply per
  // 16 bytes). The keys are fixed when the map is built, so a caller choosing texts cannot
  // lengthen a probe: each probe stops at the first empty slot of a table at most half full.
  static uint64_t hash_text(std::string_view text);

 private:
  static constexpr uint32_t kEmpty = UINT32_MAX;
  struct Slot {
    uint64_t hash = 0;
    uint32_t offset = 0;  // of the key in keys_
    uint32_t length = kEmpty;
    uint32_t value = 0;
  };
  std::vector<Slot> slots_;  // a power of two, at least twice the entries
  size_t mask_ = 0;
  std::string keys_;  // every key, back to back
};

}  // namespace weftkit::policy
