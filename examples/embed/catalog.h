// The example engine's own catalog: the tables it stores and their column types. An engine owns
// its schema; examples/policies.sql declares the same tables only so that its policies can be
// type-checked, and filter_batch refuses a batch whose columns disagree with that declaration.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace weftkit::embed {

// The SQL types the example stores (those of examples/policies.sql's tables).
enum class ColumnType : uint8_t { kInteger, kBigint, kText, kDate, kTimestamptz };

struct ColumnSchema {
  std::string name;
  ColumnType type = ColumnType::kText;
  int32_t max_length = -1;  // varchar(n): characters; -1 for text
  bool not_null = false;
};

struct TableSchema {
  std::string name;
  std::vector<ColumnSchema> columns;
};

// The Arrow C data interface format the runtime expects for the type (see
// StatementRowFilter::filter_batch): "i", "l", "u", "tdD", "tsu:UTC".
const char* arrow_format(ColumnType type);
// As written in CREATE TABLE: "bigint", "varchar(16)", "timestamptz".
std::string declared_type(const ColumnSchema& column);
// As PostgreSQL names it in messages: "integer", "character varying(16)", "timestamp with time zone".
std::string message_type_name(const ColumnSchema& column);

// orders and audit_log, column for column as examples/policies.sql declares them.
std::vector<TableSchema> example_catalog();

}  // namespace weftkit::embed
