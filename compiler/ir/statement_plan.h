// Which policy conditions a statement checks, and in which order: PostgreSQL 15's
// get_row_security_policies, add_security_quals and add_with_check_options, its plan-time
// constant folding across policies, and its ordering of scan conditions — as data. Every back
// end evaluates this plan; none re-derives it.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/row_security.h"

namespace weftkit::policy {

// What the statement does, as far as row-level security cares.
struct StatementShape {
  StatementCommand command = StatementCommand::kSelect;
  // UPDATE/DELETE: the statement reads columns of the table (a WHERE clause that references
  // them, or an expression in SET); PostgreSQL then applies the SELECT policies too.
  bool reads_columns = true;
  bool returning = false;  // a RETURNING clause: SELECT policies apply as well
};

// A new-row check (PostgreSQL's WithCheckOption): every condition must be TRUE, in order, else
// the row violates it.
struct NewRowCheck {
  std::vector<Expr> conditions;
  std::string violation_message;
};

struct StatementPlan {
  bool filtered_by_row_security = false;  // false: RLS disabled for the table, or bypassed
  // Planning the statement raises this error (constant folding met it): every row fails.
  std::optional<std::string> plan_error;
  // Expressions without columns that PostgreSQL's planner evaluates while it estimates the
  // selectivity of the row filters (the constant side of `column < current_setting(...)::int`,
  // say), in that order. They run once per statement before any row; an error fails every row.
  std::vector<Expr> estimation_probes;
  std::vector<Expr> row_filters;            // existing rows, in evaluation order; stop at the first not TRUE
  std::vector<NewRowCheck> new_row_checks;  // new rows, in order
};

// `applies` says whether a policy's TO list matches the principal. `bypass` is true when the
// principal holds a role with bypass_rls.
StatementPlan plan_statement(const TableDefinition& table, const StatementShape& shape,
                             const std::function<bool(const RowPolicy&)>& applies, bool bypass);

}  // namespace weftkit::policy
