// The checking half of token_members.h: a recursive-descent reader over RFC 8259 that keeps
// no values, only where each one is, so a token is read without a map node or string per
// member. Its rules are strict_json.cc's rule for rule (the byte-level ones are shared through
// json_text.h); only the top-level members asked for are remembered.
#include "auth/token_members.h"

#include <array>
#include <charconv>
#include <forward_list>
#include <set>

#include "auth/json_text.h"
#include "auth/strict_json.h"

namespace weftkit::auth {

namespace {

// Name equality with the first byte compared inline: most claim names are three letters long,
// so sizes alone rarely tell them apart, and a library memcmp per pair cost more than the rest
// of the comparison.
bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && (a.empty() || (a[0] == b[0] && a == b));
}

// The member names already seen in one object, to refuse a duplicate. Tokens have a few dozen
// members at most, so a linear look through a small array on the stack is quickest; an object
// with more (only a hostile header or claims) moves to an ordered set, which keeps the cost
// O(log n) per member whatever names an attacker picks.
class MemberNames {
 public:
  // false if `name` was seen before.
  bool insert(std::string_view name) {
    if (!many_) {
      for (size_t i = 0; i < count_; ++i) {
        if (same_name(few_[i], name)) return false;
      }
      if (count_ < few_.size()) {
        few_[count_++] = name;
        return true;
      }
      many_.emplace(few_.begin(), few_.end());
    }
    return many_->insert(name).second;
  }

 private:
  std::array<std::string_view, 24> few_;
  size_t count_ = 0;
  std::optional<std::set<std::string_view>> many_;
};

class TokenMemberReader {
 public:
  TokenMemberReader(std::string_view text, std::span<const std::string_view> names,
                    std::span<std::optional<JsonValueView>> values)
      : text_(text), names_(names), values_(values) {}

  std::variant<JsonTopLevel, std::string> read() {
    for (auto& value : values_) value.reset();
    JsonValueView top;
    skip_space();
    if (!read_value(top, 0)) return failure();
    skip_space();
    if (position_ != text_.size()) return failure();
    return top.kind == JsonKind::kObject ? JsonTopLevel::kObject : JsonTopLevel::kNotAnObject;
  }

 private:
  std::string failure() const { return problem_.empty() ? "not valid JSON (or not valid UTF-8)" : problem_; }
  bool at_end() const { return position_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[position_]; }
  bool is_digit() const { return !at_end() && text_[position_] >= '0' && text_[position_] <= '9'; }
  void skip_space() {
    while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) ++position_;
  }
  bool consume(char expected) {
    if (at_end() || peek() != expected) return false;
    ++position_;
    return true;
  }
  bool consume_word(std::string_view word) {
    if (text_.substr(position_, word.size()) != word) return false;
    position_ += word.size();
    return true;
  }

  bool read_value(JsonValueView& out, int depth) {
    const size_t start = position_;
    bool read = false;
    switch (peek()) {
      case '{': out.kind = JsonKind::kObject; read = read_object(depth); break;
      case '[': out.kind = JsonKind::kArray; read = read_array(depth); break;
      case '"': {
        bool escaped = false;
        out.kind = JsonKind::kString;
        read = read_string(escaped);
        break;
      }
      case 't': out.kind = JsonKind::kBoolean; read = consume_word("true"); break;
      case 'f': out.kind = JsonKind::kBoolean; read = consume_word("false"); break;
      case 'n': out.kind = JsonKind::kNull; read = consume_word("null"); break;
      default: out.kind = JsonKind::kNumber; read = read_number(); break;
    }
    out.text = text_.substr(start, position_ - start);
    return read;
  }

  bool too_deep(int depth) {
    if (depth < kMaxJsonDepth) return false;
    problem_ = "nested deeper than " + std::to_string(kMaxJsonDepth);
    return true;
  }

  bool read_object(int depth) {
    if (too_deep(depth)) return false;
    ++position_;  // '{'
    MemberNames seen;
    skip_space();
    if (consume('}')) return true;
    while (true) {
      if (peek() != '"') return false;
      const size_t name_start = position_;
      bool escaped = false;
      if (!read_string(escaped)) return false;
      std::string_view name = text_.substr(name_start + 1, position_ - name_start - 2);
      // Names are compared as they decode; only escaped ones need their own copy.
      if (escaped) name = decoded_names_.emplace_front(json_text::decode_checked_string(name));
      skip_space();
      if (!consume(':')) return false;
      skip_space();
      JsonValueView value;
      if (!read_value(value, depth + 1)) return false;
      // After the value, as strict_json.cc does: which refusal a text gets must not differ.
      if (!seen.insert(name)) {
        problem_ = "duplicate member \"" + std::string(name) + "\"";
        return false;
      }
      if (depth == 0) remember(name, value);
      skip_space();
      if (consume('}')) return true;
      if (!consume(',')) return false;
      skip_space();
    }
  }

  void remember(std::string_view name, const JsonValueView& value) {
    for (size_t i = 0; i < names_.size(); ++i) {
      if (same_name(names_[i], name)) values_[i] = value;
    }
  }

  bool read_array(int depth) {
    if (too_deep(depth)) return false;
    ++position_;  // '['
    skip_space();
    if (consume(']')) return true;
    while (true) {
      JsonValueView element;
      if (!read_value(element, depth + 1)) return false;
      skip_space();
      if (consume(']')) return true;
      if (!consume(',')) return false;
      skip_space();
    }
  }

  // Checks one string from its opening quote to past its closing one; `escaped` tells whether
  // it held a backslash (and so means something other than its bytes).
  bool read_string(bool& escaped) {
    ++position_;  // '"'
    while (true) {
      position_ = json_text::plain_run_end(text_, position_);
      while (!at_end()) {
        const auto c = static_cast<unsigned char>(text_[position_]);
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
        ++position_;
      }
      if (at_end()) return false;
      const auto c = static_cast<unsigned char>(text_[position_]);
      if (c == '"') {
        ++position_;
        return true;
      }
      if (c < 0x20) return false;  // control characters must be escaped
      if (c >= 0x80) {
        const size_t length = json_text::utf8_sequence_length(text_, position_);
        if (length == 0) return false;
        position_ += length;
        continue;
      }
      escaped = true;
      ++position_;  // '\\'
      if (at_end()) return false;
      switch (text_[position_++]) {
        case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't': break;
        case 'u': {
          uint32_t unit = 0;
          if (!json_text::read_hex4(text_, position_, unit)) return false;
          if (unit >= 0xdc00 && unit <= 0xdfff) return false;  // a low surrogate alone
          if (unit >= 0xd800 && unit <= 0xdbff) {
            uint32_t low_unit = 0;
            if (!consume_word("\\u") || !json_text::read_hex4(text_, position_, low_unit) || low_unit < 0xdc00 ||
                low_unit > 0xdfff) {
              return false;
            }
          }
          break;
        }
        default: return false;
      }
    }
  }

  // The grammar, then the same conversions strict_json.cc makes, so that a number it refuses
  // (a double out of range, say) is refused here too.
  bool read_number() {
    const size_t start = position_;
    consume('-');
    if (consume('0')) {
    } else if (!at_end() && peek() >= '1' && peek() <= '9') {
      while (is_digit()) ++position_;
    } else {
      return false;
    }
    bool integral = true;
    if (consume('.')) {
      integral = false;
      if (!is_digit()) return false;
      while (is_digit()) ++position_;
    }
    if (!at_end() && (peek() == 'e' || peek() == 'E')) {
      integral = false;
      ++position_;
      if (!at_end() && (peek() == '+' || peek() == '-')) ++position_;
      if (!is_digit()) return false;
      while (is_digit()) ++position_;
    }
    const char* first = text_.data() + start;
    const char* last = text_.data() + position_;
    if (integral && *first != '-') {
      uint64_t value = 0;
      if (std::from_chars(first, last, value).ec == std::errc()) return true;
    } else if (integral) {
      int64_t value = 0;
      if (std::from_chars(first, last, value).ec == std::errc()) return true;
    }
    double value = 0;
    auto [end, error] = std::from_chars(first, last, value);
    return error == std::errc() && end == last;
  }

  std::string_view text_;
  std::span<const std::string_view> names_;
  std::span<std::optional<JsonValueView>> values_;
  size_t position_ = 0;
  std::string problem_;
  // A list: views into earlier names stay valid, and an empty one allocates nothing.
  std::forward_list<std::string> decoded_names_;
};

}  // namespace

std::variant<JsonTopLevel, std::string> read_token_members(std::string_view text, std::span<const std::string_view> names,
                                                           std::span<std::optional<JsonValueView>> values) {
  return TokenMemberReader(text, names, values).read();
}

}  // namespace weftkit::auth
