// Splits SQL text into tokens: identifiers (unquoted ones folded to lower case), keywords are
// identifiers the parser recognises, string literals ('it''s'), numbers, operators.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sql_error.h"

namespace relational {

struct Token {
  enum class Kind { kIdentifier, kQuotedIdentifier, kString, kNumber, kSymbol, kEnd };
  Kind kind = Kind::kEnd;
  std::string text;  // identifiers folded; strings unescaped; symbols as written ("<=", "::")
  size_t offset = 0;  // in the query text, for error positions
  std::string raw;    // as written, for error messages
};

SqlResult<std::vector<Token>> tokenize(std::string_view sql);

}  // namespace relational
