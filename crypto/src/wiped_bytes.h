// Bytes that are wiped (OPENSSL_cleanse) when they go: a data key or a MAC passes through
// them on its way from a remote provider's answer into locked memory.
#pragma once

#include <openssl/crypto.h>

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace weftkit::crypto::detail {

class WipedBytes {
 public:
  WipedBytes() = default;
  explicit WipedBytes(std::size_t size) : bytes_(size) {}
  WipedBytes(WipedBytes&& other) noexcept = default;  // the moved-from vector is left empty
  WipedBytes& operator=(WipedBytes&& other) noexcept {
    if (this != &other) {
      OPENSSL_cleanse(bytes_.data(), bytes_.size());
      bytes_ = std::move(other.bytes_);
    }
    return *this;
  }
  WipedBytes(const WipedBytes&) = delete;
  WipedBytes& operator=(const WipedBytes&) = delete;
  ~WipedBytes() { OPENSSL_cleanse(bytes_.data(), bytes_.size()); }

  std::vector<std::uint8_t>& bytes() { return bytes_; }
  const std::vector<std::uint8_t>& bytes() const { return bytes_; }

 private:
  std::vector<std::uint8_t> bytes_;
};

}  // namespace weftkit::crypto::detail
