// Constant folding in PostgreSQL's order.
#include "compiler/ir/constant_folding.h"

#include "compiler/ir/node_semantics.h"
#include "compiler/values/operations.h"
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


Expr fold(Expr expr);

// A constant seen by a cross-type operator: still a constant argument for folding the operator.
bool is_constant_cross_type_operand(const Expr& expr) {
  return expr.kind == ExprKind::kCast && expr.cast_mode == CastMode::kCrossTypeOperand && expr.args[0].is_constant();
}

// AND/OR (simplify_and_arguments / simplify_or_arguments): nested ANDs (ORs) are spliced in
// before anything is folded, then arguments fold in order; a decisive constant ends the walk
// (later arguments are never folded), neutral constants drop out, and a NULL constant is kept
// once, at the end.
Expr fold_logical(Expr expr) {
  const bool is_and = expr.kind == ExprKind::kAnd;
  std::vector<Expr> kept;
  bool saw_null = false;
  std::vector<Expr> pending = std::move(expr.args);
  size_t next = 0;
  while (next < pending.size()) {
    Expr arg = std::move(pending[next++]);
    if (arg.kind == expr.kind) {  // splice a nested AND (OR) in place, unfolded
      pending.insert(pending.begin() + static_cast<std::ptrdiff_t>(next), std::make_move_iterator(arg.args.begin()),
                     std::make_move_iterator(arg.args.end()));
      continue;
    }
    arg = fold(std::move(arg));
    if (arg.kind == expr.kind) {  // folding made one: splice it too
      pending.insert(pending.begin() + static_cast<std::ptrdiff_t>(next), std::make_move_iterator(arg.args.begin()),
                     std::make_move_iterator(arg.args.end()));
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

CompareOp negator(CompareOp op) {
  switch (op) {
    case CompareOp::kEq: return CompareOp::kNe;
    case CompareOp::kNe: return CompareOp::kEq;
    case CompareOp::kLt: return CompareOp::kGe;
    case CompareOp::kGe: return CompareOp::kLt;
    case CompareOp::kGt: return CompareOp::kLe;
    case CompareOp::kLe: return CompareOp::kGt;
  }
  return op;
}

// PostgreSQL's negate_clause: NOT is pushed into what it negates where the result is plain
// (a negator operator, De Morgan over AND/OR, the opposite test), otherwise kept.
Expr negate(Expr arg, const Expr& not_node) {
  switch (arg.kind) {
    case ExprKind::kConstant:
      if (arg.constant.is_null) return arg;  // NOT NULL is still NULL
      return constant(Value::boolean(!arg.constant.integer), not_node);
    case ExprKind::kCompare:
      arg.compare = negator(arg.compare);
      return arg;
    case ExprKind::kInList:
    case ExprKind::kLike:
    case ExprKind::kIsNull:
    case ExprKind::kIsTrue:
    case ExprKind::kIsFalse:
    case ExprKind::kIsUnknown:
      arg.negated = !arg.negated;
      return arg;
    case ExprKind::kAnd:
    case ExprKind::kOr: {
      // De Morgan, without further simplification of the result.
      std::vector<Expr> negated;
      for (Expr& inner : arg.args) negated.push_back(negate(std::move(inner), not_node));
      arg.kind = arg.kind == ExprKind::kAnd ? ExprKind::kOr : ExprKind::kAnd;
      arg.args = std::move(negated);
      return arg;
    }
    case ExprKind::kNot: return std::move(arg.args[0]);
    default: break;
  }
  Expr out = not_node;
  out.args.clear();
  out.args.push_back(std::move(arg));
  return out;
}

Expr fold(Expr expr) {
  switch (expr.kind) {
    case ExprKind::kNot: {
      Expr arg = fold(std::move(expr.args[0]));
      return negate(std::move(arg), expr);
    }
    case ExprKind::kAnd:
    case ExprKind::kOr: return fold_logical(std::move(expr));
    case ExprKind::kCase: return fold_case(std::move(expr));
    case ExprKind::kCoalesce: return fold_coalesce(std::move(expr));
    case ExprKind::kPlanError: raise_sql_error(expr.message);  // reached in folding order
    default: break;
  }
  if (!kind_traits(expr.kind).evaluates_all_args) return expr;
  bool all_constant = true;
  bool any_null = false;
  for (Expr& arg : expr.args) {
    arg = fold(std::move(arg));
    all_constant = all_constant && (arg.is_constant() || is_constant_cross_type_operand(arg));
    any_null = any_null || is_null_constant(arg);
  }
  if (any_null && kind_traits(expr.kind).null_on_null_arg) return constant(Value::null_of(expr.type.id), expr);
  // A cross-type operand stands for no node in PostgreSQL (its operator takes both types), so
  // there is nothing to fold: the constant keeps its own type, as the operator sees it.
  if (expr.kind == ExprKind::kCast && expr.cast_mode == CastMode::kCrossTypeOperand) return expr;
  if (!all_constant || !is_immutable_node(expr)) return expr;
  std::vector<Value> values;
  for (const Expr& arg : expr.args) {
    values.push_back(arg.is_constant() ? arg.constant : cast_value(arg.args[0].constant, arg.type, arg.cast_mode));
  }
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
