// A 256-bit secret (master or data key) held only in locked memory (mlock, excluded from core
// dumps) and wiped with OPENSSL_cleanse when freed. Move-only: a key is never copied by accident.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include <weftkit/crypto/error.h>

namespace weftkit::crypto {

inline constexpr std::size_t kKeySize = 32;

class SecretKey {
 public:
  // A zeroed key in locked memory; memory_lock_failed when none can be locked.
  static Result<SecretKey> allocate();
  // A key from the operating system's CSPRNG (OpenSSL RAND_bytes).
  static Result<SecretKey> random();
  // Copies exactly kKeySize bytes; invalid_argument for any other size.
  static Result<SecretKey> from_bytes(std::span<const std::uint8_t> bytes);

  SecretKey(SecretKey&& other) noexcept : slot_(other.slot_) { other.slot_ = nullptr; }
  SecretKey& operator=(SecretKey&& other) noexcept;
  SecretKey(const SecretKey&) = delete;
  SecretKey& operator=(const SecretKey&) = delete;
  ~SecretKey();

  std::span<const std::uint8_t, kKeySize> bytes() const { return std::span<const std::uint8_t, kKeySize>(slot_, kKeySize); }
  std::span<std::uint8_t, kKeySize> mutable_bytes() { return std::span<std::uint8_t, kKeySize>(slot_, kKeySize); }

 private:
  explicit SecretKey(std::uint8_t* slot) : slot_(slot) {}
  std::uint8_t* slot_;
};

}  // namespace weftkit::crypto
