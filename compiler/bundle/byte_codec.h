// Little-endian encoding primitives for the bundle: a writer that appends, and a reader that
// checks every read against the end of the buffer and remembers the first failure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace weftkit::policy {

class ByteWriter {
 public:
  void u8(uint8_t value) { bytes_.push_back(static_cast<char>(value)); }
  void u32(uint32_t value) { fixed(value, 4); }
  void u64(uint64_t value) { fixed(value, 8); }
  void string(std::string_view value) {
    u32(static_cast<uint32_t>(value.size()));
    bytes_.append(value);
  }
  void raw(std::string_view value) { bytes_.append(value); }
  const std::string& bytes() const { return bytes_; }

 private:
  void fixed(uint64_t value, int width) {
    for (int index = 0; index < width; ++index) bytes_.push_back(static_cast<char>((value >> (8 * index)) & 0xff));
  }
  std::string bytes_;
};

class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes) : bytes_(bytes) {}

  uint8_t u8() { return static_cast<uint8_t>(fixed(1)); }
  // A flag byte: exactly 0 or 1, so that every accepted bundle has one encoding.
  bool boolean() {
    uint8_t value = u8();
    if (value > 1) fail("a flag byte is neither 0 nor 1");
    return value == 1;
  }
  uint32_t u32() { return static_cast<uint32_t>(fixed(4)); }
  uint64_t u64() { return fixed(8); }
  std::string string() {
    uint32_t size = u32();
    if (!take(size)) return {};
    return std::string(bytes_.substr(offset_ - size, size));
  }
  // A count of items that each take at least `min_item_size` bytes; rejects counts the
  // remaining bytes cannot hold, so a corrupt count never drives a huge allocation.
  uint32_t count(size_t min_item_size) {
    uint32_t value = u32();
    if (!failed_ && static_cast<uint64_t>(value) * min_item_size > remaining()) {
      fail("a count of " + std::to_string(value) + " items exceeds the data that follows");
      return 0;
    }
    return failed_ ? 0 : value;
  }

  void fail(std::string message) {
    if (!failed_) error_ = std::move(message) + " (at byte " + std::to_string(offset_) + ")";
    failed_ = true;
  }
  bool failed() const { return failed_; }
  const std::string& error() const { return error_; }
  size_t remaining() const { return bytes_.size() - offset_; }

 private:
  bool take(size_t size) {
    if (failed_) return false;
    if (size > remaining()) {
      fail("unexpected end of data");
      return false;
    }
    offset_ += size;
    return true;
  }
  uint64_t fixed(int width) {
    if (!take(static_cast<size_t>(width))) return 0;
    uint64_t value = 0;
    for (int index = 0; index < width; ++index) {
      value |= static_cast<uint64_t>(static_cast<uint8_t>(bytes_[offset_ - width + index])) << (8 * index);
    }
    return value;
  }

  std::string_view bytes_;
  size_t offset_ = 0;
  bool failed_ = false;
  std::string error_;
};

}  // namespace weftkit::policy
