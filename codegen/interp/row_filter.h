// The reference row filter: runs a statement's plan (compiler/ir/statement_plan.h) over rows as
// PostgreSQL 15 executes it and says for each row: pass, filtered, violation or error (with
// PostgreSQL's message).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "codegen/semantics/session.h"
#include "compiler/ir/statement_plan.h"
#include "compiler/values/value.h"

namespace weftkit::policy::interp {

enum class RowResult { kPass, kFiltered, kViolation, kError };

const char* row_result_name(RowResult result);

struct RowOutcome {
  RowResult result = RowResult::kPass;
  std::string message;  // kViolation and kError
};

class RowFilter {
 public:
  // Plans the statement: a plan-time error, or one raised while PostgreSQL's planner would
  // evaluate the plan's estimation probes, becomes the answer for every row.
  RowFilter(StatementPlan plan, semantics::SessionValues session);

  // SELECT and DELETE: the row as stored. INSERT: the new row. UPDATE: old and new rows.
  RowOutcome check(const std::vector<Value>& row, const std::vector<Value>* new_row = nullptr) const;

 private:
  bool passes(const Expr& condition, const std::vector<Value>& row) const;

  StatementPlan plan_;
  semantics::SessionValues session_;
  std::optional<std::string> statement_error_;
};

}  // namespace weftkit::policy::interp
