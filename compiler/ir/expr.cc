// Expression helpers: column references and the S-expression dump used by tests and --emit.
#include "compiler/ir/expr.h"

namespace weftkit::policy {

bool references_columns(const Expr& expr) {
  if (expr.kind == ExprKind::kColumn) return true;
  for (const Expr& arg : expr.args) {
    if (references_columns(arg)) return true;
  }
  return false;
}

const ExprKindTraits& kind_traits(ExprKind kind) {
  static constexpr ExprKindTraits kNone{false, false, false};
  static constexpr ExprKindTraits kTest{true, false, false};      // IS [NOT] NULL/TRUE/FALSE/UNKNOWN: never NULL
  static constexpr ExprKindTraits kStrictCall{true, true, true};  // operators and strict functions
  static constexpr ExprKindTraits kCall{true, false, true};       // IN, NULLIF, GREATEST, LEAST
  static constexpr ExprKindTraits kSetting{false, false, true};   // current_setting: bound per statement
  static constexpr ExprKindTraits kNot{true, true, false};        // a boolean node, not a function
  switch (kind) {
    case ExprKind::kCast:
    case ExprKind::kCompare:
    case ExprKind::kArithmetic:
    case ExprKind::kNegate:
    case ExprKind::kAbs:
    case ExprKind::kConcat:
    case ExprKind::kLike:
    case ExprKind::kLower:
    case ExprKind::kUpper:
    case ExprKind::kLength: return kStrictCall;
    case ExprKind::kInList:
    case ExprKind::kNullIf:
    case ExprKind::kGreatest:
    case ExprKind::kLeast: return kCall;
    case ExprKind::kIsNull:
    case ExprKind::kIsTrue:
    case ExprKind::kIsFalse:
    case ExprKind::kIsUnknown: return kTest;
    case ExprKind::kNot: return kNot;
    case ExprKind::kSetting: return kSetting;
    default: return kNone;
  }
}

const char* compare_symbol(CompareOp op) {
  switch (op) {
    case CompareOp::kEq: return "=";
    case CompareOp::kNe: return "<>";
    case CompareOp::kLt: return "<";
    case CompareOp::kLe: return "<=";
    case CompareOp::kGt: return ">";
    case CompareOp::kGe: return ">=";
  }
  return "?";
}

const char* arithmetic_symbol(ArithmeticOp op) {
  switch (op) {
    case ArithmeticOp::kAdd: return "+";
    case ArithmeticOp::kSubtract: return "-";
    case ArithmeticOp::kMultiply: return "*";
    case ArithmeticOp::kDivide: return "/";
    case ArithmeticOp::kModulo: return "%";
  }
  return "?";
}

namespace {

std::string head(const Expr& expr) {
  switch (expr.kind) {
    case ExprKind::kConstant: return "const";
    case ExprKind::kColumn: return "column";
    case ExprKind::kCurrentUser: return "current_user";
    case ExprKind::kSessionUser: return "session_user";
    case ExprKind::kSetting: return "current_setting";
    case ExprKind::kCast: return "cast";
    case ExprKind::kAnd: return "and";
    case ExprKind::kOr: return "or";
    case ExprKind::kNot: return "not";
    case ExprKind::kIsNull: return expr.negated ? "is-not-null" : "is-null";
    case ExprKind::kIsTrue: return expr.negated ? "is-not-true" : "is-true";
    case ExprKind::kIsFalse: return expr.negated ? "is-not-false" : "is-false";
    case ExprKind::kIsUnknown: return expr.negated ? "is-not-unknown" : "is-unknown";
    case ExprKind::kCompare: return compare_symbol(expr.compare);
    case ExprKind::kInList: return expr.negated ? "not-in" : "in";
    case ExprKind::kArithmetic: return arithmetic_symbol(expr.arithmetic);
    case ExprKind::kNegate: return "neg";
    case ExprKind::kAbs: return "abs";
    case ExprKind::kConcat: return "||";
    case ExprKind::kLike:
      return std::string(expr.negated ? "not-" : "") + (expr.case_insensitive ? "ilike" : "like");
    case ExprKind::kLower: return "lower";
    case ExprKind::kUpper: return "upper";
    case ExprKind::kLength: return "length";
    case ExprKind::kCase: return "case";
    case ExprKind::kCoalesce: return "coalesce";
    case ExprKind::kNullIf: return "nullif";
    case ExprKind::kGreatest: return "greatest";
    case ExprKind::kLeast: return "least";
    case ExprKind::kPlanError: return "plan-error";
  }
  return "?";
}

}  // namespace

std::string describe_expr(const Expr& expr) {
  switch (expr.kind) {
    case ExprKind::kConstant:
      if (expr.constant.is_null) return "null::" + std::string(type_name(expr.type.id));
      if (expr.type.id == TypeId::kText || expr.type.id == TypeId::kUnknown) {
        return "'" + format_value(expr.constant) + "'";
      }
      return format_value(expr.constant) + "::" + std::string(type_name(expr.type.id));
    case ExprKind::kColumn: return "$" + expr.name;
    case ExprKind::kCurrentUser: return "current_user";
    case ExprKind::kSessionUser: return "session_user";
    case ExprKind::kSetting:
      return "(current_setting '" + expr.name + "'" + (expr.missing_ok ? " missing_ok)" : ")");
    case ExprKind::kPlanError: return "(plan-error \"" + expr.message + "\")";
    default: break;
  }
  std::string out = "(" + head(expr);
  if (expr.kind == ExprKind::kCast) out += " " + type_display_name(expr.type);
  for (const Expr& arg : expr.args) out += " " + describe_expr(arg);
  return out + ")";
}

}  // namespace weftkit::policy
