// Parsing and matching of resource names and scope patterns.
#include "compiler/ir/resource_pattern.h"

#include <cctype>
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
std::string segment_problem(std::string_view segment) {
  if (segment.empty()) return "has an empty name part";
  for (char c : segment) {
    auto byte = static_cast<unsigned char>(c);
    if (std::isspace(byte) || std::iscntrl(byte)) return "contains white space or a control character";
    if (c == '"') return "contains a double quote; write the name as stored, without SQL quoting";
    if (c == '*') return "uses '*' inside a name; only a whole part may be '*' (\"*\" or \"schema.*\")";
  }
  return {};
}

}  // namespace

ParsedResourceName parse_resource_name(std::string_view text) {
  std::vector<std::string_view> parts = split_dots(text);
  if (parts.size() > 2) return {std::nullopt, "has more than two dot-separated parts (expected table or schema.table)"};
  for (std::string_view part : parts) {
    if (part == "*") return {std::nullopt, "is a pattern, not a resource name"};
    std::string problem = segment_problem(part);
    if (!problem.empty()) return {std::nullopt, problem};
  }
  if (parts.size() == 1) return {ResourceName{std::string(kDefaultSchema), std::string(parts[0])}, {}};
  return {ResourceName{std::string(parts[0]), std::string(parts[1])}, {}};
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
    std::string problem = segment_problem(parts[0]);
    if (!problem.empty()) return {std::nullopt, problem};
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
