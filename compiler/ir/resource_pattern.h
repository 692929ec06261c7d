// Resource names and the patterns that scope a role: `*`, `schema.*`, `table`, `schema.table`.
// An unqualified name lives in schema `public`, as PostgreSQL's default search_path has it.
// Names match exactly (case-sensitively), as PostgreSQL stores identifiers.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace weftkit::policy {

inline constexpr std::string_view kDefaultSchema = "public";

// A fully qualified resource: schema and table, both non-empty.
struct ResourceName {
  std::string schema;
  std::string table;

  std::string qualified() const { return schema + "." + table; }
  friend bool operator==(const ResourceName&, const ResourceName&) = default;
};

// Parses "table" or "schema.table"; the error says what is wrong with the name.
struct ParsedResourceName {
  std::optional<ResourceName> name;
  std::string error;
};
ParsedResourceName parse_resource_name(std::string_view text);

// The same parse without allocating, for lookups on every check: the two parts as views into
// `text` (schema kDefaultSchema when unqualified), or nullopt exactly when parse_resource_name
// fails.
struct ResourceNameParts {
  std::string_view schema;
  std::string_view table;
};
std::optional<ResourceNameParts> split_resource_name(std::string_view text);

struct ResourcePattern {
  enum class Kind : uint8_t { kAny, kWholeSchema, kExact };
  Kind kind = Kind::kAny;
  std::string schema;  // for kWholeSchema and kExact
  std::string table;   // for kExact

  bool matches(const ResourceName& name) const;
  // Canonical spelling: "*", "sales.*", "public.orders".
  std::string text() const;
  friend bool operator==(const ResourcePattern&, const ResourcePattern&) = default;
};

struct ParsedResourcePattern {
  std::optional<ResourcePattern> pattern;
  std::string error;
};
ParsedResourcePattern parse_resource_pattern(std::string_view text);

}  // namespace weftkit::policy
