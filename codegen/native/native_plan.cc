// Splitting a plan into generated code and per-statement parameters (see native_plan.h).
#include "codegen/native/native_plan.h"

#include <algorithm>
#include <cstring>
#include <exception>

#include "codegen/interp/expr_evaluator.h"

namespace weftkit::policy::native {
namespace {

bool is_integer(TypeId type) { return type == TypeId::kInt2 || type == TypeId::kInt4 || type == TypeId::kInt8; }
bool is_float(TypeId type) { return type == TypeId::kFloat4 || type == TypeId::kFloat8; }
bool is_timestamp(TypeId type) { return type == TypeId::kTimestamp || type == TypeId::kTimestamptz; }

bool args_of_type(const Expr& node, TypeId type, size_t first = 0) {
  for (size_t index = first; index < node.args.size(); ++index) {
    if (node.args[index].type.id != type) return false;
  }
  return true;
}

bool is_number(TypeId type) { return is_integer(type) || is_float(type) || type == TypeId::kNumeric; }

// NULLIF(a, b) where a keeps its own type and is compared as the operand type (int2 against
// int8, real against double precision, date against timestamp).
bool is_cross_type_null_if(const Expr& node) {
  TypeId left = node.args[0].type.id;
  return node.type.id == left && left != node.operand_type && node.args[1].type.id == node.operand_type &&
         is_native_type(left) && is_inline_cast(left, SqlType{node.operand_type});
}

// Whether the code generator lowers this row-dependent node itself (its arguments are checked
// separately).
bool lowers_node(const Expr& node) {
  switch (node.kind) {
    case ExprKind::kConstant:
    case ExprKind::kColumn: return is_native_type(node.type.id);
    case ExprKind::kAnd:
    case ExprKind::kOr:
    case ExprKind::kNot:
    case ExprKind::kIsNull:
    case ExprKind::kIsTrue:
    case ExprKind::kIsFalse:
    case ExprKind::kIsUnknown: return true;
    case ExprKind::kCompare:
    case ExprKind::kInList: return is_native_type(node.operand_type) && args_of_type(node, node.operand_type);
    case ExprKind::kNullIf:
      if (!is_native_type(node.operand_type)) return false;
      return (args_of_type(node, node.operand_type) && node.type.id == node.operand_type) || is_cross_type_null_if(node);
    case ExprKind::kArithmetic:
      return (is_number(node.type.id) && args_of_type(node, node.type.id)) || is_date_arithmetic(node);
    case ExprKind::kNegate:
    case ExprKind::kAbs: return is_number(node.type.id) && args_of_type(node, node.type.id);
    case ExprKind::kCast: return is_native_type(node.args[0].type.id) && is_native_type(node.type.id);
    case ExprKind::kCase:
    case ExprKind::kCoalesce:
    case ExprKind::kGreatest:
    case ExprKind::kLeast: return is_native_type(node.type.id);
    case ExprKind::kLike:
    case ExprKind::kConcat:
    case ExprKind::kLower:
    case ExprKind::kUpper:
    case ExprKind::kLength: return args_of_type(node, TypeId::kText);
    default: return false;
  }
}

// Whether a column-free subexpression's value depends on the statement's session.
bool depends_on_session(const Expr& node) {
  switch (node.kind) {
    case ExprKind::kCurrentUser:
    case ExprKind::kSessionUser:
    case ExprKind::kSetting:
    case ExprKind::kPlanError: return true;
    default: break;
  }
  for (const Expr& arg : node.args) {
    if (depends_on_session(arg)) return true;
  }
  return false;
}

// The value of a session-independent, column-free subexpression as a constant node, or null
// when evaluating it raises (it then stays a parameter, whose error only rows that reach it
// see, as PostgreSQL would raise it).
std::shared_ptr<const Expr> fold(const Expr& node) {
  try {
    auto constant = std::make_shared<Expr>();
    constant->kind = ExprKind::kConstant;
    constant->type = node.type;
    constant->where = node.where;
    constant->constant = interp::evaluate(node, {}, semantics::SessionValues{});
    return constant;
  } catch (const std::exception&) {
    return nullptr;
  }
}

bool holds_pointer(TypeId type) { return type == TypeId::kText || type == TypeId::kNumeric || type == TypeId::kUuid; }

class Layout {
 public:
  NativePlanLayout result;

  bool new_row = false;  // visiting a new-row check

  void visit(const Expr& node) {
    if (!result.supported) return;
    if (!references_columns(node)) {
      if (node.kind == ExprKind::kConstant && is_native_type(node.type.id)) return;  // an immediate
      if (!is_native_type(node.type.id)) return refuse(node, "a column-free value of type " + std::string(type_name(node.type.id)));
      if (!depends_on_session(node)) {
        if (std::shared_ptr<const Expr> constant = fold(node)) {
          result.immediates.emplace(&node, std::move(constant));
          return;
        }
      }
      // The same text and type is the same value for the whole statement.
      std::string key = expr_identity(node);
      auto [shared, added] = param_by_text_.emplace(key, static_cast<uint32_t>(result.params.size()));
      if (added) result.params.push_back(&node);
      result.param_index.emplace(&node, shared->second);
      return;
    }
    if (!lowers_node(node)) return refuse(node, describe_expr(node));
    if (node.kind == ExprKind::kColumn) {
      auto at = std::lower_bound(result.columns_read.begin(), result.columns_read.end(), node.column);
      if (at == result.columns_read.end() || *at != node.column) result.columns_read.insert(at, node.column);
    }
    if (holds_pointer(node.type.id)) result.row_dependent_text = true;
    if (lowered_by_call(node)) {
      result.row_dependent_text = true;
      if (result.site_index.emplace(&node, static_cast<uint32_t>(result.error_sites.size())).second) {
        result.error_sites.push_back({&node, new_row});
      }
    }
    for (const Expr& arg : node.args) {
      if (holds_pointer(arg.type.id)) result.row_dependent_text = true;
      visit(arg);
    }
  }

 private:
  std::unordered_map<std::string, uint32_t> param_by_text_;

  void refuse(const Expr& node, const std::string& what) {
    result.supported = false;
    result.unsupported_reason = what + " at " + node.where.to_string();
  }
};

}  // namespace

bool is_native_type(TypeId type) {
  switch (type) {
    case TypeId::kBool:
    case TypeId::kInt2:
    case TypeId::kInt4:
    case TypeId::kInt8:
    case TypeId::kFloat4:
    case TypeId::kFloat8:
    case TypeId::kText:
    case TypeId::kDate:
    case TypeId::kTimestamp:
    case TypeId::kTimestamptz:
    case TypeId::kNumeric:
    case TypeId::kUuid: return true;
    default: return false;
  }
}

bool is_inline_cast(TypeId from, const SqlType& to) {
  if (from == to.id) return to.id != TypeId::kText || to.max_length < 0;
  if ((is_integer(from) || is_float(from)) && (is_integer(to.id) || is_float(to.id))) return true;
  if ((from == TypeId::kBool && to.id == TypeId::kInt4) || (from == TypeId::kInt4 && to.id == TypeId::kBool)) return true;
  if (from == TypeId::kDate && is_timestamp(to.id)) return true;
  if (is_timestamp(from) && to.id == TypeId::kDate) return true;
  return is_timestamp(from) && is_timestamp(to.id);
}

bool is_date_arithmetic(const Expr& node) {
  if (node.kind != ExprKind::kArithmetic || node.args.size() != 2) return false;
  TypeId left = node.args[0].type.id;
  TypeId right = node.args[1].type.id;
  if (node.type.id == TypeId::kDate) {
    bool date_and_days = left == TypeId::kDate && right == TypeId::kInt4 &&
                         (node.arithmetic == ArithmeticOp::kAdd || node.arithmetic == ArithmeticOp::kSubtract);
    bool days_and_date = left == TypeId::kInt4 && right == TypeId::kDate && node.arithmetic == ArithmeticOp::kAdd;
    return date_and_days || days_and_date;
  }
  return node.type.id == TypeId::kInt4 && left == TypeId::kDate && right == TypeId::kDate &&
         node.arithmetic == ArithmeticOp::kSubtract;
}

bool lowered_by_call(const Expr& node) {
  switch (node.kind) {
    case ExprKind::kConcat:
    case ExprKind::kLower:
    case ExprKind::kUpper:
    case ExprKind::kLength: return true;
    case ExprKind::kCast: return !is_inline_cast(node.args[0].type.id, node.type);
    case ExprKind::kArithmetic:
    case ExprKind::kNegate:
    case ExprKind::kAbs: return node.type.id == TypeId::kNumeric;
    default: return false;
  }
}

namespace {

// Compact, since statements key their plans with it: the kind and type always, every other
// field only where it is not its default, each behind its own tag letter.
void append_identity(const Expr& expr, std::string& out) {
  auto field = [&out](char tag, int64_t value) {
    out += tag;
    out += std::to_string(value);
  };
  auto text = [&out](char tag, const std::string& value) {
    out += tag;
    out += std::to_string(value.size());
    out += ':';
    out += value;
  };
  out += '(';
  field('k', static_cast<int64_t>(expr.kind));
  field('t', static_cast<int64_t>(expr.type.id));
  if (expr.type.max_length != -1) field('l', expr.type.max_length);
  if (expr.kind == ExprKind::kConstant) {
    // The value's fields exactly: the double's bits, the text's bytes, and for numeric the
    // describe_expr text.
    const Value& value = expr.constant;
    field('v', static_cast<int64_t>(value.type));
    if (value.is_null) {
      out += 'N';
    } else {
      field('i', value.integer);
      uint64_t real_bits;
      std::memcpy(&real_bits, &value.real, sizeof real_bits);
      field('r', static_cast<int64_t>(real_bits));
      text('s', value.text);
      if (value.type == TypeId::kNumeric) text('d', describe_expr(expr));
    }
  }
  if (expr.column != 0) field('c', expr.column);
  if (!expr.name.empty()) text('n', expr.name);
  if (!expr.message.empty()) text('m', expr.message);
  if (expr.missing_ok) out += 'M';
  if (expr.negated) out += '!';
  if (expr.case_insensitive) out += 'I';
  if (expr.has_else) out += 'E';
  if (expr.compare != CompareOp::kEq) field('o', static_cast<int64_t>(expr.compare));
  if (expr.arithmetic != ArithmeticOp::kAdd) field('a', static_cast<int64_t>(expr.arithmetic));
  if (expr.cast_mode != CastMode::kExplicit) field('x', static_cast<int64_t>(expr.cast_mode));
  if (expr.operand_type != TypeId::kUnknown) field('p', static_cast<int64_t>(expr.operand_type));
  for (const Expr& arg : expr.args) append_identity(arg, out);
  out += ')';
}

}  // namespace

std::string expr_identity(const Expr& expr) {
  std::string out;
  append_identity(expr, out);
  return out;
}

std::string plan_key(const std::string& table, const StatementPlan& plan) {
  std::string key = table + "|" + (plan.filtered_by_row_security ? "rls" : "open");
  if (plan.plan_error) key += "|error " + *plan.plan_error;
  for (const Expr& probe : plan.estimation_probes) key += "|probe " + expr_identity(probe);
  for (const Expr& filter : plan.row_filters) key += "|filter " + expr_identity(filter);
  for (const NewRowCheck& check : plan.new_row_checks) {
    key += "|check " + check.violation_message;
    for (const Expr& condition : check.conditions) key += " " + expr_identity(condition);
  }
  return key;
}

NativePlanLayout lay_out_native_plan(const StatementPlan& plan) {
  Layout layout;
  for (const Expr& condition : plan.row_filters) layout.visit(condition);
  layout.new_row = true;
  for (const NewRowCheck& check : plan.new_row_checks) {
    for (const Expr& condition : check.conditions) layout.visit(condition);
  }
  return layout.result;
}

}  // namespace weftkit::policy::native
