// Row-by-row evaluation of a statement plan.
#include "codegen/interp/row_filter.h"

#include "codegen/interp/expr_evaluator.h"
#include "compiler/values/sql_error.h"

namespace weftkit::policy::interp {

const char* row_result_name(RowResult result) {
  switch (result) {
    case RowResult::kPass: return "pass";
    case RowResult::kFiltered: return "filtered";
    case RowResult::kViolation: return "violation";
    case RowResult::kError: return "error";
  }
  return "error";
}

bool RowFilter::passes(const Expr& condition, const std::vector<Value>& row) const {
  return evaluate(condition, row, session_).truth();  // FALSE and NULL do not pass
}

RowFilter::RowFilter(StatementPlan plan, semantics::SessionValues session) : plan_(std::move(plan)), session_(std::move(session)) {
  if (!plan_.filtered_by_row_security) return;
  if (plan_.plan_error) {
    statement_error_ = *plan_.plan_error;
    return;
  }
  // What the planner evaluates happens once per statement, before any row.
  try {
    static const std::vector<Value> kNoRow;
    for (const Expr& probe : plan_.estimation_probes) evaluate(probe, kNoRow, session_);
  } catch (const SqlError& error) {
    statement_error_ = error.what();
  }
}

RowOutcome RowFilter::check(const std::vector<Value>& row, const std::vector<Value>* new_row) const {
  if (!plan_.filtered_by_row_security) return RowOutcome{};
  if (statement_error_) return RowOutcome{RowResult::kError, *statement_error_};
  try {
    for (const Expr& condition : plan_.row_filters) {
      if (!passes(condition, row)) return RowOutcome{RowResult::kFiltered, {}};
    }
    const std::vector<Value>& checked = new_row != nullptr ? *new_row : row;
    for (const NewRowCheck& check : plan_.new_row_checks) {
      for (const Expr& condition : check.conditions) {
        if (!passes(condition, checked)) return RowOutcome{RowResult::kViolation, check.violation_message};
      }
    }
  } catch (const SqlError& error) {
    return RowOutcome{RowResult::kError, error.what()};
  }
  return RowOutcome{};
}

}  // namespace weftkit::policy::interp
