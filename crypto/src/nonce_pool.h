// Random 96-bit nonces drawn from RAND_bytes in batches: one RAND_bytes call costs about 650 ns
// whatever its size up to a few KiB, more than GCM over a 4 KiB page, so a page cipher takes
// 256 nonces at a time. Nonces are not secret (every page header carries its own), only
// unique and unpredictable; a child process after fork() discards the batch it inherited, or
// parent and child would write the same nonces under the same keys.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace weftkit::crypto::detail {

class NoncePool {
 public:
  static constexpr std::size_t kNonceSize = 12;
  static constexpr std::size_t kBatch = 256;

  NoncePool();
  // Fills out with a fresh nonce; false only when RAND_bytes fails.
  bool next(std::uint8_t* out);

 private:
  std::array<std::uint8_t, kNonceSize * kBatch> batch_{};
  std::size_t used_ = kBatch;   // nonces of the batch handed out
  std::uint64_t fork_generation_ = 0;
};

}  // namespace weftkit::crypto::detail
