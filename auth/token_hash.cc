// The cache index hash and the byte match; see token_hash.h for why each is built this way.
#include "auth/token_hash.h"

#include <openssl/rand.h>

#include <cstring>
#include <memory>

namespace weftkit::auth {
namespace {

__extension__ using Wide = unsigned __int128;  // GCC and Clang; __extension__ keeps -Wpedantic quiet

uint64_t load_word(const char* bytes) {
  uint64_t word = 0;
  std::memcpy(&word, bytes, sizeof word);
  return word;
}

// The high and low halves of the 128-bit product folded together: every input bit reaches
// many output bits.
uint64_t multiply_fold(uint64_t a, uint64_t b) {
  const Wide product = static_cast<Wide>(a) * b;
  return static_cast<uint64_t>(product) ^ static_cast<uint64_t>(product >> 64);
}

}  // namespace

uint64_t TokenHasher::operator()(std::string_view bytes) const {
  uint64_t state = key_.chunk_mix;
  const char* cursor = bytes.data();
  size_t left = bytes.size();
  do {
    const size_t chunk = left < kChunkWords * 8 ? left : kChunkWords * 8;
    Wide sum = 0;
    size_t word = 0;
    size_t offset = 0;
    for (; offset + 16 <= chunk; offset += 16, word += 2) {
      const uint64_t first = load_word(cursor + offset) + key_.words[word];
      const uint64_t second = load_word(cursor + offset + 8) + key_.words[word + 1];
      sum += static_cast<Wide>(first) * second;
    }
    if (offset < chunk) {
      // The tail, zero-padded to a word pair; the length folded in below tells "ab" from "ab\0".
      char tail[16] = {};
      std::memcpy(tail, cursor + offset, chunk - offset);
      sum += static_cast<Wide>(load_word(tail) + key_.words[word]) * (load_word(tail + 8) + key_.words[word + 1]);
    }
    state = multiply_fold(state ^ static_cast<uint64_t>(sum), static_cast<uint64_t>(sum >> 64) ^ key_.chunk_mix);
    cursor += chunk;
    left -= chunk;
  } while (left > 0);
  return multiply_fold(state ^ bytes.size(), key_.final_mix);
}

const TokenHasher* process_token_hasher() {
  static const std::unique_ptr<TokenHasher> hasher = []() -> std::unique_ptr<TokenHasher> {
    TokenHasher::Key key;
    if (RAND_bytes(reinterpret_cast<unsigned char*>(&key), sizeof key) != 1) return nullptr;
    // A zero multiplier would map everything to one value; odd ones never do.
    key.chunk_mix |= 1;
    key.final_mix |= 1;
    return std::make_unique<TokenHasher>(key);
  }();
  return hasher.get();
}

bool same_bytes_in_constant_time(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  // Four independent accumulators let the loads and XORs of one step overlap; nothing here
  // branches on the bytes.
  uint64_t differ[4] = {0, 0, 0, 0};
  size_t offset = 0;
  const size_t size = a.size();
  for (; offset + 32 <= size; offset += 32) {
    for (size_t lane = 0; lane < 4; ++lane) {
      differ[lane] |= load_word(a.data() + offset + 8 * lane) ^ load_word(b.data() + offset + 8 * lane);
    }
  }
  unsigned char tail = 0;
  for (; offset < size; ++offset) tail |= static_cast<unsigned char>(a[offset] ^ b[offset]);
  return (differ[0] | differ[1] | differ[2] | differ[3] | tail) == 0;
}

}  // namespace weftkit::auth
