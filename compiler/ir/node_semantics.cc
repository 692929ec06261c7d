// The semantics of strict expression nodes over values.
#include "compiler/ir/node_semantics.h"

#include "compiler/values/operations.h"
#include "compiler/values/sql_error.h"

namespace weftkit::policy {
namespace {

bool holds(CompareOp op, int order) {
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

// x = ANY(list), or x <> ALL(list) when negated.
Value in_list(const Expr& node, const std::vector<Value>& args) {
  if (args[0].is_null) return Value::null_of(TypeId::kBool);
  bool saw_null = false;
  for (size_t index = 1; index < args.size(); ++index) {
    if (args[index].is_null) {
      saw_null = true;
      continue;
    }
    bool equal = compare_values(args[0], args[index]) == 0;
    if (equal) return Value::boolean(!node.negated);
  }
  if (saw_null) return Value::null_of(TypeId::kBool);
  return Value::boolean(node.negated);
}

Value extreme(const Expr& node, const std::vector<Value>& args) {
  const Value* best = nullptr;
  for (const Value& value : args) {
    if (value.is_null) continue;
    if (best == nullptr) {
      best = &value;
      continue;
    }
    int order = compare_values(value, *best);
    if (node.kind == ExprKind::kGreatest ? order > 0 : order < 0) best = &value;
  }
  return best != nullptr ? *best : Value::null_of(node.type.id);
}

bool any_null(const std::vector<Value>& args) {
  for (const Value& value : args) {
    if (value.is_null) return true;
  }
  return false;
}

bool time_zone_dependent(TypeId from, TypeId to) {
  auto textual = [](TypeId type) { return type == TypeId::kText || type == TypeId::kUnknown; };
  auto temporal = [](TypeId type) {
    return type == TypeId::kDate || type == TypeId::kTimestamp || type == TypeId::kTimestamptz;
  };
  if ((textual(from) && temporal(to)) || (temporal(from) && textual(to))) return true;
  return from != to && (from == TypeId::kTimestamptz || to == TypeId::kTimestamptz) && temporal(from) && temporal(to);
}

}  // namespace

Value apply_node(const Expr& node, const std::vector<Value>& args) {
  switch (node.kind) {
    case ExprKind::kCast: return cast_value(args[0], node.type, node.cast_mode);
    case ExprKind::kNot: return args[0].is_null ? args[0] : Value::boolean(!args[0].integer);
    case ExprKind::kIsNull:
    case ExprKind::kIsUnknown: return Value::boolean(args[0].is_null != node.negated);
    case ExprKind::kIsTrue: return Value::boolean(args[0].truth() != node.negated);
    case ExprKind::kIsFalse: return Value::boolean((!args[0].is_null && !args[0].integer) != node.negated);
    case ExprKind::kCompare:
      if (any_null(args)) return Value::null_of(TypeId::kBool);
      return Value::boolean(holds(node.compare, compare_values(args[0], args[1])));
    case ExprKind::kInList: return in_list(node, args);
    case ExprKind::kArithmetic:
      if (any_null(args)) return Value::null_of(node.type.id);
      return apply_arithmetic(node.arithmetic, args[0], args[1], node.type.id);
    case ExprKind::kNegate: return args[0].is_null ? args[0] : negate_value(args[0]);
    case ExprKind::kAbs: return args[0].is_null ? args[0] : abs_value(args[0]);
    case ExprKind::kConcat:
      if (any_null(args)) return Value::null_of(TypeId::kText);
      return concat_text(args[0], args[1]);
    case ExprKind::kLike: {
      if (any_null(args)) return Value::null_of(TypeId::kBool);
      std::optional<std::string> escape;
      if (args.size() > 2) escape = args[2].text;
      return Value::boolean(like_matches(args[0].text, args[1].text, escape, node.case_insensitive) != node.negated);
    }
    case ExprKind::kLower: return args[0].is_null ? args[0] : lower_text(args[0]);
    case ExprKind::kUpper: return args[0].is_null ? args[0] : upper_text(args[0]);
    case ExprKind::kLength: return args[0].is_null ? Value::null_of(TypeId::kInt4) : text_length(args[0]);
    case ExprKind::kNullIf: {
      if (args[0].is_null || args[1].is_null) return args[0];
      // The left argument may keep its own type (a cross-type =): compare in the operand type.
      Value left = args[0].type == node.operand_type
                       ? args[0]
                       : cast_value(args[0], SqlType{node.operand_type}, CastMode::kCrossTypeOperand);
      if (compare_values(left, args[1]) == 0) return Value::null_of(node.type.id);
      return args[0];
    }
    case ExprKind::kGreatest:
    case ExprKind::kLeast: return extreme(node, args);
    default: break;
  }
  raise_sql_error("internal error: apply_node on a control-flow node");
}

bool is_immutable_node(const Expr& node) {
  if (!kind_traits(node.kind).evaluates_all_args) return false;
  if (node.kind == ExprKind::kCast && !node.args.empty()) {
    return !time_zone_dependent(node.args[0].type.id, node.type.id);
  }
  return true;
}

}  // namespace weftkit::policy
