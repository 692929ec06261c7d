// S-expression printing of the SQL AST.
#include "compiler/sql/ast_printer.h"

namespace weftkit::policy::sql {
namespace {

std::string quote_string(const std::string& value) {
  std::string quoted = "'";
  for (char c : value) {
    quoted += c;
    if (c == '\'') quoted += '\'';
  }
  return quoted + "'";
}

std::string lower(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

const char* bool_test_text(BoolTestValue value) {
  switch (value) {
    case BoolTestValue::kTrue: return "true";
    case BoolTestValue::kFalse: return "false";
    case BoolTestValue::kUnknown: return "unknown";
  }
  return "?";
}

std::string roles_text(const std::vector<RoleSpec>& roles) {
  std::string text = "(to";
  for (const RoleSpec& role : roles) {
    switch (role.kind) {
      case RoleKind::kPublic: text += " public"; break;
      case RoleKind::kCurrentUser: text += " current_user"; break;
      case RoleKind::kSessionUser: text += " session_user"; break;
      case RoleKind::kNamed: text += " " + to_sexpr(Identifier{role.name, false, {}}); break;
    }
  }
  return text + ")";
}

std::string optional_clause(const char* label, const ExprPtr& expr) {
  if (!expr) return "";
  return std::string(" (") + label + " " + to_sexpr(*expr) + ")";
}

struct ExprPrinter {
  std::string operator()(const ColumnRef& node) const { return to_sexpr(node.parts); }
  std::string operator()(const IntegerLiteral& node) const { return node.text; }
  std::string operator()(const NumericLiteral& node) const { return node.text; }
  std::string operator()(const StringLiteral& node) const { return quote_string(node.value); }
  std::string operator()(const BoolLiteral& node) const { return node.value ? "true" : "false"; }
  std::string operator()(const NullLiteral&) const { return "null"; }
  std::string operator()(const TypedLiteral& node) const {
    return "(typed " + to_sexpr(node.type) + " " + quote_string(node.value) + ")";
  }
  std::string operator()(const Unary& node) const {
    return std::string("(") + unary_op_text(node.op) + " " + to_sexpr(*node.operand) + ")";
  }
  std::string operator()(const Binary& node) const {
    return "(" + lower(binary_op_text(node.op)) + " " + to_sexpr(*node.left) + " " + to_sexpr(*node.right) + ")";
  }
  std::string operator()(const Not& node) const { return "(not " + to_sexpr(*node.operand) + ")"; }
  std::string operator()(const IsNull& node) const {
    return std::string(node.negated ? "(is-not-null " : "(is-null ") + to_sexpr(*node.operand) + ")";
  }
  std::string operator()(const IsBool& node) const {
    return std::string(node.negated ? "(is-not-" : "(is-") + bool_test_text(node.value) + " " +
           to_sexpr(*node.operand) + ")";
  }
  std::string operator()(const InList& node) const {
    std::string text = std::string(node.negated ? "(not-in " : "(in ") + to_sexpr(*node.operand);
    for (const ExprPtr& item : node.items) text += " " + to_sexpr(*item);
    return text + ")";
  }
  std::string operator()(const Between& node) const {
    return std::string(node.negated ? "(not-between " : "(between ") + to_sexpr(*node.operand) + " " +
           to_sexpr(*node.low) + " " + to_sexpr(*node.high) + ")";
  }
  std::string operator()(const Like& node) const {
    std::string text = std::string("(") + (node.negated ? "not-" : "") + (node.case_insensitive ? "ilike " : "like ") +
                       to_sexpr(*node.operand) + " " + to_sexpr(*node.pattern);
    return text + optional_clause("escape", node.escape) + ")";
  }
  std::string operator()(const Case& node) const {
    std::string text = "(case";
    if (node.operand) text += " " + to_sexpr(*node.operand);
    for (const CaseWhen& when : node.whens) {
      text += " (when " + to_sexpr(*when.condition) + " " + to_sexpr(*when.result) + ")";
    }
    return text + optional_clause("else", node.else_result) + ")";
  }
  std::string operator()(const Cast& node) const {
    return "(cast " + to_sexpr(*node.operand) + " " + to_sexpr(node.type) + ")";
  }
  std::string operator()(const FunctionCall& node) const {
    std::string text = "(call " + to_sexpr(node.name);
    for (const ExprPtr& arg : node.args) text += " " + to_sexpr(*arg);
    return text + ")";
  }
  std::string operator()(const SpecialValue& node) const {
    return node.kind == SpecialValueKind::kCurrentUser ? "current_user" : "session_user";
  }
};

struct StatementPrinter {
  std::string operator()(const CreateTable& node) const {
    std::string text = "(create-table " + to_sexpr(node.name);
    for (const ColumnDefinition& column : node.columns) {
      text += " (column " + to_sexpr(column.name) + " " + to_sexpr(column.type);
      if (column.not_null) text += " not-null";
      if (column.primary_key) text += " primary-key";
      text += optional_clause("default", column.default_value) + ")";
    }
    if (!node.primary_key.empty()) {
      text += " (primary-key";
      for (const Identifier& column : node.primary_key) text += " " + to_sexpr(column);
      text += ")";
    }
    return text + ")";
  }
  std::string operator()(const AlterTableRowSecurity& node) const {
    std::string action = lower(row_security_action_text(node.action));
    if (node.action == RowSecurityAction::kNoForce) action = "no-force";
    return "(alter-table " + to_sexpr(node.table) + " " + action + ")";
  }
  std::string operator()(const CreatePolicy& node) const {
    std::string text = "(create-policy " + to_sexpr(node.name) + " " + to_sexpr(node.table) +
                       (node.permissive ? " permissive " : " restrictive ") +
                       lower(policy_command_text(node.command));
    if (!node.roles.empty()) text += " " + roles_text(node.roles);
    return text + optional_clause("using", node.using_expr) + optional_clause("with-check", node.with_check) + ")";
  }
  std::string operator()(const AlterPolicy& node) const {
    std::string text = "(alter-policy " + to_sexpr(node.name) + " " + to_sexpr(node.table);
    if (node.if_exists) text += " if-exists";
    if (node.rename_to) text += " (rename-to " + to_sexpr(*node.rename_to) + ")";
    if (node.roles) text += " " + roles_text(*node.roles);
    return text + optional_clause("using", node.using_expr) + optional_clause("with-check", node.with_check) + ")";
  }
  std::string operator()(const DropPolicy& node) const {
    return std::string("(drop-policy ") + (node.if_exists ? "if-exists " : "") + to_sexpr(node.name) + " " +
           to_sexpr(node.table) + ")";
  }
};

}  // namespace

std::string to_sexpr(const Identifier& name) {
  if (!name.quoted) return name.name;
  std::string quoted = "\"";
  for (char c : name.name) {
    quoted += c;
    if (c == '"') quoted += '"';
  }
  return quoted + "\"";
}

std::string to_sexpr(const QualifiedName& name) {
  std::string text;
  for (const Identifier& part : name) text += (text.empty() ? "" : ".") + to_sexpr(part);
  return text;
}

std::string to_sexpr(const TypeName& type) {
  std::string text = type.name;
  if (type.modifiers.empty()) return text;
  text += "(";
  for (size_t i = 0; i < type.modifiers.size(); ++i) {
    text += (i == 0 ? "" : ",") + std::to_string(type.modifiers[i]);
  }
  return text + ")";
}

std::string to_sexpr(const Expr& expr) { return std::visit(ExprPrinter{}, expr.node); }

std::string to_sexpr(const Statement& statement) { return std::visit(StatementPrinter{}, statement.node); }

std::string to_sexpr(const Script& script) {
  std::string text;
  for (const Statement& statement : script.statements) text += to_sexpr(statement) + "\n";
  return text;
}

}  // namespace weftkit::policy::sql
