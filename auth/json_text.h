// The byte-level rules of JSON text that both token JSON readers share (strict_json.cc builds
// values, token_members.cc only checks and points into the text), so that the two cannot
// disagree about what a string or a UTF-8 sequence is.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace weftkit::auth::json_text {

// Where the run of plain string bytes from `position` may end: skips whole 8-byte words that
// hold no '"', no '\\', no control character and no byte >= 0x80. The caller's byte loop finds
// the exact end.
size_t plain_run_end(std::string_view text, size_t position);

// The length of the well-formed UTF-8 sequence (RFC 3629: no overlong forms, no surrogates,
// at most U+10FFFF) at `position`, whose first byte is >= 0x80; 0 if it is not one.
size_t utf8_sequence_length(std::string_view text, size_t position);

// Four hex digits at `position` (advanced past them); false if there are not four.
bool read_hex4(std::string_view text, size_t& position, uint32_t& value);

void append_utf8(std::string& out, uint32_t code_point);

// What the inside of a string (between its quotes) means, escapes decoded; the text must have
// been checked already (every escape complete, surrogates paired).
std::string decode_checked_string(std::string_view inner);

}  // namespace weftkit::auth::json_text
