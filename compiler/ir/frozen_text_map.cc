// Building FrozenTextMap, and its hash.
#include "compiler/ir/frozen_text_map.h"

#include <cstring>

namespace weftkit::policy {
namespace {

uint64_t load64(const char* bytes) {
  uint64_t value;
  std::memcpy(&value, bytes, sizeof value);
  return value;
}

uint64_t load32(const char* bytes) {
  uint32_t value;
  std::memcpy(&value, bytes, sizeof value);
  return value;
}

__extension__ using Wide = unsigned __int128;  // GCC and Clang; __extension__ keeps -Wpedantic quiet

uint64_t mix(uint64_t a, uint64_t b) {
  Wide product = static_cast<Wide>(a) * b;
  return static_cast<uint64_t>(product) ^ static_cast<uint64_t>(product >> 64);
}

constexpr uint64_t kSeed = 0xa0761d6478bd642full;
constexpr uint64_t kOdd = 0xe7037ed1a0b428dbull;

}  // namespace

uint64_t FrozenTextMap::hash_text(std::string_view text) {
  const char* bytes = text.data();
  size_t left = text.size();
  uint64_t state = kSeed ^ left;
  for (; left > 16; bytes += 16, left -= 16) state = mix(load64(bytes) ^ kOdd, load64(bytes + 8) ^ state);
  uint64_t first = 0;
  uint64_t second = 0;
  if (left >= 8) {
    first = load64(bytes);
    second = load64(bytes + left - 8);
  } else if (left >= 4) {
    first = load32(bytes);
    second = load32(bytes + left - 4);
  } else if (left > 0) {
    first = (uint64_t{static_cast<unsigned char>(bytes[0])} << 16) |
            (uint64_t{static_cast<unsigned char>(bytes[left / 2])} << 8) | static_cast<unsigned char>(bytes[left - 1]);
  }
  return mix(first ^ kOdd, second ^ state);
}

FrozenTextMap::FrozenTextMap(const std::vector<std::pair<std::string, uint32_t>>& entries) {
  size_t capacity = 8;
  while (capacity < 2 * entries.size()) capacity *= 2;
  slots_.resize(capacity);
  mask_ = capacity - 1;
  for (const auto& [key, value] : entries) {
    uint64_t hash = hash_text(key);
    for (size_t index = hash & mask_;; index = (index + 1) & mask_) {
      Slot& slot = slots_[index];
      if (slot.length == kEmpty) {
        slot = {hash, static_cast<uint32_t>(keys_.size()), static_cast<uint32_t>(key.size()), value};
        keys_ += key;
        break;
      }
      if (slot.hash == hash && std::string_view(keys_).substr(slot.offset, slot.length) == key) {
        slot.value = value;
        break;
      }
    }
  }
}

}  // namespace weftkit::policy
