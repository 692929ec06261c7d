// Expression evaluation, node by node.
#include "codegen/interp/expr_evaluator.h"

#include "compiler/ir/node_semantics.h"
#include "compiler/values/sql_error.h"

namespace weftkit::policy::interp {
namespace {

class Evaluator {
 public:
  Evaluator(const std::vector<Value>& row, const semantics::SessionValues& session) : row_(row), session_(session) {}

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
      case ExprKind::kAnd: return logical(expr, /*is_and=*/true);
      case ExprKind::kOr: return logical(expr, /*is_and=*/false);
      case ExprKind::kCase: return case_when(expr);
      case ExprKind::kCoalesce:
        for (const Expr& arg : expr.args) {
          Value value = eval(arg);
          if (!value.is_null) return value;
        }
        return Value::null_of(expr.type.id);
      case ExprKind::kPlanError: raise_sql_error(expr.message);
      default: break;
    }
    // Every other node evaluates all its arguments, left to right, then applies itself.
    std::vector<Value> args;
    args.reserve(expr.args.size());
    for (const Expr& arg : expr.args) args.push_back(eval(arg));
    return apply_node(expr, args);
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

  Value case_when(const Expr& expr) {
    size_t pairs = (expr.args.size() - (expr.has_else ? 1 : 0)) / 2;
    for (size_t index = 0; index < pairs; ++index) {
      if (eval(expr.args[2 * index]).truth()) return eval(expr.args[2 * index + 1]);
    }
    if (expr.has_else) return eval(expr.args.back());
    return Value::null_of(expr.type.id);
  }

  const std::vector<Value>& row_;
  const semantics::SessionValues& session_;
};

}  // namespace

Value evaluate(const Expr& expr, const std::vector<Value>& row, const semantics::SessionValues& session) {
  return Evaluator(row, session).eval(expr);
}

}  // namespace weftkit::policy::interp
