// Small helpers over the AST: names of operators and commands for messages and printers.
#include "compiler/sql/ast.h"

namespace weftkit::policy::sql {

std::string qualified_name_text(const QualifiedName& name) {
  std::string text;
  for (const Identifier& part : name) text += (text.empty() ? "" : ".") + part.name;
  return text;
}

const char* binary_op_text(BinaryOp op) {
  switch (op) {
    case BinaryOp::kAdd: return "+";
    case BinaryOp::kSubtract: return "-";
    case BinaryOp::kMultiply: return "*";
    case BinaryOp::kDivide: return "/";
    case BinaryOp::kModulo: return "%";
    case BinaryOp::kEqual: return "=";
    case BinaryOp::kNotEqual: return "<>";
    case BinaryOp::kLess: return "<";
    case BinaryOp::kLessEqual: return "<=";
    case BinaryOp::kGreater: return ">";
    case BinaryOp::kGreaterEqual: return ">=";
    case BinaryOp::kAnd: return "AND";
    case BinaryOp::kOr: return "OR";
    case BinaryOp::kConcat: return "||";
  }
  return "?";
}

const char* unary_op_text(UnaryOp op) {
  switch (op) {
    case UnaryOp::kPlus: return "+";
    case UnaryOp::kMinus: return "-";
  }
  return "?";
}

const char* policy_command_text(PolicyCommand command) {
  switch (command) {
    case PolicyCommand::kAll: return "ALL";
    case PolicyCommand::kSelect: return "SELECT";
    case PolicyCommand::kInsert: return "INSERT";
    case PolicyCommand::kUpdate: return "UPDATE";
    case PolicyCommand::kDelete: return "DELETE";
  }
  return "?";
}

const char* row_security_action_text(RowSecurityAction action) {
  switch (action) {
    case RowSecurityAction::kEnable: return "ENABLE";
    case RowSecurityAction::kDisable: return "DISABLE";
    case RowSecurityAction::kForce: return "FORCE";
    case RowSecurityAction::kNoForce: return "NO FORCE";
  }
  return "?";
}

}  // namespace weftkit::policy::sql
