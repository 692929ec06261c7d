// Arity and reference checks per expression kind.
#include "compiler/ir/expr_validation.h"

namespace weftkit::policy {
namespace {

bool arity_ok(const Expr& expr) {
  const size_t count = expr.args.size();
  switch (expr.kind) {
    case ExprKind::kConstant:
    case ExprKind::kColumn:
    case ExprKind::kCurrentUser:
    case ExprKind::kSessionUser:
    case ExprKind::kSetting:
    case ExprKind::kPlanError: return count == 0;
    case ExprKind::kCast:
    case ExprKind::kNot:
    case ExprKind::kIsNull:
    case ExprKind::kIsTrue:
    case ExprKind::kIsFalse:
    case ExprKind::kIsUnknown:
    case ExprKind::kNegate:
    case ExprKind::kAbs:
    case ExprKind::kLower:
    case ExprKind::kUpper:
    case ExprKind::kLength: return count == 1;
    case ExprKind::kCompare:
    case ExprKind::kArithmetic:
    case ExprKind::kConcat:
    case ExprKind::kNullIf: return count == 2;
    case ExprKind::kLike: return count == 2 || count == 3;
    case ExprKind::kInList: return count >= 2;
    case ExprKind::kAnd:
    case ExprKind::kOr:
    case ExprKind::kCoalesce:
    case ExprKind::kGreatest:
    case ExprKind::kLeast: return count >= 1;
    case ExprKind::kCase: {
      size_t pairs_part = count - (expr.has_else ? 1 : 0);
      return count >= (expr.has_else ? 3u : 2u) && pairs_part % 2 == 0;
    }
  }
  return false;
}

}  // namespace

std::string expr_problem(const Expr& expr, size_t column_count, int depth) {
  if (depth > kMaxExprDepth) return "expression nested deeper than " + std::to_string(kMaxExprDepth);
  if (static_cast<int>(expr.kind) > static_cast<int>(ExprKind::kPlanError)) return "unknown expression kind";
  if (static_cast<int>(expr.type.id) > static_cast<int>(TypeId::kUuid)) return "unknown type";
  if (!arity_ok(expr)) return "expression node with the wrong number of arguments";
  if (expr.kind == ExprKind::kColumn && expr.column >= column_count) return "column reference out of range";
  if (expr.kind == ExprKind::kConstant && !expr.constant.is_null && expr.constant.type != expr.type.id) {
    return "constant whose value does not have the node's type";
  }
  for (const Expr& arg : expr.args) {
    std::string problem = expr_problem(arg, column_count, depth + 1);
    if (!problem.empty()) return problem;
  }
  return {};
}

}  // namespace weftkit::policy
