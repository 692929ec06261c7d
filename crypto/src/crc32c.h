// CRC32C (Castagnoli): the checksum Cloud KMS uses to detect corruption of requests and answers
// in transit. Not a security check (an attacker can recompute it); it catches bit flips between
// this process and the service, which AES-GCM on the service side would only report as an
// undecryptable ciphertext much later.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace weftkit::crypto::detail {

// Reflected polynomial 0x82F63B78, initial value and final XOR 0xFFFFFFFF: crc32c("123456789")
// is 0xE3069283.
std::uint32_t crc32c(std::span<const std::uint8_t> bytes);
std::uint32_t crc32c(std::string_view text);

}  // namespace weftkit::crypto::detail
