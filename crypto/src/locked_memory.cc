// The process-wide arena of locked key slots (see locked_memory.h).
#include "crypto/src/locked_memory.h"

#include <openssl/crypto.h>
#include <sys/mman.h>

#include <cstddef>
#include <mutex>
#include <vector>

#include <weftkit/crypto/secret_key.h>

namespace weftkit::crypto::detail {
namespace {

constexpr std::size_t kChunkSize = 64 * 1024;

class LockedArena {
 public:
  std::uint8_t* allocate() {
    std::lock_guard lock(mutex_);
    if (free_.empty() && !grow()) return nullptr;
    std::uint8_t* slot = free_.back();
    free_.pop_back();
    return slot;
  }

  void release(std::uint8_t* slot) {
    OPENSSL_cleanse(slot, kKeySize);
    std::lock_guard lock(mutex_);
    free_.push_back(slot);
  }

 private:
  // Chunks are never unmapped: slots may be freed by static destructors in any order.
  bool grow() {
    void* chunk = mmap(nullptr, kChunkSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (chunk == MAP_FAILED) return false;
    if (mlock(chunk, kChunkSize) != 0) {
      munmap(chunk, kChunkSize);
      return false;
    }
    // Best effort: a kernel without MADV_DONTDUMP still keeps the keys out of swap.
    (void)madvise(chunk, kChunkSize, MADV_DONTDUMP);
    auto* bytes = static_cast<std::uint8_t*>(chunk);
    free_.reserve(free_.size() + kChunkSize / kKeySize);
    for (std::size_t offset = kChunkSize; offset >= kKeySize; offset -= kKeySize) free_.push_back(bytes + offset - kKeySize);
    return true;
  }

  std::mutex mutex_;
  std::vector<std::uint8_t*> free_;
};

LockedArena& arena() {
  // Never destroyed, so that keys held by other static objects can still be freed at exit.
  static LockedArena* instance = new LockedArena;
  return *instance;
}

}  // namespace

std::uint8_t* allocate_locked_key_slot() { return arena().allocate(); }

void free_locked_key_slot(std::uint8_t* slot) {
  if (slot != nullptr) arena().release(slot);
}

}  // namespace weftkit::crypto::detail
