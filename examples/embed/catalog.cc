// The example engine's tables (see catalog.h).
#include "examples/embed/catalog.h"

namespace weftkit::embed {

const char* arrow_format(ColumnType type) {
  switch (type) {
    case ColumnType::kInteger: return "i";
    case ColumnType::kBigint: return "l";
    case ColumnType::kText: return "u";
    case ColumnType::kDate: return "tdD";
    case ColumnType::kTimestamptz: return "tsu:UTC";
  }
  return "";
}

std::string declared_type(const ColumnSchema& column) {
  switch (column.type) {
    case ColumnType::kInteger: return "integer";
    case ColumnType::kBigint: return "bigint";
    case ColumnType::kText:
      return column.max_length < 0 ? "text" : "varchar(" + std::to_string(column.max_length) + ")";
    case ColumnType::kDate: return "date";
    case ColumnType::kTimestamptz: return "timestamptz";
  }
  return "";
}

std::string message_type_name(const ColumnSchema& column) {
  switch (column.type) {
    case ColumnType::kText:
      return column.max_length < 0 ? "text" : "character varying(" + std::to_string(column.max_length) + ")";
    case ColumnType::kTimestamptz: return "timestamp with time zone";
    default: return declared_type(column);
  }
}

std::vector<TableSchema> example_catalog() {
  return {
      {"orders",
       {{"id", ColumnType::kBigint, -1, true},
        {"tenant_id", ColumnType::kText, -1, true},
        {"customer", ColumnType::kText},
        {"amount", ColumnType::kInteger},
        {"status", ColumnType::kText, 16},
        {"created", ColumnType::kDate}}},
      {"audit_log",
       {{"id", ColumnType::kBigint, -1, true},
        {"tenant_id", ColumnType::kText, -1, true},
        {"actor", ColumnType::kText, -1, true},
        {"action", ColumnType::kText},
        {"at", ColumnType::kTimestamptz}}},
  };
}

}  // namespace weftkit::embed
