// CRC32C, bytewise with a 256-entry table built once at compile time (see crc32c.h). The
// inputs are a few hundred bytes per key-service call, so no hardware instruction is needed.
#include "crypto/src/crc32c.h"

#include <array>

namespace weftkit::crypto::detail {
namespace {

constexpr std::uint32_t kPolynomial = 0x82F63B78u;  // Castagnoli, bit-reflected

constexpr std::array<std::uint32_t, 256> make_table() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t value = i;
    for (int bit = 0; bit < 8; ++bit) value = (value & 1u) ? (value >> 1) ^ kPolynomial : value >> 1;
    table[i] = value;
  }
  return table;
}

constexpr std::array<std::uint32_t, 256> kTable = make_table();

}  // namespace

std::uint32_t crc32c(std::span<const std::uint8_t> bytes) {
  std::uint32_t crc = 0xFFFFFFFFu;
  for (std::uint8_t byte : bytes) crc = kTable[(crc ^ byte) & 0xFFu] ^ (crc >> 8);
  return crc ^ 0xFFFFFFFFu;
}

std::uint32_t crc32c(std::string_view text) {
  return crc32c(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

}  // namespace weftkit::crypto::detail
