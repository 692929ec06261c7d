// Parsing and matching of resource names and scope patterns.
#include "compiler/ir/resource_pattern.h"

#include <array>
#include <cctype>
#include <cstdint>
#include <vector>

namespace weftkit::policy {
namespace {

std::vector<std::string_view> split_dots(std::string_view text) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t dot = text.find('.', start);
    parts.push_back(text.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) return parts;
    start = dot + 1;
  }
}

// Empty when the segment is a usable name part, otherwise why it is not.
std::string_view segment_problem(std::string_view segment) {
  if (segment.empty()) return "has an empty name part";
  for (char c : segment) {
    auto byte = static_cast<unsigned char>(c);
    // Printable ASCII is neither space nor control in every locale; asking libc only about the
    // other bytes keeps per-check lookups by name cheap without changing which names pass.
    bool printable_ascii = byte > 0x20 && byte < 0x7f;
    if (!printable_ascii && (std::isspace(byte) || std::iscntrl(byte))) {
      return "contains white space or a control character";
    }
    if (c == '"') return "contains a double quote; write the name as stored, without SQL quoting";
    if (c == '*') return "uses '*' inside a name; only a whole part may be '*' (\"*\" or \"schema.*\")";
  }
  return {};
}

// Empty when `text` is a resource name, with its parts in `parts`; otherwise why it is not.
// One definition for parse_resource_name and split_resource_name, so they cannot disagree.
std::string_view name_problem(std::string_view text, ResourceNameParts& parts) {
  size_t dot = text.find('.');
  bool qualified = dot != std::string_view::npos;
  std::string_view first = text.substr(0, dot);
  std::string_view second = qualified ? text.substr(dot + 1) : std::string_view();
  if (qualified && second.find('.') != std::string_view::npos) {
    return "has more than two dot-separated parts (expected table or schema.table)";
  }
  for (std::string_view part : {first, second}) {
    if (part == "*") return "is a pattern, not a resource name";
    std::string_view problem = segment_problem(part);
    if (!problem.empty()) return problem;
    if (!qualified) break;
  }
  parts = qualified ? ResourceNameParts{first, second} : ResourceNameParts{kDefaultSchema, first};
  return {};
}

// What split_resource_name's fast pass needs to know of a byte: a name part may hold it as it
// is (0: printable ASCII but '"', '*' and '.'), it separates parts (kDot), or only the exact
// rules above can tell (kOther: white space, controls, quotes, '*', bytes past ASCII, whose
// classes depend on the locale).
constexpr uint8_t kDot = 1;
constexpr uint8_t kOther = 2;
constexpr std::array<uint8_t, 256> kByteKinds = [] {
  std::array<uint8_t, 256> kinds{};
  for (int byte = 0; byte < 256; ++byte) {
    bool plain = byte > 0x20 && byte < 0x7f && byte != '"' && byte != '*' && byte != '.';
    kinds[byte] = byte == '.' ? kDot : plain ? 0 : kOther;
  }
  return kinds;
}();

}  // namespace

ParsedResourceName parse_resource_name(std::string_view text) {
  ResourceNameParts parts;
  std::string_view problem = name_problem(text, parts);
  if (!problem.empty()) return {std::nullopt, std::string(problem)};
  return {ResourceName{std::string(parts.schema), std::string(parts.table)}, {}};
}

std::optional<ResourceNameParts> split_resource_name(std::string_view text) {
  // The usual name is printable ASCII without quotes or '*': one pass of table lookups, with
  // no libc calls or early exits, decides it by the rules name_problem applies. A text with
  // any other byte takes the exact path of parse_resource_name.
  unsigned kinds = 0;
  size_t dots = 0;
  size_t last_dot = 0;
  for (size_t index = 0; index < text.size(); ++index) {
    uint8_t kind = kByteKinds[static_cast<unsigned char>(text[index])];
    kinds |= kind;
    dots += kind & kDot;
    last_dot = kind == kDot ? index : last_dot;
  }
  if ((kinds & kOther) == 0) {
    if (dots == 0) return text.empty() ? std::nullopt : std::optional(ResourceNameParts{kDefaultSchema, text});
    // One dot, so the last is the only one; both parts must be non-empty.
    if (dots > 1 || last_dot == 0 || last_dot == text.size() - 1) return std::nullopt;
    return ResourceNameParts{text.substr(0, last_dot), text.substr(last_dot + 1)};
  }
  ResourceNameParts parts;
  if (!name_problem(text, parts).empty()) return std::nullopt;
  return parts;
}

bool ResourcePattern::matches(const ResourceName& name) const {
  switch (kind) {
    case Kind::kAny: return true;
    case Kind::kWholeSchema: return name.schema == schema;
    case Kind::kExact: return name.schema == schema && name.table == table;
  }
  return false;
}

std::string ResourcePattern::text() const {
  switch (kind) {
    case Kind::kAny: return "*";
    case Kind::kWholeSchema: return schema + ".*";
    case Kind::kExact: return schema + "." + table;
  }
  return "*";
}

ParsedResourcePattern parse_resource_pattern(std::string_view text) {
  if (text == "*") return {ResourcePattern{ResourcePattern::Kind::kAny, {}, {}}, {}};
  std::vector<std::string_view> parts = split_dots(text);
  if (parts.size() > 2) {
    return {std::nullopt, "has more than two dot-separated parts (expected \"*\", \"schema.*\", \"table\" or \"schema.table\")"};
  }
  if (parts.size() == 2 && parts[1] == "*") {
    if (parts[0] == "*") return {std::nullopt, "is \"*.*\"; write \"*\" for every resource"};
    std::string_view problem = segment_problem(parts[0]);
    if (!problem.empty()) return {std::nullopt, std::string(problem)};
    return {ResourcePattern{ResourcePattern::Kind::kWholeSchema, std::string(parts[0]), {}}, {}};
  }
  if (parts.size() == 2 && parts[0] == "*") {
    return {std::nullopt, "uses a wildcard schema; only \"*\" and \"schema.*\" are wildcards"};
  }
  ParsedResourceName name = parse_resource_name(text);
  if (!name.name) return {std::nullopt, name.error};
  return {ResourcePattern{ResourcePattern::Kind::kExact, name.name->schema, name.name->table}, {}};
}

}  // namespace weftkit::policy
