// Evaluates WHERE, SET and select-list expressions over one row with PostgreSQL's semantics for
// the subset the parser accepts: three-valued logic, NULL propagation, untyped literals taking
// the type they meet, integer overflow and division by zero as errors.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sql_ast.h"
#include "sql_error.h"

namespace relational {

struct EvaluationScope {
  const std::vector<ColumnDef>* columns = nullptr;  // null: no table (SELECT 1)
  const std::vector<Value>* row = nullptr;          // same order as columns
  std::string_view user;
  // current_setting(name): the session's value, or nullopt when it has none.
  std::function<std::optional<std::string>(std::string_view)> setting;
};

SqlResult<Value> evaluate(const Expression& expression, const EvaluationScope& scope);

// Whether a WHERE clause keeps the row: only TRUE does (FALSE and NULL do not).
SqlResult<bool> is_true(const Expression& expression, const EvaluationScope& scope);

// 42703 for the first column the expression names that `columns` does not have, before any row
// is read (so an empty table reports it too).
SqlStatus check_columns(const Expression& expression, const std::vector<ColumnDef>* columns);

// The index of `name` in `columns`, if any.
std::optional<size_t> column_index(const std::vector<ColumnDef>& columns, std::string_view name);

// The result column's name PostgreSQL shows for an expression without an alias.
std::string output_name(const Expression& expression);

// Orders two non-null values of the same column or expression (for ORDER BY): <0, 0, >0.
int compare_for_sort(const Value& left, const Value& right);

}  // namespace relational
