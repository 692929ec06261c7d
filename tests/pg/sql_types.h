// The PostgreSQL types that generated expressions have, and the resolution rules the
// generator relies on to stay type-correct: the result type of arithmetic on mixed numeric
// types, and the common type of CASE, coalesce, greatest, least and IN lists.
#pragma once

#include <string>

#include "tests/pg/policy_case.h"

namespace weftkit::policy::pgtest {

enum class SqlType { kBool, kInt2, kInt4, kInt8, kNumeric, kFloat4, kFloat8, kText, kDate, kTimestamp, kUuid };

// Types that compare with each other and may be mixed in one expression.
enum class Family { kBool, kNumber, kText, kTemporal, kUuid };

Family family_of(SqlType type);
SqlType column_sql_type(ColumnType type);
bool is_integer(SqlType type);  // int2, int4, int8
bool is_float(SqlType type);    // real, double precision

// The name to cast to: "smallint", "double precision", "timestamp", ...
std::string type_name(SqlType type);

// + - * / on two numbers: integers widen to the wider integer; any float makes double
// precision unless both are real; otherwise numeric. (int4 + real is double precision.)
SqlType arithmetic_result(SqlType left, SqlType right);

// nullif(a, b) has the type of a as coerced for the = operator: integers keep theirs (every
// integer pair has its own =), an integer or numeric against a float or numeric is widened
// like arithmetic; a float keeps its own. (nullif(1, 1.5::real) is double precision.)
SqlType nullif_result(SqlType left, SqlType right);

// select_common_type for numbers and temporal types: the one every other converts to
// implicitly, along int2 < int4 < int8 < numeric < real < double precision and
// date < timestamp. (greatest(1, 1.5::real) is real.)
SqlType common_type(SqlType left, SqlType right);

}  // namespace weftkit::policy::pgtest
