// JSON string escaping for audit records: no value can end the line, close the string or forge
// a member.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace weftkit::audit {

// Appends `value` as a JSON string (quotes included). `"` and `\` are escaped, control
// characters (U+0000-U+001F, U+007F) and the JavaScript line separators U+2028/U+2029 become
// \uXXXX (or \n, \r, \t, \b, \f), and each byte that is not part of valid UTF-8 (overlong
// forms, surrogates, code points above U+10FFFF, cut sequences) becomes \ufffd.
void append_json_string(std::string& out, std::string_view value);
// The same without the quotes, for callers that append them with their neighbours.
void append_json_string_body(std::string& out, std::string_view value);

}  // namespace weftkit::audit
