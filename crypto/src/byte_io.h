// Little-endian writing and bounds-checked reading of the keyring's and the page header's
// fixed-width fields; a reader that runs past its end stays failed instead of reading further.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace weftkit::crypto::detail {

inline void store_u32(std::uint8_t* out, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) out[i] = static_cast<std::uint8_t>(value >> (8 * i));
}
inline void store_u64(std::uint8_t* out, std::uint64_t value) {
  for (int i = 0; i < 8; ++i) out[i] = static_cast<std::uint8_t>(value >> (8 * i));
}
inline std::uint32_t load_u32(const std::uint8_t* in) {
  std::uint32_t value = 0;
  for (int i = 3; i >= 0; --i) value = (value << 8) | in[i];
  return value;
}
inline std::uint64_t load_u64(const std::uint8_t* in) {
  std::uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8) | in[i];
  return value;
}

class ByteWriter {
 public:
  void u8(std::uint8_t value) { bytes_.push_back(value); }
  void u16(std::uint16_t value) {
    bytes_.push_back(static_cast<std::uint8_t>(value));
    bytes_.push_back(static_cast<std::uint8_t>(value >> 8));
  }
  void u32(std::uint32_t value) {
    std::size_t at = grow(4);
    store_u32(bytes_.data() + at, value);
  }
  void u64(std::uint64_t value) {
    std::size_t at = grow(8);
    store_u64(bytes_.data() + at, value);
  }
  void raw(std::span<const std::uint8_t> data) { bytes_.insert(bytes_.end(), data.begin(), data.end()); }
  // A length-prefixed (u16) byte string; callers keep strings under 64 KiB.
  void short_bytes(std::span<const std::uint8_t> data) {
    u16(static_cast<std::uint16_t>(data.size()));
    raw(data);
  }
  void short_string(std::string_view text) {
    short_bytes(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
  }
  std::vector<std::uint8_t>& bytes() { return bytes_; }

 private:
  std::size_t grow(std::size_t n) {
    std::size_t at = bytes_.size();
    bytes_.resize(at + n);
    return at;
  }
  std::vector<std::uint8_t> bytes_;
};

class ByteReader {
 public:
  explicit ByteReader(std::span<const std::uint8_t> data) : data_(data) {}
  bool ok() const { return ok_; }
  bool at_end() const { return offset_ == data_.size(); }
  std::size_t remaining() const { return data_.size() - offset_; }

  std::uint8_t u8() { return take(1) ? data_[offset_ - 1] : 0; }
  std::uint16_t u16() {
    if (!take(2)) return 0;
    return static_cast<std::uint16_t>(data_[offset_ - 2] | (data_[offset_ - 1] << 8));
  }
  std::uint32_t u32() { return take(4) ? load_u32(data_.data() + offset_ - 4) : 0; }
  std::uint64_t u64() { return take(8) ? load_u64(data_.data() + offset_ - 8) : 0; }
  std::span<const std::uint8_t> raw(std::size_t n) {
    if (!take(n)) return {};
    return data_.subspan(offset_ - n, n);
  }
  std::span<const std::uint8_t> short_bytes() { return raw(u16()); }
  std::string short_string() {
    auto bytes = short_bytes();
    return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  }

 private:
  bool take(std::size_t n) {
    if (!ok_ || n > data_.size() - offset_) {
      ok_ = false;
      return false;
    }
    offset_ += n;
    return true;
  }
  std::span<const std::uint8_t> data_;
  std::size_t offset_ = 0;
  bool ok_ = true;
};

}  // namespace weftkit::crypto::detail
