// Lowering of a statement on a table to its ordered policy checks, after PostgreSQL's
// rewrite/rowsecurity.c.
#include "compiler/ir/statement_plan.h"

namespace weftkit::policy {
namespace {

struct ApplicablePolicies {
  std::vector<const RowPolicy*> permissive;   // name order
  std::vector<const RowPolicy*> restrictive;  // name order
};

bool command_matches(PolicyCommand policy, StatementCommand statement) {
  switch (policy) {
    case PolicyCommand::kAll: return true;
    case PolicyCommand::kSelect: return statement == StatementCommand::kSelect;
    case PolicyCommand::kInsert: return statement == StatementCommand::kInsert;
    case PolicyCommand::kUpdate: return statement == StatementCommand::kUpdate;
    case PolicyCommand::kDelete: return statement == StatementCommand::kDelete;
  }
  return false;
}

ApplicablePolicies policies_for(const TableDefinition& table, StatementCommand command,
                                const std::function<bool(const RowPolicy&)>& applies) {
  ApplicablePolicies result;
  for (const RowPolicy& policy : table.policies) {  // already in name order
    if (!command_matches(policy.command, command) || !applies(policy)) continue;
    (policy.permissive ? result.permissive : result.restrictive).push_back(&policy);
  }
  return result;
}

// Security quals: restrictive USING clauses one by one, then the permissive USING clauses
// OR'ed; no permissive USING clause at all means a single constant false.
void add_row_filters(const ApplicablePolicies& policies, std::vector<PolicyCheck>& checks) {
  PolicyCheck permissive;
  for (const RowPolicy* policy : policies.permissive) {
    if (!policy->using_expr) continue;
    permissive.exprs.push_back(&*policy->using_expr);
    permissive.policy_names.push_back(policy->name);
  }
  if (permissive.exprs.empty()) {
    checks.push_back(PolicyCheck{});
    return;
  }
  for (const RowPolicy* policy : policies.restrictive) {
    if (!policy->using_expr) continue;
    checks.push_back(PolicyCheck{{&*policy->using_expr}, {policy->name}, {}});
  }
  checks.push_back(std::move(permissive));
}

// With-check options: the permissive clauses OR'ed, then each restrictive clause with its
// name. A policy's WITH CHECK falls back to its USING; `force_using` takes USING always (the
// SELECT policies applied to new rows).
void add_new_row_checks(const ApplicablePolicies& policies, bool force_using, std::vector<PolicyCheck>& checks) {
  auto clause = [&](const RowPolicy* policy) -> const Expr* {
    if (!force_using && policy->check_expr) return &*policy->check_expr;
    return policy->using_expr ? &*policy->using_expr : nullptr;
  };
  PolicyCheck permissive;
  for (const RowPolicy* policy : policies.permissive) {
    if (const Expr* expr = clause(policy)) {
      permissive.exprs.push_back(expr);
      permissive.policy_names.push_back(policy->name);
    }
  }
  if (permissive.exprs.empty()) {
    checks.push_back(PolicyCheck{});
    return;
  }
  checks.push_back(std::move(permissive));
  for (const RowPolicy* policy : policies.restrictive) {
    if (const Expr* expr = clause(policy)) checks.push_back(PolicyCheck{{expr}, {policy->name}, policy->name});
  }
}

}  // namespace

StatementPlan plan_statement(const TableDefinition& table, const StatementShape& shape,
                             const std::function<bool(const RowPolicy&)>& applies, bool bypass) {
  StatementPlan plan;
  if (!table.rls_enabled || bypass) return plan;
  plan.filtered_by_row_security = true;
  const StatementCommand command = shape.command;
  // SELECT rights: always for SELECT; for the others when the statement reads columns or
  // returns rows (an INSERT reads nothing unless it returns).
  const bool needs_select = command == StatementCommand::kSelect || shape.returning ||
                            (shape.reads_columns && command != StatementCommand::kInsert);
  ApplicablePolicies own = policies_for(table, command, applies);
  if (command != StatementCommand::kInsert) add_row_filters(own, plan.row_filters);
  ApplicablePolicies select;
  if (needs_select && command != StatementCommand::kSelect) select = policies_for(table, StatementCommand::kSelect, applies);
  if ((command == StatementCommand::kUpdate || command == StatementCommand::kDelete) && needs_select) {
    add_row_filters(select, plan.row_filters);
  }
  if (command == StatementCommand::kInsert || command == StatementCommand::kUpdate) {
    add_new_row_checks(own, /*force_using=*/false, plan.new_row_checks);
    if (needs_select) add_new_row_checks(select, /*force_using=*/true, plan.new_row_checks);
  }
  return plan;
}

std::string violation_message(const TableDefinition& table, const PolicyCheck& check) {
  if (!check.restrictive_policy.empty()) {
    return "new row violates row-level security policy \"" + check.restrictive_policy + "\" for table \"" +
           table.name.table + "\"";
  }
  return "new row violates row-level security policy for table \"" + table.name.table + "\"";
}

}  // namespace weftkit::policy
