// Type names and categories, as PostgreSQL 15 defines them.
#include "compiler/values/sql_type.h"

namespace weftkit::policy {

TypeCategory type_category(TypeId type) {
  switch (type) {
    case TypeId::kUnknown: return TypeCategory::kUnknown;
    case TypeId::kBool: return TypeCategory::kBoolean;
    case TypeId::kInt2:
    case TypeId::kInt4:
    case TypeId::kInt8:
    case TypeId::kFloat4:
    case TypeId::kFloat8:
    case TypeId::kNumeric: return TypeCategory::kNumeric;
    case TypeId::kText: return TypeCategory::kString;
    case TypeId::kDate:
    case TypeId::kTimestamp:
    case TypeId::kTimestamptz: return TypeCategory::kDateTime;
    case TypeId::kUuid: return TypeCategory::kUserDefined;
  }
  return TypeCategory::kUnknown;
}

bool is_preferred_type(TypeId type) {
  return type == TypeId::kFloat8 || type == TypeId::kText || type == TypeId::kTimestamptz || type == TypeId::kBool;
}

bool is_integer_type(TypeId type) { return type == TypeId::kInt2 || type == TypeId::kInt4 || type == TypeId::kInt8; }
bool is_float_type(TypeId type) { return type == TypeId::kFloat4 || type == TypeId::kFloat8; }
bool is_numeric_category(TypeId type) { return type_category(type) == TypeCategory::kNumeric; }

std::string_view type_name(TypeId type) {
  switch (type) {
    case TypeId::kUnknown: return "unknown";
    case TypeId::kBool: return "boolean";
    case TypeId::kInt2: return "smallint";
    case TypeId::kInt4: return "integer";
    case TypeId::kInt8: return "bigint";
    case TypeId::kFloat4: return "real";
    case TypeId::kFloat8: return "double precision";
    case TypeId::kNumeric: return "numeric";
    case TypeId::kText: return "text";
    case TypeId::kDate: return "date";
    case TypeId::kTimestamp: return "timestamp without time zone";
    case TypeId::kTimestamptz: return "timestamp with time zone";
    case TypeId::kUuid: return "uuid";
  }
  return "unknown";
}

std::string type_display_name(const SqlType& type) {
  if (type.id == TypeId::kText && type.max_length >= 0) {
    return "character varying(" + std::to_string(type.max_length) + ")";
  }
  return std::string(type_name(type.id));
}

std::optional<TypeId> type_from_name(std::string_view name) {
  struct Alias {
    std::string_view name;
    TypeId type;
  };
  static constexpr Alias kAliases[] = {
      {"boolean", TypeId::kBool},
      {"bool", TypeId::kBool},
      {"smallint", TypeId::kInt2},
      {"int2", TypeId::kInt2},
      {"integer", TypeId::kInt4},
      {"int", TypeId::kInt4},
      {"int4", TypeId::kInt4},
      {"bigint", TypeId::kInt8},
      {"int8", TypeId::kInt8},
      {"real", TypeId::kFloat4},
      {"float4", TypeId::kFloat4},
      {"double precision", TypeId::kFloat8},
      {"float8", TypeId::kFloat8},
      {"float", TypeId::kFloat8},
      {"numeric", TypeId::kNumeric},
      {"decimal", TypeId::kNumeric},
      {"text", TypeId::kText},
      {"varchar", TypeId::kText},
      {"character varying", TypeId::kText},
      {"date", TypeId::kDate},
      {"timestamp", TypeId::kTimestamp},
      {"timestamp without time zone", TypeId::kTimestamp},
      {"timestamptz", TypeId::kTimestamptz},
      {"timestamp with time zone", TypeId::kTimestamptz},
      {"uuid", TypeId::kUuid},
  };
  for (const Alias& alias : kAliases) {
    if (alias.name == name) return alias.type;
  }
  return std::nullopt;
}

}  // namespace weftkit::policy
