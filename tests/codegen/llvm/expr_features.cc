// Naming what each node of a predicate exercises (see expr_features.h).
#include "tests/codegen/llvm/expr_features.h"

namespace weftkit::policy::jittest {
namespace {

std::string type_of(const Expr& expr) { return std::string(type_name(expr.type.id)); }

std::string cast_feature(const Expr& cast) {
  if (cast.type.id == TypeId::kText && cast.type.max_length >= 0) {
    // varchar(n): an assignment raises where an explicit cast truncates.
    return "cast " + type_of(cast.args[0]) + " -> varchar" + (cast.cast_mode == CastMode::kAssignment ? " (assignment)" : "");
  }
  std::string name = "cast " + type_of(cast.args[0]) + " -> " + type_of(cast);
  // Only date -> timestamp means something different as a cross-type operand (infinity, not
  // an error, beyond the timestamp range).
  if (cast.args[0].type.id == TypeId::kDate && cast.cast_mode == CastMode::kCrossTypeOperand) {
    name += " (cross-type operand)";
  }
  return name;
}

// The name of a node the generated code computes itself.
std::string lowered_feature(const Expr& expr) {
  switch (expr.kind) {
    case ExprKind::kColumn: return "column " + type_of(expr);
    case ExprKind::kAnd: return "and";
    case ExprKind::kOr: return "or";
    case ExprKind::kNot: return "not";
    case ExprKind::kIsNull: return expr.negated ? "is not null" : "is null";
    case ExprKind::kIsTrue: return expr.negated ? "is not true" : "is true";
    case ExprKind::kIsFalse: return expr.negated ? "is not false" : "is false";
    case ExprKind::kIsUnknown: return expr.negated ? "is not unknown" : "is unknown";
    case ExprKind::kCompare: return std::string("compare ") + compare_symbol(expr.compare) + " " + std::string(type_name(expr.operand_type));
    case ExprKind::kInList: return std::string(expr.negated ? "not in " : "in ") + std::string(type_name(expr.operand_type));
    case ExprKind::kArithmetic:
      if (expr.args[0].type.id == TypeId::kDate || expr.args[1].type.id == TypeId::kDate) {
        return type_of(expr.args[0]) + " " + arithmetic_symbol(expr.arithmetic) + " " + type_of(expr.args[1]);
      }
      return std::string(arithmetic_symbol(expr.arithmetic)) + " " + type_of(expr);
    case ExprKind::kNegate: return "negate " + type_of(expr);
    case ExprKind::kAbs: return "abs " + type_of(expr);
    case ExprKind::kCast: return cast_feature(expr);
    case ExprKind::kCase: return std::string(expr.has_else ? "case with else " : "case without else ") + type_of(expr);
    case ExprKind::kCoalesce: return "coalesce " + type_of(expr);
    case ExprKind::kNullIf:
      return "nullif " + type_of(expr) + (expr.type.id != expr.operand_type ? " (cross-type)" : "");
    case ExprKind::kConcat: return "concat";
    case ExprKind::kLower: return "lower";
    case ExprKind::kUpper: return "upper";
    case ExprKind::kLength: return "length";
    case ExprKind::kGreatest: return "greatest " + type_of(expr);
    case ExprKind::kLeast: return "least " + type_of(expr);
    case ExprKind::kLike:
      return std::string(expr.negated ? "not " : "") + (expr.case_insensitive ? "ilike" : "like") +
             (expr.args.size() > 2 ? " escape" : "");
    default: return "unexpected " + describe_expr(expr);
  }
}

// The name of a column-free node (bound as a parameter, or an immediate constant).
std::string parameter_feature(const Expr& expr) {
  switch (expr.kind) {
    case ExprKind::kConstant: return expr.constant.is_null ? "null constant" : "constant";
    case ExprKind::kSetting: return expr.missing_ok ? "param current_setting missing_ok" : "param current_setting";
    case ExprKind::kCurrentUser: return "param current_user";
    case ExprKind::kSessionUser: return "param session_user";
    case ExprKind::kCast: return "param cast to " + type_of(expr);
    default: return "param other";
  }
}

}  // namespace

void collect_features(const Expr& condition, std::set<std::string>& features) {
  features.insert(references_columns(condition) ? lowered_feature(condition) : parameter_feature(condition));
  for (const Expr& arg : condition.args) collect_features(arg, features);
}

}  // namespace weftkit::policy::jittest
