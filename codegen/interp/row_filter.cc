// Statement-level and row-level evaluation of row-level security checks.
#include "codegen/interp/row_filter.h"

#include "codegen/interp/expr_evaluator.h"
#include "compiler/values/sql_error.h"

namespace weftkit::policy::interp {
namespace {

bool is_constant_true(const Expr& expr) { return expr.is_constant() && expr.constant.truth(); }
bool is_constant_not_true(const Expr& expr) { return expr.is_constant() && !expr.constant.truth(); }

// PostgreSQL splits a qual's top-level AND into separate conditions, each of which stops the
// evaluation when it is false or NULL.
void flatten_and(const Expr* expr, std::vector<const Expr*>& out) {
  if (expr->kind == ExprKind::kAnd) {
    for (const Expr& arg : expr->args) flatten_and(&arg, out);
  } else {
    out.push_back(expr);
  }
}

// Constant folding of an OR across policies, as the planner does it: a plan error met first
// fails the statement; a constant TRUE makes the whole OR true and ends the walk.
struct FoldedAnyOf {
  std::optional<std::string> plan_error;
  bool always_true = false;
  std::vector<const Expr*> remaining;  // members that are not constants
  bool always_not_true = false;        // every member was constant FALSE or NULL
};

FoldedAnyOf fold_any_of(const std::vector<const Expr*>& exprs) {
  FoldedAnyOf folded;
  for (const Expr* expr : exprs) {
    if (expr->kind == ExprKind::kPlanError) {
      folded.plan_error = expr->message;
      return folded;
    }
    if (is_constant_true(*expr)) {
      folded.always_true = true;
      return folded;
    }
    if (!is_constant_not_true(*expr)) folded.remaining.push_back(expr);
  }
  folded.always_not_true = folded.remaining.empty();
  return folded;
}

}  // namespace

const char* row_result_name(RowResult result) {
  switch (result) {
    case RowResult::kPass: return "pass";
    case RowResult::kFiltered: return "filtered";
    case RowResult::kViolation: return "violation";
    case RowResult::kError: return "error";
  }
  return "error";
}

RowFilter::RowFilter(const TableDefinition& table, StatementPlan plan, SessionValues session)
    : table_(table), plan_(std::move(plan)), session_(std::move(session)) {
  prepare();
}

void RowFilter::prepare() {
  if (!plan_.filtered_by_row_security) return;
  static const std::vector<Value> kNoRow;
  // 1. Planning: constant folding raises its errors before anything runs. PostgreSQL folds
  //    the new-row checks before the row filters.
  for (const PolicyCheck& check : plan_.new_row_checks) {
    NewRowCheck prepared;
    prepared.violation = violation_message(table_, check);
    if (check.is_default_deny()) {
      prepared.conjuncts.push_back(Conjunct{});  // an empty OR: constant false
    } else if (check.exprs.size() == 1) {
      std::vector<const Expr*> parts;
      flatten_and(check.exprs[0], parts);
      for (const Expr* part : parts) {
        if (part->kind == ExprKind::kPlanError) {
          statement_outcome_ = RowOutcome{RowResult::kError, part->message};
          return;
        }
        prepared.conjuncts.push_back(Conjunct{{part}});
      }
    } else {
      FoldedAnyOf folded = fold_any_of(check.exprs);
      if (folded.plan_error) {
        statement_outcome_ = RowOutcome{RowResult::kError, *folded.plan_error};
        return;
      }
      if (!folded.always_true) prepared.conjuncts.push_back(Conjunct{folded.remaining});
    }
    new_row_checks_.push_back(std::move(prepared));
  }
  std::vector<Conjunct> filters;
  bool gated_false = false;
  for (const PolicyCheck& check : plan_.row_filters) {
    if (check.is_default_deny()) {
      gated_false = true;
      continue;
    }
    if (check.exprs.size() == 1) {
      std::vector<const Expr*> parts;
      flatten_and(check.exprs[0], parts);
      for (const Expr* part : parts) {
        if (part->kind == ExprKind::kPlanError) {
          statement_outcome_ = RowOutcome{RowResult::kError, part->message};
          return;
        }
        if (is_constant_true(*part)) continue;
        if (is_constant_not_true(*part)) gated_false = true;
        filters.push_back(Conjunct{{part}});
      }
      continue;
    }
    FoldedAnyOf folded = fold_any_of(check.exprs);
    if (folded.plan_error) {
      statement_outcome_ = RowOutcome{RowResult::kError, *folded.plan_error};
      return;
    }
    if (folded.always_true) continue;
    if (folded.always_not_true) gated_false = true;
    filters.push_back(Conjunct{folded.remaining});
  }
  // 2. A constant FALSE/NULL condition empties the scan before any other condition runs.
  if (gated_false) {
    statement_outcome_ = RowOutcome{RowResult::kFiltered, {}};
    return;
  }
  // 3. Conditions that read no column are evaluated once, before the scan ("one-time filter").
  for (const Conjunct& conjunct : filters) {
    bool pseudo_constant = true;
    for (const Expr* expr : conjunct.any_of) pseudo_constant = pseudo_constant && !references_columns(*expr);
    if (!pseudo_constant) {
      per_row_filters_.push_back(conjunct);
      continue;
    }
    try {
      if (!conjunct_passes(conjunct, kNoRow)) {
        statement_outcome_ = RowOutcome{RowResult::kFiltered, {}};
        return;
      }
    } catch (const SqlError& error) {
      statement_outcome_ = RowOutcome{RowResult::kError, error.what()};
      return;
    }
  }
}

bool RowFilter::conjunct_passes(const Conjunct& conjunct, const std::vector<Value>& row) {
  // An OR in three-valued logic: TRUE as soon as one member is; otherwise not passing.
  for (const Expr* expr : conjunct.any_of) {
    if (evaluate(*expr, row, session_).truth()) return true;
  }
  return false;
}

RowOutcome RowFilter::check(const std::vector<Value>& row, const std::vector<Value>* new_row) {
  if (!plan_.filtered_by_row_security) return RowOutcome{};
  if (statement_outcome_) return *statement_outcome_;
  try {
    if (!plan_.row_filters.empty()) {
      for (const Conjunct& conjunct : per_row_filters_) {
        if (!conjunct_passes(conjunct, row)) return RowOutcome{RowResult::kFiltered, {}};
      }
    }
    const std::vector<Value>& checked = new_row != nullptr ? *new_row : row;
    for (const NewRowCheck& check : new_row_checks_) {
      for (const Conjunct& conjunct : check.conjuncts) {
        if (!conjunct_passes(conjunct, checked)) return RowOutcome{RowResult::kViolation, check.violation};
      }
    }
  } catch (const SqlError& error) {
    return RowOutcome{RowResult::kError, error.what()};
  }
  return RowOutcome{};
}

}  // namespace weftkit::policy::interp
