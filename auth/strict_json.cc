// A small recursive-descent JSON reader (RFC 8259) that builds nlohmann values: strict where
// tokens need it (duplicate member names, depth, UTF-8 well-formedness, lone surrogates), and
// quicker than a general parser on the short texts of token headers and claims.
#include "auth/strict_json.h"

#include <charconv>
#include <cstdint>
#include <cstring>

namespace weftkit::auth {
namespace {

// Where the run of plain string bytes from `position` may end: skips whole 8-byte words that
// hold no '"', no '\\', no control character and no byte >= 0x80 (each test below is nonzero
// exactly when some byte of the word matches), so long claims such as padding or embedded
// documents are not looked at a byte at a time. The byte loop after it finds the exact end.
size_t plain_run_end(std::string_view text, size_t position) {
  constexpr uint64_t kOnes = 0x0101010101010101;
  constexpr uint64_t kHighBits = 0x8080808080808080;
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

class StrictJsonReader {
 public:
  explicit StrictJsonReader(std::string_view text) : text_(text) {}

  std::variant<nlohmann::json, std::string> read() {
    nlohmann::json value;
    skip_space();
    if (!read_value(value, 0)) return failure();
    skip_space();
    if (position_ != text_.size()) return failure();
    return value;
  }

 private:
  std::string failure() const { return problem_.empty() ? "not valid JSON (or not valid UTF-8)" : problem_; }
  bool at_end() const { return position_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[position_]; }
  void skip_space() {
    while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) ++position_;
  }
  bool consume(char expected) {
    if (peek() != expected || at_end()) return false;
    ++position_;
    return true;
  }
  bool consume_word(std::string_view word) {
    if (text_.substr(position_, word.size()) != word) return false;
    position_ += word.size();
    return true;
  }

  bool read_value(nlohmann::json& out, int depth) {
    switch (peek()) {
      case '{': return read_object(out, depth);
      case '[': return read_array(out, depth);
      case '"': {
        std::string text;
        if (!read_string(text)) return false;
        out = std::move(text);
        return true;
      }
      case 't': out = true; return consume_word("true");
      case 'f': out = false; return consume_word("false");
      case 'n': out = nullptr; return consume_word("null");
      default: return read_number(out);
    }
  }

  bool too_deep(int depth) {
    if (depth < kMaxJsonDepth) return false;
    problem_ = "nested deeper than " + std::to_string(kMaxJsonDepth);
    return true;
  }

  bool read_object(nlohmann::json& out, int depth) {
    if (too_deep(depth)) return false;
    ++position_;  // '{'
    out = nlohmann::json::object();
    auto& members = out.get_ref<nlohmann::json::object_t&>();
    skip_space();
    if (consume('}')) return true;
    while (true) {
      std::string name;
      if (peek() != '"' || !read_string(name)) return false;
      skip_space();
      if (!consume(':')) return false;
      skip_space();
      nlohmann::json value;
      if (!read_value(value, depth + 1)) return false;
      auto [where, inserted] = members.emplace(std::move(name), std::move(value));
      if (!inserted) {
        problem_ = "duplicate member \"" + where->first + "\"";
        return false;
      }
      skip_space();
      if (consume('}')) return true;
      if (!consume(',')) return false;
      skip_space();
    }
  }

  bool read_array(nlohmann::json& out, int depth) {
    if (too_deep(depth)) return false;
    ++position_;  // '['
    out = nlohmann::json::array();
    auto& elements = out.get_ref<nlohmann::json::array_t&>();
    skip_space();
    if (consume(']')) return true;
    while (true) {
      nlohmann::json value;
      if (!read_value(value, depth + 1)) return false;
      elements.push_back(std::move(value));
      skip_space();
      if (consume(']')) return true;
      if (!consume(',')) return false;
      skip_space();
    }
  }

  static void append_utf8(std::string& out, uint32_t code_point) {
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

  bool read_hex4(uint32_t& value) {
    if (position_ + 4 > text_.size()) return false;
    value = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = text_[position_++];
      value <<= 4;
      if (c >= '0' && c <= '9') value |= static_cast<uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f') value |= static_cast<uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') value |= static_cast<uint32_t>(c - 'A' + 10);
      else return false;
    }
    return true;
  }

  // One well-formed UTF-8 sequence (RFC 3629: no overlong forms, no surrogates, at most
  // U+10FFFF) starting at a byte >= 0x80.
  bool copy_utf8_sequence(std::string& out) {
    const auto lead = static_cast<unsigned char>(text_[position_]);
    size_t length = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) {
      length = 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      if (lead == 0xe0) low = 0xa0;
      if (lead == 0xed) high = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      if (lead == 0xf0) low = 0x90;
      if (lead == 0xf4) high = 0x8f;
    } else {
      return false;
    }
    if (position_ + length > text_.size()) return false;
    for (size_t i = 1; i < length; ++i) {
      const auto next = static_cast<unsigned char>(text_[position_ + i]);
      const unsigned char minimum = i == 1 ? low : 0x80;
      const unsigned char maximum = i == 1 ? high : 0xbf;
      if (next < minimum || next > maximum) return false;
    }
    out.append(text_.substr(position_, length));
    position_ += length;
    return true;
  }

  bool read_string(std::string& out) {
    ++position_;  // '"'
    while (true) {
      // Copy the plain run in one go: most of a token is ASCII without escapes.
      const size_t run_start = position_;
      position_ = plain_run_end(text_, position_);
      while (!at_end()) {
        const auto c = static_cast<unsigned char>(text_[position_]);
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
        ++position_;
      }
      out.append(text_.substr(run_start, position_ - run_start));
      if (at_end()) return false;
      const auto c = static_cast<unsigned char>(text_[position_]);
      if (c == '"') {
        ++position_;
        return true;
      }
      if (c < 0x20) return false;  // control characters must be escaped
      if (c >= 0x80) {
        if (!copy_utf8_sequence(out)) return false;
        continue;
      }
      ++position_;  // '\\'
      if (at_end()) return false;
      const char escape = text_[position_++];
      switch (escape) {
        case '"': out.push_back('"'); break;
        case '\\': out.push_back('\\'); break;
        case '/': out.push_back('/'); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'u': {
          uint32_t unit = 0;
          if (!read_hex4(unit)) return false;
          if (unit >= 0xdc00 && unit <= 0xdfff) return false;  // a low surrogate alone
          if (unit >= 0xd800 && unit <= 0xdbff) {
            uint32_t low_unit = 0;
            if (!consume_word("\\u") || !read_hex4(low_unit) || low_unit < 0xdc00 || low_unit > 0xdfff) return false;
            unit = 0x10000 + ((unit - 0xd800) << 10) + (low_unit - 0xdc00);
          }
          append_utf8(out, unit);
          break;
        }
        default: return false;
      }
    }
  }

  bool read_number(nlohmann::json& out) {
    const size_t start = position_;
    consume('-');
    if (consume('0')) {
    } else if (peek() >= '1' && peek() <= '9') {
      while (peek() >= '0' && peek() <= '9' && !at_end()) ++position_;
    } else {
      return false;
    }
    bool integral = true;
    if (consume('.')) {
      integral = false;
      if (!(peek() >= '0' && peek() <= '9') || at_end()) return false;
      while (peek() >= '0' && peek() <= '9' && !at_end()) ++position_;
    }
    if (peek() == 'e' || peek() == 'E') {
      integral = false;
      ++position_;
      if (peek() == '+' || peek() == '-') ++position_;
      if (!(peek() >= '0' && peek() <= '9') || at_end()) return false;
      while (peek() >= '0' && peek() <= '9' && !at_end()) ++position_;
    }
    const char* first = text_.data() + start;
    const char* last = text_.data() + position_;
    // As nlohmann stores them: non-negative integers unsigned, negative ones signed, the rest
    // (fractions, exponents, integers beyond 64 bits) as double.
    if (integral && *first != '-') {
      uint64_t value = 0;
      if (std::from_chars(first, last, value).ec == std::errc()) {
        out = value;
        return true;
      }
    } else if (integral) {
      int64_t value = 0;
      if (std::from_chars(first, last, value).ec == std::errc()) {
        out = value;
        return true;
      }
    }
    double value = 0;
    auto [end, error] = std::from_chars(first, last, value);
    if (error != std::errc() || end != last) return false;
    out = value;
    return true;
  }

  std::string_view text_;
  size_t position_ = 0;
  std::string problem_;
};

}  // namespace

std::variant<nlohmann::json, std::string> parse_strict_json(std::string_view text) {
  return StrictJsonReader(text).read();
}

}  // namespace weftkit::auth
