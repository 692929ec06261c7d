// The SQL types of the policy language, with PostgreSQL's names and type categories (which
// drive implicit casts and operator resolution).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace weftkit::policy {

// Numbering is part of the bundle format: append, never renumber.
enum class TypeId : uint8_t {
  kUnknown = 0,  // an untyped string literal or NULL, before resolution (PostgreSQL's "unknown")
  kBool,
  kInt2,
  kInt4,
  kInt8,
  kFloat4,
  kFloat8,
  kNumeric,
  kText,
  kDate,
  kTimestamp,
  kTimestamptz,
  kUuid,
};

// A column or cast target: the type plus varchar's length limit (kText with a limit is
// varchar(n); without one, text or unbounded varchar).
struct SqlType {
  TypeId id = TypeId::kUnknown;
  int32_t max_length = -1;  // characters, for varchar(n); -1 for none

  friend bool operator==(const SqlType&, const SqlType&) = default;
};

// PostgreSQL's type categories (pg_type.typcategory).
enum class TypeCategory : uint8_t { kUnknown, kBoolean, kNumeric, kString, kDateTime, kUserDefined };

TypeCategory type_category(TypeId type);
// The preferred type of its category: float8 among numbers, text among strings, timestamptz
// among date/time types.
bool is_preferred_type(TypeId type);
bool is_integer_type(TypeId type);
bool is_float_type(TypeId type);
bool is_numeric_category(TypeId type);

// PostgreSQL's name as it appears in messages: "integer", "double precision", "text", ...
std::string_view type_name(TypeId type);
// The name of a full type: "character varying(10)" for a bounded string.
std::string type_display_name(const SqlType& type);

// Resolves a type name as written after parsing (lower case, e.g. "int4", "double precision",
// "varchar", "timestamp with time zone") to a type; nullopt when unsupported.
std::optional<TypeId> type_from_name(std::string_view name);

}  // namespace weftkit::policy
