// A small recursive-descent JSON reader (RFC 8259) that builds nlohmann values: strict where
// tokens need it (duplicate member names, depth, UTF-8 well-formedness, lone surrogates), and
// quicker than a general parser on the short texts of token headers and claims.
#include "auth/strict_json.h"

#include <charconv>
#include <cstdint>

#include "auth/json_text.h"

namespace weftkit::auth {
namespace {

using json_text::append_utf8;
using json_text::plain_run_end;

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

  bool read_hex4(uint32_t& value) { return json_text::read_hex4(text_, position_, value); }

  // One well-formed UTF-8 sequence starting at a byte >= 0x80.
  bool copy_utf8_sequence(std::string& out) {
    const size_t length = json_text::utf8_sequence_length(text_, position_);
    if (length == 0) return false;
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
