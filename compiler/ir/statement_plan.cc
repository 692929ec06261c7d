// Lowering of a statement on a table to its ordered policy conditions, after PostgreSQL's
// rewrite/rowsecurity.c (which policies), optimizer/util/clauses.c (folding across them) and
// plan/createplan.c (order of scan conditions).
#include "compiler/ir/statement_plan.h"

#include <algorithm>

#include "compiler/ir/canonicalize_qual.h"
#include "compiler/ir/constant_folding.h"
#include "compiler/ir/qual_order.h"

namespace weftkit::policy {
namespace {

struct ApplicablePolicies {
  std::vector<const RowPolicy*> permissive;   // reverse name order
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
  // PostgreSQL builds a table's policy list by prepending each catalog entry read in name order
  // (RelationBuildRowSecurity uses lcons), so permissive policies are OR'ed in reverse name
  // order; restrictive ones are sorted back into name order (sort_policies_by_name).
  std::reverse(result.permissive.begin(), result.permissive.end());
  return result;
}

// A policy list entry before planning: the expressions OR'ed, and the restrictive policy's
// name for a new-row check.
struct Qual {
  std::vector<const Expr*> any_of;  // empty: constant false
  std::string restrictive_policy;
};

// Security quals: restrictive USING clauses one by one, then the permissive USING clauses
// OR'ed; no permissive USING clause at all means a single constant false.
void add_security_quals(const ApplicablePolicies& policies, std::vector<Qual>& quals) {
  Qual permissive;
  for (const RowPolicy* policy : policies.permissive) {
    if (policy->using_expr) permissive.any_of.push_back(&*policy->using_expr);
  }
  if (permissive.any_of.empty()) {
    quals.push_back(Qual{});
    return;
  }
  for (const RowPolicy* policy : policies.restrictive) {
    if (policy->using_expr) quals.push_back(Qual{{&*policy->using_expr}, {}});
  }
  quals.push_back(std::move(permissive));
}

// With-check options: the permissive clauses OR'ed, then each restrictive clause with its
// name. A policy's WITH CHECK falls back to its USING; `force_using` takes USING always (the
// SELECT policies applied to new rows).
void add_with_check_options(const ApplicablePolicies& policies, bool force_using, std::vector<Qual>& quals) {
  auto clause = [&](const RowPolicy* policy) -> const Expr* {
    if (!force_using && policy->check_expr) return &*policy->check_expr;
    return policy->using_expr ? &*policy->using_expr : nullptr;
  };
  Qual permissive;
  for (const RowPolicy* policy : policies.permissive) {
    if (const Expr* expr = clause(policy)) permissive.any_of.push_back(expr);
  }
  if (permissive.any_of.empty()) {
    quals.push_back(Qual{});
    return;
  }
  quals.push_back(std::move(permissive));
  for (const RowPolicy* policy : policies.restrictive) {
    if (const Expr* expr = clause(policy)) quals.push_back(Qual{{expr}, policy->name});
  }
}

// Planning of one qual as PostgreSQL's preprocess_expression does it: constant folding of the
// whole qual (an OR across policies stops at a TRUE member; a plan error met on the way fails
// the statement), canonicalize_qual, then the top-level AND split into separate conditions.
std::vector<Expr> plan_qual(const Qual& qual, std::optional<std::string>& plan_error) {
  Expr false_constant;
  false_constant.type = SqlType{TypeId::kBool};
  false_constant.constant = Value::boolean(false);
  if (qual.any_of.empty()) return {false_constant};
  Expr combined;
  if (qual.any_of.size() == 1) {
    combined = *qual.any_of[0];
  } else {
    combined.kind = ExprKind::kOr;
    combined.type = SqlType{TypeId::kBool};
    combined.where = qual.any_of[0]->where;
    for (const Expr* member : qual.any_of) combined.args.push_back(*member);
  }
  Expr folded = fold_constants(std::move(combined));
  if (folded.kind == ExprKind::kPlanError) {
    if (!plan_error) plan_error = folded.message;
    return {};
  }
  Expr canonical = canonicalize_qual(std::move(folded));
  if (canonical.is_constant() && canonical.constant.truth()) return {};
  if (canonical.kind == ExprKind::kAnd) return std::move(canonical.args);
  std::vector<Expr> conditions;
  conditions.push_back(std::move(canonical));
  return conditions;
}

std::string violation_message(const TableDefinition& table, const std::string& restrictive_policy) {
  if (!restrictive_policy.empty()) {
    return "new row violates row-level security policy \"" + restrictive_policy + "\" for table \"" +
           table.name.table + "\"";
  }
  return "new row violates row-level security policy for table \"" + table.name.table + "\"";
}

// order_qual_clauses: stable insertion sort by (security level, cost); a leakproof condition
// cheaper than ten operator calls counts as level 0.
void order_conditions(std::vector<Expr>& conditions, const std::vector<int>& levels) {
  struct Item {
    Expr condition;
    int level;
    double cost;
  };
  std::vector<Item> items;
  for (size_t index = 0; index < conditions.size(); ++index) {
    double cost = qual_cost(conditions[index]);
    bool leakproof = is_leakproof(conditions[index]);
    // PostgreSQL decides leakproofness only for conditions above level 0.
    int level = levels[index] > 0 && leakproof && cost < 10 ? 0 : levels[index];
    items.push_back(Item{std::move(conditions[index]), level, cost});
  }
  for (size_t i = 1; i < items.size(); ++i) {
    Item moving = std::move(items[i]);
    size_t j = i;
    for (; j > 0; --j) {
      const Item& before = items[j - 1];
      if (moving.level > before.level || (moving.level == before.level && moving.cost >= before.cost)) break;
      items[j] = std::move(items[j - 1]);
    }
    items[j] = std::move(moving);
  }
  conditions.clear();
  for (Item& item : items) conditions.push_back(std::move(item.condition));
}

// The parts of a scan condition that selectivity estimation evaluates (selfuncs.c): for an
// operator with one side reading columns, the other side (get_restriction_variable); for IN,
// every column-free part of both sides (scalararraysel folds them), also when the whole IN
// reads no column: security quals are never pseudoconstant (process_security_barrier_quals
// keeps them at the table), so scalararraysel still runs on them; walking through AND, OR, NOT
// and IS [NOT] TRUE/FALSE as clause_selectivity does. Estimation covers every scan condition,
// the constant false of a command without a permissive policy included, so these errors
// surface under default deny too.
void collect_probes(const Expr& expr, std::vector<Expr>& probes) {
  auto probe_free_parts = [&](const Expr& side, auto&& self) -> void {
    if (side.is_constant()) return;
    if (!references_columns(side)) {
      probes.push_back(side);
      return;
    }
    for (const Expr& arg : side.args) self(arg, self);
  };
  switch (expr.kind) {
    case ExprKind::kAnd:
    case ExprKind::kOr:
    case ExprKind::kNot:
    case ExprKind::kIsTrue:
    case ExprKind::kIsFalse:
      for (const Expr& arg : expr.args) collect_probes(arg, probes);
      return;
    case ExprKind::kCompare:
    case ExprKind::kLike: {
      bool left_reads = references_columns(expr.args[0]);
      bool right_reads = false;
      for (size_t index = 1; index < expr.args.size(); ++index) right_reads = right_reads || references_columns(expr.args[index]);
      if (left_reads && !right_reads) {
        for (size_t index = 1; index < expr.args.size(); ++index) {
          if (!expr.args[index].is_constant()) probes.push_back(expr.args[index]);
        }
      } else if (right_reads && !left_reads && !expr.args[0].is_constant()) {
        probes.push_back(expr.args[0]);
      }
      return;
    }
    case ExprKind::kInList:
      for (const Expr& arg : expr.args) probe_free_parts(arg, probe_free_parts);
      return;
    default: return;
  }
}

// PostgreSQL 15 fails to plan a scan condition `X = X` over an X that reads no column and does
// not fold to a constant (current_setting(...) = current_setting(...)): distribute_qual_to_rels
// gives the equivalence machinery a mergejoinable clause, process_equivalence rejects X = X,
// and the clause, left without a relation to attach to, raises an internal error. It is
// raised while the quals are distributed: after constant folding, before estimation.
bool variable_free_self_equality(const Expr& condition) {
  if (condition.kind != ExprKind::kCompare || condition.compare != CompareOp::kEq || condition.args.size() != 2) return false;
  if (references_columns(condition) || condition.args[0].is_constant()) return false;
  return describe_expr(condition.args[0]) == describe_expr(condition.args[1]);
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
  ApplicablePolicies select;
  if (needs_select && command != StatementCommand::kSelect) select = policies_for(table, StatementCommand::kSelect, applies);

  std::vector<Qual> security_quals;
  if (command != StatementCommand::kInsert) add_security_quals(own, security_quals);
  if ((command == StatementCommand::kUpdate || command == StatementCommand::kDelete) && needs_select) {
    add_security_quals(select, security_quals);
  }
  std::vector<Qual> check_options;
  if (command == StatementCommand::kInsert || command == StatementCommand::kUpdate) {
    add_with_check_options(own, /*force_using=*/false, check_options);
    if (needs_select) add_with_check_options(select, /*force_using=*/true, check_options);
  }

  // The planner folds the new-row checks before the scan conditions.
  for (const Qual& qual : check_options) {
    NewRowCheck check{plan_qual(qual, plan.plan_error), violation_message(table, qual.restrictive_policy)};
    plan.new_row_checks.push_back(std::move(check));
  }
  std::vector<int> levels;
  for (size_t level = 0; level < security_quals.size(); ++level) {
    for (Expr& condition : plan_qual(security_quals[level], plan.plan_error)) {
      plan.row_filters.push_back(std::move(condition));
      levels.push_back(static_cast<int>(level));
    }
  }
  for (const Expr& condition : plan.row_filters) {
    if (!plan.plan_error && variable_free_self_equality(condition)) plan.plan_error = "cannot cope with variable-free clause";
  }
  // Selectivity estimation walks the conditions in their original order, before sorting.
  for (const Expr& condition : plan.row_filters) collect_probes(condition, plan.estimation_probes);
  order_conditions(plan.row_filters, levels);
  return plan;
}

}  // namespace weftkit::policy
