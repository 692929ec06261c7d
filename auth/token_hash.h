// What the verified-token cache needs to find and match tokens: a keyed 64-bit hash of the
// token bytes (the index) and a constant-time byte comparison (the match).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace weftkit::auth {

// A keyed hash in the NH family (as UMAC's first layer: sums of products of key-offset word
// pairs, which collide with probability about 2^-64 per 1 KiB chunk for a random key), the
// chunks then folded together with the length. Not a MAC: it only spreads tokens over the
// cache, and without the key nobody can choose tokens that land on one slot. Roughly 16 bytes
// per multiplication, so a 1 KB token hashes in well under 100 ns.
class TokenHasher {
 public:
  static constexpr size_t kChunkWords = 128;  // 1 KiB of token per chunk

  struct Key {
    std::array<uint64_t, kChunkWords> words;
    uint64_t chunk_mix;
    uint64_t final_mix;
  };

  explicit TokenHasher(const Key& key) : key_(key) {}
  uint64_t operator()(std::string_view bytes) const;

 private:
  Key key_;
};

// The key for this process, drawn once from RAND_bytes; nullptr when the random generator
// failed (the cache then stays off rather than use a key someone could guess).
const TokenHasher* process_token_hasher();

// Whether `a` and `b` hold the same bytes, in time that depends only on their lengths (the
// lengths themselves are compared first: they are not secret). CRYPTO_memcmp does the same a
// byte at a time, which measured 1.6 to 2.1 µs for 1 KB here; this compares 32 bytes a step.
bool same_bytes_in_constant_time(std::string_view a, std::string_view b);

}  // namespace weftkit::auth
