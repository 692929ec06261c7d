// JSON as tokens and key sets must be read: one text, valid UTF-8, no duplicate member names
// (which two parsers could resolve differently), and a bounded nesting depth.
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

namespace weftkit::auth {

inline constexpr int kMaxJsonDepth = 16;

// The value, or why the text was refused ("duplicate member \"alg\"", "nested deeper than 16").
std::variant<nlohmann::json, std::string> parse_strict_json(std::string_view text);

}  // namespace weftkit::auth
