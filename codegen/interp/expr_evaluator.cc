// Expression evaluation, node by node.
#include "codegen/interp/expr_evaluator.h"

#include "compiler/values/operations.h"
#include "compiler/values/sql_error.h"

namespace weftkit::policy::interp {
namespace {

class Evaluator {
 public:
  Evaluator(const std::vector<Value>& row, const SessionValues& session) : row_(row), session_(session) {}

  Value eval(const Expr& expr) {
    switch (expr.kind) {
      case ExprKind::kConstant: return expr.constant;
      case ExprKind::kColumn: return row_.at(expr.column);
      case ExprKind::kCurrentUser: return Value::text_of(session_.current_user);
      case ExprKind::kSessionUser: return Value::text_of(session_.session_user);
      case ExprKind::kSetting: {
        std::optional<std::string> value = session_.find(expr.name);
        if (value) return Value::text_of(*value);
        if (expr.missing_ok) return Value::null_of(TypeId::kText);
        raise_sql_error("unrecognized configuration parameter \"" + expr.name + "\"");
      }
      case ExprKind::kCast: return cast_value(eval(expr.args[0]), expr.type, expr.cast_mode);
      case ExprKind::kAnd: return logical(expr, /*is_and=*/true);
      case ExprKind::kOr: return logical(expr, /*is_and=*/false);
      case ExprKind::kNot: {
        Value value = eval(expr.args[0]);
        return value.is_null ? value : Value::boolean(!value.integer);
      }
      case ExprKind::kIsNull: return Value::boolean(eval(expr.args[0]).is_null != expr.negated);
      case ExprKind::kIsTrue: {
        Value value = eval(expr.args[0]);
        return Value::boolean((!value.is_null && value.integer) != expr.negated);
      }
      case ExprKind::kIsFalse: {
        Value value = eval(expr.args[0]);
        return Value::boolean((!value.is_null && !value.integer) != expr.negated);
      }
      case ExprKind::kIsUnknown: return Value::boolean(eval(expr.args[0]).is_null != expr.negated);
      case ExprKind::kCompare: return compare(expr);
      case ExprKind::kInList: return in_list(expr);
      case ExprKind::kArithmetic: {
        Value left = eval(expr.args[0]);
        Value right = eval(expr.args[1]);
        if (left.is_null || right.is_null) return Value::null_of(expr.type.id);
        return apply_arithmetic(expr.arithmetic, left, right, expr.type.id);
      }
      case ExprKind::kNegate: return strict_unary(expr, negate_value);
      case ExprKind::kAbs: return strict_unary(expr, abs_value);
      case ExprKind::kLower: return strict_unary(expr, lower_text);
      case ExprKind::kUpper: return strict_unary(expr, upper_text);
      case ExprKind::kLength: return strict_unary(expr, text_length);
      case ExprKind::kConcat: {
        Value left = eval(expr.args[0]);
        Value right = eval(expr.args[1]);
        if (left.is_null || right.is_null) return Value::null_of(TypeId::kText);
        return concat_text(left, right);
      }
      case ExprKind::kLike: return like(expr);
      case ExprKind::kCase: return case_when(expr);
      case ExprKind::kCoalesce:
        for (const Expr& arg : expr.args) {
          Value value = eval(arg);
          if (!value.is_null) return value;
        }
        return Value::null_of(expr.type.id);
      case ExprKind::kNullIf: {
        Value left = eval(expr.args[0]);
        Value right = eval(expr.args[1]);
        if (!left.is_null && !right.is_null && compare_values(left, right) == 0) return Value::null_of(expr.type.id);
        return left;
      }
      case ExprKind::kGreatest:
      case ExprKind::kLeast: return extreme(expr);
      case ExprKind::kPlanError: raise_sql_error(expr.message);
    }
    raise_sql_error("internal error: unknown expression kind");
  }

 private:
  // Left to right, stopping at the first decisive value; NULL remembered (three-valued logic).
  Value logical(const Expr& expr, bool is_and) {
    bool saw_null = false;
    for (const Expr& arg : expr.args) {
      Value value = eval(arg);
      if (value.is_null) {
        saw_null = true;
      } else if (static_cast<bool>(value.integer) != is_and) {
        return Value::boolean(!is_and);
      }
    }
    return saw_null ? Value::null_of(TypeId::kBool) : Value::boolean(is_and);
  }

  static bool holds(CompareOp op, int order) {
    switch (op) {
      case CompareOp::kEq: return order == 0;
      case CompareOp::kNe: return order != 0;
      case CompareOp::kLt: return order < 0;
      case CompareOp::kLe: return order <= 0;
      case CompareOp::kGt: return order > 0;
      case CompareOp::kGe: return order >= 0;
    }
    return false;
  }

  Value compare(const Expr& expr) {
    Value left = eval(expr.args[0]);
    Value right = eval(expr.args[1]);
    if (left.is_null || right.is_null) return Value::null_of(TypeId::kBool);
    return Value::boolean(holds(expr.compare, compare_values(left, right)));
  }

  // x = ANY(list) / x <> ALL(list): every element is evaluated first, as PostgreSQL builds the
  // array before comparing.
  Value in_list(const Expr& expr) {
    Value subject = eval(expr.args[0]);
    std::vector<Value> items;
    for (size_t index = 1; index < expr.args.size(); ++index) items.push_back(eval(expr.args[index]));
    if (subject.is_null) return Value::null_of(TypeId::kBool);
    bool saw_null = false;
    for (const Value& item : items) {
      if (item.is_null) {
        saw_null = true;
        continue;
      }
      bool equal = compare_values(subject, item) == 0;
      if (!expr.negated && equal) return Value::boolean(true);
      if (expr.negated && !equal) continue;
      if (expr.negated && equal) return Value::boolean(false);
    }
    if (saw_null) return Value::null_of(TypeId::kBool);
    return Value::boolean(expr.negated);
  }

  Value strict_unary(const Expr& expr, Value (*function)(const Value&)) {
    Value value = eval(expr.args[0]);
    if (value.is_null) return Value::null_of(expr.type.id);
    return function(value);
  }

  Value like(const Expr& expr) {
    Value subject = eval(expr.args[0]);
    Value pattern = eval(expr.args[1]);
    std::optional<Value> escape;
    if (expr.args.size() > 2) escape = eval(expr.args[2]);
    if (subject.is_null || pattern.is_null || (escape && escape->is_null)) return Value::null_of(TypeId::kBool);
    std::optional<std::string> escape_text;
    if (escape) escape_text = escape->text;
    bool matched = like_matches(subject.text, pattern.text, escape_text, expr.case_insensitive);
    return Value::boolean(matched != expr.negated);
  }

  Value case_when(const Expr& expr) {
    size_t pairs = (expr.args.size() - (expr.has_else ? 1 : 0)) / 2;
    for (size_t index = 0; index < pairs; ++index) {
      if (eval(expr.args[2 * index]).truth()) return eval(expr.args[2 * index + 1]);
    }
    if (expr.has_else) return eval(expr.args.back());
    return Value::null_of(expr.type.id);
  }

  Value extreme(const Expr& expr) {
    std::optional<Value> best;
    for (const Expr& arg : expr.args) {
      Value value = eval(arg);
      if (value.is_null) continue;
      int order = best ? compare_values(value, *best) : 0;
      if (!best || (expr.kind == ExprKind::kGreatest ? order > 0 : order < 0)) best = std::move(value);
    }
    return best ? *best : Value::null_of(expr.type.id);
  }

  const std::vector<Value>& row_;
  const SessionValues& session_;
};

}  // namespace

Value evaluate(const Expr& expr, const std::vector<Value>& row, const SessionValues& session) {
  return Evaluator(row, session).eval(expr);
}

}  // namespace weftkit::policy::interp
