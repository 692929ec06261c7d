// The values of name and string tokens, decoded the way PostgreSQL decodes them.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace weftkit::policy::sql {

// PostgreSQL's NAMEDATALEN - 1: longer names are truncated to this many bytes.
inline constexpr size_t kMaxIdentifierBytes = 63;

// An unquoted name or keyword folded to lower case; like PostgreSQL, only ASCII letters fold.
std::string fold_identifier(std::string_view text);

// The name inside a quoted identifier token ("Weird""Name" → Weird"Name).
std::string unquote_identifier(std::string_view token_text);

// Cuts `name` to kMaxIdentifierBytes without splitting a UTF-8 character; returns whether
// it was cut.
bool truncate_identifier(std::string& name);

// The value of a standard string token: the text between the quotes with '' read as ', and
// the segments of a string continued across lines ('a'\n'b') joined.
std::string standard_string_value(std::string_view token_text);

// The value of a dollar-quoted string token ($$...$$ or $tag$...$tag$).
std::string dollar_string_value(std::string_view token_text);

}  // namespace weftkit::policy::sql
