// A strict base64 decoder (RFC 4648 standard alphabet, '=' padding) for secrets: whitespace is
// skipped (as `base64` wraps lines), anything else outside the alphabet is refused, and the
// decoded bytes go straight into the caller's (locked) buffer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace weftkit::crypto::detail {

struct Base64Decoded {
  bool ok = false;
  std::size_t decoded_size = 0;  // bytes the text holds, even past out's capacity
  std::string problem;           // when !ok: what was wrong, by position, never the text itself
};

// Writes min(decoded_size, out.size()) bytes to out.
Base64Decoded decode_base64(std::string_view text, std::span<std::uint8_t> out);

// Standard alphabet with '=' padding, no line breaks (as the remote providers' JSON APIs take
// it). When bytes are secret the caller wipes the returned string (OPENSSL_cleanse) after use.
std::string encode_base64(std::span<const std::uint8_t> bytes);

}  // namespace weftkit::crypto::detail
