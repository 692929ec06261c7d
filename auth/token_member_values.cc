// The reading half of token_members.h: what a value the checking reader pointed at means. The
// text was checked already, so these only walk it.
#include <charconv>

#include "auth/json_text.h"
#include "auth/token_members.h"

namespace weftkit::auth {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Past the end of the checked string whose opening quote is at `position`.
size_t string_end(std::string_view text, size_t position) {
  ++position;
  while (text[position] != '"') position += text[position] == '\\' ? 2 : 1;
  return position + 1;
}

// Past the end of the checked value that starts at `position`.
size_t value_end(std::string_view text, size_t position) {
  const char first = text[position];
  if (first == '"') return string_end(text, position);
  if (first == '{' || first == '[') {
    int open = 0;
    do {
      const char c = text[position];
      if (c == '"') {
        position = string_end(text, position);
        continue;
      }
      if (c == '{' || c == '[') ++open;
      if (c == '}' || c == ']') --open;
      ++position;
    } while (open > 0);
    return position;
  }
  // A number or a literal ends at the first character that cannot be part of one.
  while (position < text.size() && !is_space(text[position]) && text[position] != ',' && text[position] != ']' &&
         text[position] != '}') {
    ++position;
  }
  return position;
}

JsonKind kind_of(char first) {
  switch (first) {
    case '{': return JsonKind::kObject;
    case '[': return JsonKind::kArray;
    case '"': return JsonKind::kString;
    case 't': case 'f': return JsonKind::kBoolean;
    case 'n': return JsonKind::kNull;
    default: return JsonKind::kNumber;
  }
}

}  // namespace

std::string_view json_string(const JsonValueView& value, std::string& scratch) {
  const std::string_view inner = value.text.substr(1, value.text.size() - 2);
  if (inner.find('\\') == std::string_view::npos) return inner;
  scratch = json_text::decode_checked_string(inner);
  return scratch;
}

double json_number(const JsonValueView& value) {
  const char* first = value.text.data();
  const char* last = first + value.text.size();
  bool integral = true;
  for (char c : value.text) integral = integral && c != '.' && c != 'e' && c != 'E';
  if (integral) {
    if (*first != '-') {
      uint64_t integer = 0;
      if (std::from_chars(first, last, integer).ec == std::errc()) return static_cast<double>(integer);
    } else {
      int64_t integer = 0;
      if (std::from_chars(first, last, integer).ec == std::errc()) return static_cast<double>(integer);
    }
  }
  double number = 0;
  std::from_chars(first, last, number);
  return number;
}

bool next_json_element(const JsonValueView& array, size_t& cursor, JsonValueView& element) {
  const std::string_view text = array.text;
  if (cursor == 0) cursor = 1;  // past '['
  while (is_space(text[cursor]) || text[cursor] == ',') ++cursor;
  if (text[cursor] == ']') return false;
  const size_t end = value_end(text, cursor);
  element = JsonValueView{kind_of(text[cursor]), text.substr(cursor, end - cursor)};
  cursor = end;
  return true;
}

}  // namespace weftkit::auth
