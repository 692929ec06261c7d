// Hand-written selection loops (see predicate_baseline.h). Compiled at -O3 -march=native.
#include "bench/predicate_baseline.h"

#include <cstring>

namespace weftkit::policy::bench {
namespace {

// Eight 0/1 bytes to eight bits, byte j to bit j (no carries: each product bit lands alone).
inline uint64_t pack_bytes(const uint8_t* bytes) {
  uint64_t word;
  std::memcpy(&word, bytes, sizeof word);
  return (word * 0x0102040810204080ull) >> 56;
}

inline uint64_t pack_block(const uint8_t (&bytes)[64]) {
  uint64_t bits = 0;
  for (int group = 0; group < 8; ++group) bits |= pack_bytes(bytes + 8 * group) << (8 * group);
  return bits;
}

// For each block of 64 rows: the test's 0/1 bytes (a loop the vectoriser handles), packed to a
// word, ANDed with the validity words. The last, partial block clears the bits past `length`.
template <class Test, class Valid>
inline void select_blocks(int64_t length, Test test, Valid valid, uint64_t* selection) {
  int64_t blocks = length / 64;
  for (int64_t block = 0; block < blocks; ++block) {
    alignas(64) uint8_t bytes[64];
    int64_t first = block * 64;
    for (int lane = 0; lane < 64; ++lane) bytes[lane] = test(first + lane);
    selection[block] = pack_block(bytes) & valid(block);
  }
  int64_t rest = length - blocks * 64;
  if (rest > 0) {
    alignas(64) uint8_t bytes[64] = {};
    int64_t first = blocks * 64;
    for (int64_t lane = 0; lane < rest; ++lane) bytes[lane] = test(first + lane);
    selection[blocks] = pack_block(bytes) & valid(blocks) & (~uint64_t{0} >> (64 - rest));
  }
}

}  // namespace

void select_integer(const uint64_t* tenant_valid, const int32_t* tenant, const uint64_t* amount_valid,
                    const int64_t* amount, int64_t length, int32_t tenant_value, int64_t amount_limit,
                    uint64_t* selection) {
  select_blocks(
      length,
      [=](int64_t row) -> uint8_t { return static_cast<uint8_t>((tenant[row] == tenant_value) & (amount[row] > amount_limit)); },
      [=](int64_t word) { return tenant_valid[word] & amount_valid[word]; }, selection);
}

void select_integer_naive(const uint64_t* tenant_valid, const int32_t* tenant, const uint64_t* amount_valid,
                          const int64_t* amount, int64_t length, int32_t tenant_value, int64_t amount_limit,
                          uint64_t* selection) {
  int64_t words = (length + 63) / 64;
  for (int64_t word = 0; word < words; ++word) {
    uint64_t bits = 0;
    int64_t first = word * 64;
    int64_t count = length - first < 64 ? length - first : 64;
    for (int64_t lane = 0; lane < count; ++lane) {
      int64_t row = first + lane;
      bits |= static_cast<uint64_t>((tenant[row] == tenant_value) & (amount[row] > amount_limit)) << lane;
    }
    selection[word] = bits & tenant_valid[word] & amount_valid[word];
  }
}

void select_text_equal(const uint64_t* valid, const int32_t* offsets, const char* data, int64_t length,
                       const char* value, int64_t value_length, uint64_t* selection) {
  select_blocks(
      length,
      [=](int64_t row) -> uint8_t {
        // Branch-free: the lengths differ for about half of the rows, unpredictably.
        int64_t start = offsets[row];
        int64_t size = offsets[row + 1] - start;
        size_t common = static_cast<size_t>(size < value_length ? size : value_length);
        return (size == value_length) & (std::memcmp(data + start, value, common) == 0);
      },
      [=](int64_t word) { return valid[word]; }, selection);
}

void select_like_a_percent_b(const uint64_t* valid, const int32_t* offsets, const char* data, int64_t length,
                             uint64_t* selection) {
  select_blocks(
      length,
      [=](int64_t row) -> uint8_t {
        int64_t start = offsets[row];
        int64_t size = offsets[row + 1] - start;
        return size >= 2 && data[start] == 'a' && data[start + size - 1] == 'b';
      },
      [=](int64_t word) { return valid[word]; }, selection);
}

}  // namespace weftkit::policy::bench
