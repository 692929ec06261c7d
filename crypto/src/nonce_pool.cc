// Batched nonces, discarded across fork() (see nonce_pool.h).
#include "crypto/src/nonce_pool.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <pthread.h>

#include <atomic>
#include <cstring>

namespace weftkit::crypto::detail {
namespace {

std::atomic<std::uint64_t> fork_generation{0};

void count_fork_in_child() { fork_generation.fetch_add(1, std::memory_order_relaxed); }

void register_fork_handler() {
  static const bool registered = [] {
    return pthread_atfork(nullptr, nullptr, count_fork_in_child) == 0;
  }();
  (void)registered;
}

}  // namespace

NoncePool::NoncePool() { register_fork_handler(); }

bool NoncePool::next(std::uint8_t* out) {
  std::uint64_t generation = fork_generation.load(std::memory_order_relaxed);
  if (used_ == kBatch || generation != fork_generation_) {
    if (RAND_bytes(batch_.data(), static_cast<int>(batch_.size())) != 1) return false;
    used_ = 0;
    fork_generation_ = generation;
  }
  std::uint8_t* nonce = batch_.data() + used_ * kNonceSize;
  std::memcpy(out, nonce, kNonceSize);
  // Handed out once: a later bug cannot hand the same bytes out again.
  OPENSSL_cleanse(nonce, kNonceSize);
  ++used_;
  return true;
}

}  // namespace weftkit::crypto::detail
