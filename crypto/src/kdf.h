// HKDF-SHA256 (RFC 5869) and HMAC-SHA256 through OpenSSL, as the keyring and the env provider
// use them to derive keys from the master key and to authenticate the keyring file.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace weftkit::crypto::detail {

inline constexpr std::size_t kHmacSha256Size = 32;

// Fills out (at most 255 * 32 bytes); false when OpenSSL refuses (e.g. a longer output).
bool hkdf_sha256(std::span<const std::uint8_t> input_key, std::span<const std::uint8_t> salt,
                 std::span<const std::uint8_t> info, std::span<std::uint8_t> out);

// False only when OpenSSL fails.
bool hmac_sha256(std::span<const std::uint8_t> key, std::span<const std::uint8_t> message,
                 std::span<std::uint8_t, kHmacSha256Size> out);

// Constant-time equality of two byte strings of the same length (false for different lengths).
bool equal_in_constant_time(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b);

}  // namespace weftkit::crypto::detail
