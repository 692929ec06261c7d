// Reading a token's header or claims without building a JSON tree. The whole text is checked
// exactly as parse_strict_json checks it (the same refusals with the same messages: invalid
// JSON or UTF-8, lone surrogates, duplicate member names at any depth, nesting deeper than
// kMaxJsonDepth, anything after the value), and the members of the top-level object that the
// caller names are handed back as views into the text. Nothing is allocated for a token whose
// member names have no escapes and whose objects have few members.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>

namespace weftkit::auth {

enum class JsonKind : uint8_t { kObject, kArray, kString, kNumber, kBoolean, kNull };

// One value of checked JSON text, as written there (a string with its quotes).
struct JsonValueView {
  JsonKind kind = JsonKind::kNull;
  std::string_view text;
};

enum class JsonTopLevel { kObject, kNotAnObject };

// Checks `text`; if it is an object, sets values[i] to the member named names[i] (decoded
// names are compared, so "\u0061lg" is "alg"). `values` must be as long as `names`; on a
// refusal their contents mean nothing. The answer is the refusal, worded as
// parse_strict_json words it, or whether the text was an object.
std::variant<JsonTopLevel, std::string> read_token_members(std::string_view text, std::span<const std::string_view> names,
                                                           std::span<std::optional<JsonValueView>> values);

// What a string value checked by read_token_members means, escapes decoded: a view into the
// text when it has no escapes, else into `scratch`.
std::string_view json_string(const JsonValueView& value, std::string& scratch);

// What a number value checked by read_token_members means, as nlohmann's get<double>() gives
// it (integers that fit 64 bits converted from the integer, the rest read as double).
double json_number(const JsonValueView& value);

// The next element of an array value checked by read_token_members; `cursor` starts at 0 and
// is advanced. false after the last element.
bool next_json_element(const JsonValueView& array, size_t& cursor, JsonValueView& element);

}  // namespace weftkit::auth
