// SecretKey: 32 bytes in a locked, wiped-on-free slot.
#include <weftkit/crypto/secret_key.h>

#include <openssl/rand.h>

#include <cstring>

#include "crypto/src/locked_memory.h"

namespace weftkit::crypto {

Result<SecretKey> SecretKey::allocate() {
  std::uint8_t* slot = detail::allocate_locked_key_slot();
  if (slot == nullptr) {
    return Error(ErrorCode::kMemoryLockFailed, "no locked memory for a key (mlock failed; check RLIMIT_MEMLOCK)");
  }
  return SecretKey(slot);
}

Result<SecretKey> SecretKey::random() {
  Result<SecretKey> key = allocate();
  if (!key.ok()) return key;
  if (RAND_bytes(key.value().slot_, static_cast<int>(kKeySize)) != 1) {
    return Error(ErrorCode::kInternal, "RAND_bytes failed to produce a key");
  }
  return key;
}

Result<SecretKey> SecretKey::from_bytes(std::span<const std::uint8_t> bytes) {
  if (bytes.size() != kKeySize) {
    return Error(ErrorCode::kInvalidArgument,
                 "a key is " + std::to_string(kKeySize) + " bytes, not " + std::to_string(bytes.size()));
  }
  Result<SecretKey> key = allocate();
  if (!key.ok()) return key;
  std::memcpy(key.value().slot_, bytes.data(), kKeySize);
  return key;
}

SecretKey& SecretKey::operator=(SecretKey&& other) noexcept {
  if (this != &other) {
    detail::free_locked_key_slot(slot_);
    slot_ = other.slot_;
    other.slot_ = nullptr;
  }
  return *this;
}

SecretKey::~SecretKey() { detail::free_locked_key_slot(slot_); }

}  // namespace weftkit::crypto
