// SQL values as the engine stores and computes them, the column types it supports, and their
// conversions: to PostgreSQL's text output, from text input, and to the runtime's Datum layout.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <weftkit/policy_version.h>
#include <weftkit/status.h>

#include "sql_error.h"

namespace relational {

enum class ColumnType : uint8_t { kSmallint, kInteger, kBigint, kText, kBoolean, kDate, kTimestamptz };

struct ColumnDef {
  std::string name;
  ColumnType type = ColumnType::kText;
  int32_t max_length = -1;  // varchar(n); -1: unbounded
  bool not_null = false;
};

// A computed or stored value. Integers, booleans, dates (days since 2000-01-01) and timestamps
// (microseconds since 2000-01-01 UTC) live in `integer`; text in `text`. kUnknown is a quoted
// literal whose type is decided by what it meets, as in PostgreSQL.
struct Value {
  enum class Kind : uint8_t { kNull, kBoolean, kInteger, kText, kUnknown, kDate, kTimestamp };
  Kind kind = Kind::kNull;
  int64_t integer = 0;
  std::string text;

  static Value null() { return {}; }
  static Value boolean(bool b) { return {Kind::kBoolean, b ? 1 : 0, {}}; }
  static Value integer_value(int64_t i) { return {Kind::kInteger, i, {}}; }
  static Value text_value(std::string s) { return {Kind::kText, 0, std::move(s)}; }
  static Value unknown(std::string s) { return {Kind::kUnknown, 0, std::move(s)}; }
  bool is_null() const { return kind == Kind::kNull; }
};

// PostgreSQL's type name and OID for RowDescription.
std::string_view type_name(ColumnType type);
uint32_t type_oid(ColumnType type);
int16_t type_size(ColumnType type);
uint32_t value_type_oid(const Value& value);

// The value converted for storage in a column of `column`'s type (22xxx on a bad value,
// 23502 on NULL into NOT NULL is the caller's check).
SqlResult<Value> coerce_to_column(const Value& value, const ColumnDef& column);
// Text input as PostgreSQL reads it for the type ('42', 't', '2024-01-31').
SqlResult<Value> parse_typed_text(std::string_view text, ColumnType type);

// Text output as PostgreSQL prints it (t/f, ISO dates). Not for NULL.
std::string to_text(const Value& value);

// The Datum the runtime's row filter reads. The Datum points into value.text: keep the value
// alive and unchanged while the Datum is used.
weftkit::Datum to_datum(const Value& value);

}  // namespace relational
