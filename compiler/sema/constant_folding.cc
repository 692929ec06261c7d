// Constant folding in PostgreSQL's order.
#include "compiler/sema/constant_folding.h"

#include "compiler/ir/node_semantics.h"
#include "compiler/values/sql_error.h"

namespace weftkit::policy {
namespace {

Expr constant(Value value, const Expr& like) {
  Expr out;
  out.kind = ExprKind::kConstant;
  out.type = like.type;
  out.where = like.where;
  value.type = like.type.id == TypeId::kUnknown ? value.type : like.type.id;
  out.constant = std::move(value);
  return out;
}

bool is_null_constant(const Expr& expr) { return expr.is_constant() && expr.constant.is_null; }

// Nodes that return NULL whenever an argument is NULL (PostgreSQL's strict functions).
bool returns_null_on_null(ExprKind kind) {
  switch (kind) {
    case ExprKind::kCast:
    case ExprKind::kNot:
    case ExprKind::kCompare:
    case ExprKind::kArithmetic:
    case ExprKind::kNegate:
    case ExprKind::kAbs:
    case ExprKind::kConcat:
    case ExprKind::kLike:
    case ExprKind::kLower:
    case ExprKind::kUpper:
    case ExprKind::kLength: return true;
    default: return false;
  }
}

Expr fold(Expr expr);

// AND/OR: arguments in order; a decisive constant ends the walk (later arguments are never
// folded), neutral constants drop out, a NULL constant is kept once at the end.
Expr fold_logical(Expr expr) {
  const bool is_and = expr.kind == ExprKind::kAnd;
  std::vector<Expr> kept;
  bool saw_null = false;
  std::vector<Expr> pending = std::move(expr.args);
  for (size_t index = 0; index < pending.size(); ++index) {
    Expr arg = fold(std::move(pending[index]));
    if (arg.kind == expr.kind) {  // flatten nested ANDs (ORs)
      for (Expr& inner : arg.args) kept.push_back(std::move(inner));
      continue;
    }
    if (arg.is_constant()) {
      if (arg.constant.is_null) {
        saw_null = true;
        continue;
      }
      if (static_cast<bool>(arg.constant.integer) != is_and) return constant(Value::boolean(!is_and), expr);
      continue;
    }
    kept.push_back(std::move(arg));
  }
  if (kept.empty()) return constant(saw_null ? Value::null_of(TypeId::kBool) : Value::boolean(is_and), expr);
  if (saw_null) kept.push_back(constant(Value::null_of(TypeId::kBool), expr));
  if (kept.size() == 1) return std::move(kept[0]);
  expr.args = std::move(kept);
  return expr;
}

// CASE: a WHEN that folds to FALSE/NULL is dropped with its result unfolded; one that folds to
// TRUE becomes the ELSE and ends the walk.
Expr fold_case(Expr expr) {
  size_t pairs = (expr.args.size() - (expr.has_else ? 1 : 0)) / 2;
  std::vector<Expr> kept;
  std::optional<Expr> default_result;
  for (size_t index = 0; index < pairs; ++index) {
    Expr condition = fold(std::move(expr.args[2 * index]));
    if (condition.is_constant() && !condition.constant.truth()) continue;
    Expr result = fold(std::move(expr.args[2 * index + 1]));
    if (condition.is_constant()) {  // constant TRUE
      default_result = std::move(result);
      break;
    }
    kept.push_back(std::move(condition));
    kept.push_back(std::move(result));
  }
  if (!default_result && expr.has_else) default_result = fold(std::move(expr.args.back()));
  if (kept.empty()) {
    if (default_result) return std::move(*default_result);
    return constant(Value::null_of(expr.type.id), expr);
  }
  expr.has_else = default_result.has_value();
  if (default_result) kept.push_back(std::move(*default_result));
  expr.args = std::move(kept);
  return expr;
}

// COALESCE: NULL constants drop out; a non-NULL constant ends the list (later arguments are
// never folded) and is the result when it comes first.
Expr fold_coalesce(Expr expr) {
  std::vector<Expr> kept;
  for (Expr& raw : expr.args) {
    Expr arg = fold(std::move(raw));
    if (is_null_constant(arg)) continue;
    if (arg.is_constant()) {
      if (kept.empty()) return arg;
      kept.push_back(std::move(arg));
      break;
    }
    kept.push_back(std::move(arg));
  }
  if (kept.empty()) return constant(Value::null_of(expr.type.id), expr);
  expr.args = std::move(kept);
  return expr;
}

Expr fold(Expr expr) {
  switch (expr.kind) {
    case ExprKind::kAnd:
    case ExprKind::kOr: return fold_logical(std::move(expr));
    case ExprKind::kCase: return fold_case(std::move(expr));
    case ExprKind::kCoalesce: return fold_coalesce(std::move(expr));
    default: break;
  }
  if (!is_strict_node(expr.kind)) return expr;
  bool all_constant = true;
  bool any_null = false;
  for (Expr& arg : expr.args) {
    arg = fold(std::move(arg));
    all_constant = all_constant && arg.is_constant();
    any_null = any_null || is_null_constant(arg);
  }
  if (any_null && returns_null_on_null(expr.kind)) return constant(Value::null_of(expr.type.id), expr);
  if (!all_constant || !is_immutable_node(expr)) return expr;
  std::vector<Value> values;
  for (const Expr& arg : expr.args) values.push_back(arg.constant);
  return constant(apply_node(expr, values), expr);  // SqlError propagates: a plan-time error
}

}  // namespace

Expr fold_constants(Expr expr) {
  SourceLocation where = expr.where;
  try {
    return fold(std::move(expr));
  } catch (const SqlError& error) {
    Expr failed;
    failed.kind = ExprKind::kPlanError;
    failed.type = SqlType{TypeId::kBool};
    failed.where = where;
    failed.message = error.what();
    return failed;
  }
}

}  // namespace weftkit::policy
