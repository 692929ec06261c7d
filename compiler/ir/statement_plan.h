// Which policy expressions a statement checks, and in which order: PostgreSQL 15's
// get_row_security_policies, add_security_quals and add_with_check_options, as data. Every back
// end evaluates this plan; none re-derives it.
#pragma once

#include <functional>
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

// One check: all `exprs` are OR'ed (a check made of the permissive policies) or there is one
// (a restrictive policy). An empty `exprs` is the default-deny constant false.
struct PolicyCheck {
  std::vector<const Expr*> exprs;
  std::vector<std::string> policy_names;  // parallel to exprs
  // For a new-row check made from one restrictive policy: its name, which PostgreSQL puts in
  // the violation message. Empty for the permissive check and for default deny.
  std::string restrictive_policy;

  bool is_default_deny() const { return exprs.empty(); }
};

struct StatementPlan {
  bool filtered_by_row_security = false;    // false: RLS disabled for the table, or bypassed
  std::vector<PolicyCheck> row_filters;     // existing rows: each must pass, else skipped
  std::vector<PolicyCheck> new_row_checks;  // new rows: each must pass, else "new row violates..."
};

// `applies` says whether a policy's TO list matches the principal. `bypass` is true when the
// principal holds a role with bypass_rls.
StatementPlan plan_statement(const TableDefinition& table, const StatementShape& shape,
                             const std::function<bool(const RowPolicy&)>& applies, bool bypass);

// The violation message PostgreSQL raises for a failed new-row check.
std::string violation_message(const TableDefinition& table, const PolicyCheck& check);

}  // namespace weftkit::policy
