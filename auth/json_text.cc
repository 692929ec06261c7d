#include "auth/json_text.h"

#include <cstring>

namespace weftkit::auth::json_text {

size_t plain_run_end(std::string_view text, size_t position) {
  constexpr uint64_t kOnes = 0x0101010101010101;
  constexpr uint64_t kHighBits = 0x8080808080808080;
  // Nonzero exactly when some byte of the word is zero.
  const auto has_zero_byte = [](uint64_t word) { return (word - kOnes) & ~word & kHighBits; };
  while (position + 8 <= text.size()) {
    uint64_t word = 0;
    std::memcpy(&word, text.data() + position, sizeof word);
    const uint64_t special = has_zero_byte(word ^ (kOnes * '"')) | has_zero_byte(word ^ (kOnes * '\\')) |
                             ((word - kOnes * 0x20) & ~word & kHighBits) | (word & kHighBits);
    if (special != 0) break;
    position += 8;
  }
  return position;
}

size_t utf8_sequence_length(std::string_view text, size_t position) {
  const auto lead = static_cast<unsigned char>(text[position]);
  size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    if (lead == 0xe0) low = 0xa0;   // overlong
    if (lead == 0xed) high = 0x9f;  // surrogates
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    if (lead == 0xf0) low = 0x90;   // overlong
    if (lead == 0xf4) high = 0x8f;  // beyond U+10FFFF
  } else {
    return 0;
  }
  if (position + length > text.size()) return 0;
  for (size_t i = 1; i < length; ++i) {
    const auto next = static_cast<unsigned char>(text[position + i]);
    const unsigned char minimum = i == 1 ? low : 0x80;
    const unsigned char maximum = i == 1 ? high : 0xbf;
    if (next < minimum || next > maximum) return 0;
  }
  return length;
}

bool read_hex4(std::string_view text, size_t& position, uint32_t& value) {
  if (position + 4 > text.size()) return false;
  value = 0;
  for (int i = 0; i < 4; ++i) {
    const char c = text[position++];
    value <<= 4;
    if (c >= '0' && c <= '9') value |= static_cast<uint32_t>(c - '0');
    else if (c >= 'a' && c <= 'f') value |= static_cast<uint32_t>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') value |= static_cast<uint32_t>(c - 'A' + 10);
    else return false;
  }
  return true;
}

void append_utf8(std::string& out, uint32_t code_point) {
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out.push_back(static_cast<char>(0xc0 | (code_point >> 6)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3f)));
  } else if (code_point < 0x10000) {
    out.push_back(static_cast<char>(0xe0 | (code_point >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3f)));
  } else {
    out.push_back(static_cast<char>(0xf0 | (code_point >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3f)));
  }
}

std::string decode_checked_string(std::string_view inner) {
  std::string out;
  out.reserve(inner.size());
  size_t position = 0;
  while (position < inner.size()) {
    const char c = inner[position++];
    if (c != '\\') {
      out.push_back(c);
      continue;
    }
    switch (inner[position++]) {
      case 'b': out.push_back('\b'); break;
      case 'f': out.push_back('\f'); break;
      case 'n': out.push_back('\n'); break;
      case 'r': out.push_back('\r'); break;
      case 't': out.push_back('\t'); break;
      case 'u': {
        uint32_t unit = 0;
        read_hex4(inner, position, unit);
        if (unit >= 0xd800 && unit <= 0xdbff) {
          uint32_t low_unit = 0;
          position += 2;  // "\\u"
          read_hex4(inner, position, low_unit);
          unit = 0x10000 + ((unit - 0xd800) << 10) + (low_unit - 0xdc00);
        }
        append_utf8(out, unit);
        break;
      }
      default: out.push_back(inner[position - 1]); break;  // '"', '\\' and '/' stand for themselves
    }
  }
  return out;
}

}  // namespace weftkit::auth::json_text
