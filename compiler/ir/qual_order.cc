// Cost and leakproofness of expressions, with PostgreSQL's per-function facts (pg_proc.procost
// is 1 for every function the dialect uses; proleakproof as listed below).
#include "compiler/ir/qual_order.h"

namespace weftkit::policy {
namespace {

bool temporal(TypeId type) { return type == TypeId::kDate || type == TypeId::kTimestamp || type == TypeId::kTimestamptz; }
bool textual(TypeId type) { return type == TypeId::kText || type == TypeId::kUnknown; }

// A cast our IR makes where PostgreSQL calls a cross-type operator directly (int2 = int8,
// float4 + float8, date < timestamptz): it costs nothing and hides nothing.
bool absorbed_into_operator(const Expr& parent, const Expr& arg) {
  if (arg.kind != ExprKind::kCast || arg.args.empty()) return false;
  if (parent.kind != ExprKind::kCompare && parent.kind != ExprKind::kArithmetic && parent.kind != ExprKind::kInList &&
      parent.kind != ExprKind::kNullIf) {
    return false;
  }
  TypeId from = arg.args[0].type.id;
  TypeId to = arg.type.id;
  if (is_integer_type(from) && is_integer_type(to)) return true;
  if (from == TypeId::kFloat4 && to == TypeId::kFloat8) return true;
  return parent.kind != ExprKind::kArithmetic && temporal(from) && temporal(to);
}

// A cast through the types' text input/output functions (CoerceViaIO) rather than a function.
bool io_cast(const Expr& cast) {
  TypeId from = cast.args[0].type.id;
  TypeId to = cast.type.id;
  if (from == to) return false;
  if (from == TypeId::kBool && to == TypeId::kText) return false;  // text(boolean)
  return textual(from) || textual(to);
}

bool leakproof_cast(const Expr& cast) {
  TypeId from = cast.args[0].type.id;
  TypeId to = cast.type.id;
  if (from == to) return true;  // varchar(n)'s length check
  if (io_cast(cast)) return false;
  auto integer_rank = [](TypeId type) { return type == TypeId::kInt2 ? 0 : type == TypeId::kInt4 ? 1 : 2; };
  if (is_integer_type(from) && is_integer_type(to)) return integer_rank(to) > integer_rank(from);
  if (is_integer_type(from) && (is_float_type(to) || to == TypeId::kNumeric)) return true;
  if (from == TypeId::kFloat4 && to == TypeId::kFloat8) return true;
  if (is_float_type(from) && to == TypeId::kNumeric) return true;
  if ((from == TypeId::kBool && to == TypeId::kInt4) || (from == TypeId::kInt4 && to == TypeId::kBool)) return true;
  return false;
}

// Whether the type's equality/ordering operators are leakproof for same-type operands.
bool leakproof_comparison(TypeId type) { return type != TypeId::kNumeric; }

bool mixes_temporal_types(const Expr& node) {
  for (const Expr& arg : node.args) {
    if (absorbed_into_operator(node, arg) && temporal(arg.type.id)) return true;
  }
  return false;
}

// Whether this node's own function is leakproof (arguments aside).
bool node_function_leakproof(const Expr& node) {
  switch (node.kind) {
    case ExprKind::kCompare:
    case ExprKind::kInList:
    case ExprKind::kNullIf: return leakproof_comparison(node.operand_type) && !mixes_temporal_types(node);
    case ExprKind::kGreatest:
    case ExprKind::kLeast: return leakproof_comparison(node.type.id);
    case ExprKind::kCast: return leakproof_cast(node);
    default: return false;
  }
}


bool leaks(const Expr& node, const Expr* parent) {
  if (node.kind == ExprKind::kCoalesce || node.kind == ExprKind::kPlanError) return true;  // unknown to the walker
  if (kind_traits(node.kind).calls_function && references_columns(node)) {
    bool absorbed = parent != nullptr && absorbed_into_operator(*parent, node);
    if (!absorbed && !node_function_leakproof(node)) return true;
  }
  for (const Expr& arg : node.args) {
    if (leaks(arg, &node)) return true;
  }
  return false;
}

double cost(const Expr& node, const Expr* parent) {
  double own = 0;
  switch (node.kind) {
    case ExprKind::kCurrentUser:
    case ExprKind::kSessionUser:
    case ExprKind::kSetting:
    case ExprKind::kCompare:
    case ExprKind::kArithmetic:
    case ExprKind::kNegate:
    case ExprKind::kAbs:
    case ExprKind::kConcat:
    case ExprKind::kLower:
    case ExprKind::kUpper:
    case ExprKind::kLength:
    case ExprKind::kNullIf:
    case ExprKind::kGreatest:
    case ExprKind::kLeast: own = 1; break;
    case ExprKind::kLike:
      // like_escape(pattern, escape) stays a call unless both are constants.
      own = node.args.size() > 2 && !(node.args[1].is_constant() && node.args[2].is_constant()) ? 2 : 1;
      break;
    case ExprKind::kCast:
      if (parent != nullptr && absorbed_into_operator(*parent, node)) break;
      own = io_cast(node) ? 2 : 1;
      break;
    case ExprKind::kInList:
      // The operator, times half the array's length.
      own = 0.5 * static_cast<double>(node.args.size() - 1);
      break;
    default: break;
  }
  for (const Expr& arg : node.args) own += cost(arg, &node);
  return own;
}

}  // namespace

double qual_cost(const Expr& expr) { return cost(expr, nullptr); }

bool is_leakproof(const Expr& expr) { return !leaks(expr, nullptr); }

}  // namespace weftkit::policy
