// Decoding of identifier and string tokens (PostgreSQL's scan.l and scansup.c rules).
#include "compiler/sql/token_values.h"

namespace weftkit::policy::sql {

std::string fold_identifier(std::string_view text) {
  std::string folded(text);
  for (char& c : folded) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return folded;
}

std::string unquote_identifier(std::string_view token_text) {
  std::string name;
  // Drop the surrounding quotes; inside, "" stands for one ".
  std::string_view inner = token_text.substr(1, token_text.size() - 2);
  for (size_t i = 0; i < inner.size(); ++i) {
    name += inner[i];
    if (inner[i] == '"') ++i;
  }
  return name;
}

bool truncate_identifier(std::string& name) {
  if (name.size() <= kMaxIdentifierBytes) return false;
  size_t length = kMaxIdentifierBytes;
  // Back up over continuation bytes (10xxxxxx) so that no character is split.
  while (length > 0 && (static_cast<unsigned char>(name[length]) & 0xC0) == 0x80) --length;
  name.resize(length);
  return true;
}

std::string standard_string_value(std::string_view token_text) {
  std::string value;
  bool inside = false;
  for (size_t i = 0; i < token_text.size(); ++i) {
    char c = token_text[i];
    if (inside) {
      if (c != '\'') {
        value += c;
      } else if (i + 1 < token_text.size() && token_text[i + 1] == '\'') {
        value += '\'';
        ++i;
      } else {
        inside = false;
      }
    } else if (c == '\'') {
      inside = true;
    } else if (c == '-' && i + 1 < token_text.size() && token_text[i + 1] == '-') {
      // A comment between two segments; it may hold quotes of its own.
      while (i < token_text.size() && token_text[i] != '\n' && token_text[i] != '\r') ++i;
    }
  }
  return value;
}

std::string dollar_string_value(std::string_view token_text) {
  size_t delimiter_length = token_text.find('$', 1) + 1;
  return std::string(token_text.substr(delimiter_length, token_text.size() - 2 * delimiter_length));
}

}  // namespace weftkit::policy::sql
