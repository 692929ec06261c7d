// The rules, checked against PostgreSQL 15 (pg_typeof) when they were written down; the
// generator test has PostgreSQL accept thousands of expressions built on them.
#include "tests/pg/sql_types.h"

#include <stdexcept>

namespace weftkit::policy::pgtest {
namespace {

// Position on the implicit-cast chain of a family.
int chain_rank(SqlType type) {
  switch (type) {
    case SqlType::kInt2: return 0;
    case SqlType::kInt4: return 1;
    case SqlType::kInt8: return 2;
    case SqlType::kNumeric: return 3;
    case SqlType::kFloat4: return 4;
    case SqlType::kFloat8: return 5;
    case SqlType::kDate: return 0;
    case SqlType::kTimestamp: return 1;
    default: return 0;
  }
}

}  // namespace

Family family_of(SqlType type) {
  switch (type) {
    case SqlType::kBool: return Family::kBool;
    case SqlType::kText: return Family::kText;
    case SqlType::kDate:
    case SqlType::kTimestamp: return Family::kTemporal;
    case SqlType::kUuid: return Family::kUuid;
    default: return Family::kNumber;
  }
}

SqlType column_sql_type(ColumnType type) {
  switch (type) {
    case ColumnType::kBoolean: return SqlType::kBool;
    case ColumnType::kSmallint: return SqlType::kInt2;
    case ColumnType::kInteger: return SqlType::kInt4;
    case ColumnType::kBigint: return SqlType::kInt8;
    case ColumnType::kReal: return SqlType::kFloat4;
    case ColumnType::kDouble: return SqlType::kFloat8;
    case ColumnType::kText:
    case ColumnType::kVarchar: return SqlType::kText;
    case ColumnType::kDate: return SqlType::kDate;
    case ColumnType::kTimestamp: return SqlType::kTimestamp;
    case ColumnType::kUuid: return SqlType::kUuid;
  }
  return SqlType::kText;
}

bool is_integer(SqlType type) { return type == SqlType::kInt2 || type == SqlType::kInt4 || type == SqlType::kInt8; }
bool is_float(SqlType type) { return type == SqlType::kFloat4 || type == SqlType::kFloat8; }

std::string type_name(SqlType type) {
  switch (type) {
    case SqlType::kBool: return "boolean";
    case SqlType::kInt2: return "smallint";
    case SqlType::kInt4: return "integer";
    case SqlType::kInt8: return "bigint";
    case SqlType::kNumeric: return "numeric";
    case SqlType::kFloat4: return "real";
    case SqlType::kFloat8: return "double precision";
    case SqlType::kText: return "text";
    case SqlType::kDate: return "date";
    case SqlType::kTimestamp: return "timestamp";
    case SqlType::kUuid: return "uuid";
  }
  return "";
}

SqlType arithmetic_result(SqlType left, SqlType right) {
  if (is_integer(left) && is_integer(right)) return chain_rank(left) >= chain_rank(right) ? left : right;
  if (is_float(left) || is_float(right)) {
    return left == SqlType::kFloat4 && right == SqlType::kFloat4 ? SqlType::kFloat4 : SqlType::kFloat8;
  }
  return SqlType::kNumeric;
}

SqlType nullif_result(SqlType left, SqlType right) {
  if (family_of(left) != Family::kNumber || family_of(right) != Family::kNumber) return left;
  if (is_float(left) || (is_integer(left) && is_integer(right))) return left;
  return arithmetic_result(left, right);
}

SqlType common_type(SqlType left, SqlType right) {
  if (family_of(left) != family_of(right)) throw std::logic_error("common_type of different families");
  return chain_rank(left) >= chain_rank(right) ? left : right;
}

}  // namespace weftkit::policy::pgtest
