// The escaping rules of json_line.h.
#include "audit/json_line.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif


namespace weftkit::audit {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void append_u_escape(std::string& out, uint32_t code_unit) {
  out += "\\u";
  out.push_back(kHex[(code_unit >> 12) & 0xF]);
  out.push_back(kHex[(code_unit >> 8) & 0xF]);
  out.push_back(kHex[(code_unit >> 4) & 0xF]);
  out.push_back(kHex[code_unit & 0xF]);
}

// Length of the valid UTF-8 sequence starting at `bytes[0]`, or 0 when it is not one
// (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF).
std::size_t valid_utf8_length(std::string_view bytes, uint32_t& code_point) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(bytes[i]); };
  const auto continuation = [&](std::size_t i) { return i < bytes.size() && (byte(i) & 0xC0) == 0x80; };
  const unsigned char lead = byte(0);
  if (lead >= 0xC2 && lead <= 0xDF) {
    if (!continuation(1)) return 0;
    code_point = ((lead & 0x1Fu) << 6) | (byte(1) & 0x3Fu);
    return 2;
  }
  if (lead >= 0xE0 && lead <= 0xEF) {
    if (!continuation(1) || !continuation(2)) return 0;
    code_point = ((lead & 0x0Fu) << 12) | ((byte(1) & 0x3Fu) << 6) | (byte(2) & 0x3Fu);
    if (code_point < 0x800 || (code_point >= 0xD800 && code_point <= 0xDFFF)) return 0;
    return 3;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    if (!continuation(1) || !continuation(2) || !continuation(3)) return 0;
    code_point = ((lead & 0x07u) << 18) | ((byte(1) & 0x3Fu) << 12) | ((byte(2) & 0x3Fu) << 6) | (byte(3) & 0x3Fu);
    if (code_point < 0x10000 || code_point > 0x10FFFF) return 0;
    return 4;
  }
  return 0;
}

// Bytes copied as they are: printable ASCII other than `"` and `\`. A table, because this test
// runs for every byte of every record.
struct PlainBytes {
  bool plain[256] = {};
  constexpr PlainBytes() {
    for (int c = 0x20; c < 0x7F; ++c) plain[c] = c != '"' && c != '\\';
  }
};
constexpr PlainBytes kPlain;

// The end of the run of plain bytes that starts at `begin`. Sixteen bytes at a time with SSE2
// (part of every x86-64 CPU), the table for the rest: the scan was the writer's largest cost.
std::size_t plain_run_end(std::string_view value, std::size_t begin) {
  std::size_t i = begin;
#if defined(__SSE2__)
  const __m128i space = _mm_set1_epi8(0x20);
  const __m128i del = _mm_set1_epi8(0x7F);
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  while (i + 16 <= value.size()) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(value.data() + i));
    // Signed compare: bytes 0x80-0xFF are negative, so "less than 0x20" catches them with the
    // control characters.
    const __m128i special = _mm_or_si128(_mm_or_si128(_mm_cmplt_epi8(bytes, space), _mm_cmpeq_epi8(bytes, del)),
                                         _mm_or_si128(_mm_cmpeq_epi8(bytes, quote), _mm_cmpeq_epi8(bytes, backslash)));
    const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(special));
    if (mask != 0) return i + static_cast<std::size_t>(__builtin_ctz(mask));
    i += 16;
  }
#endif
  while (i < value.size() && kPlain.plain[static_cast<unsigned char>(value[i])]) ++i;
  return i;
}

}  // namespace

void append_json_string(std::string& out, std::string_view value) {
  out.push_back('"');
  append_json_string_body(out, value);
  out.push_back('"');
}

void append_json_string_body(std::string& out, std::string_view value) {
  std::size_t i = 0;
  while (i < value.size()) {
    // Runs of printable ASCII that need no escape are copied at once (most of every record).
    const std::size_t run_end = plain_run_end(value, i);
    if (run_end > i) {
      out.append(value.substr(i, run_end - i));
      i = run_end;
      continue;
    }
    const unsigned char c = static_cast<unsigned char>(value[i]);
    if (c < 0x80) {
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
          if (c < 0x20 || c == 0x7F) {
            append_u_escape(out, c);
          } else {
            out.push_back(static_cast<char>(c));
          }
      }
      ++i;
      continue;
    }
    uint32_t code_point = 0;
    const std::size_t length = valid_utf8_length(value.substr(i), code_point);
    if (length == 0) {
      append_u_escape(out, 0xFFFD);
      ++i;
    } else if (code_point == 0x2028 || code_point == 0x2029) {
      append_u_escape(out, code_point);
      i += length;
    } else {
      out.append(value.substr(i, length));
      i += length;
    }
  }
}

}  // namespace weftkit::audit
