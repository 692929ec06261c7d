// Helpers for the SQL front-end tests: parse text and show the result as one string — the
// AST as S-expressions, or every diagnostic as "path:line:col: severity: message".
#pragma once

#include <string>

#include "compiler/sql/ast_printer.h"
#include "compiler/sql/parse_sql.h"

namespace weftkit::policy::sql::testing {

inline constexpr const char* kPath = "policies.sql";

// Each diagnostic on its own line (notes indented below it), without source quotes.
inline std::string diagnostics_text(const Diagnostics& diagnostics) {
  std::string text;
  for (const Diagnostic& diagnostic : diagnostics.all()) {
    text += diagnostic.where.to_string() + ": " + severity_name(diagnostic.severity) + ": " + diagnostic.message + "\n";
    for (const Note& note : diagnostic.notes) text += "  " + note.where.to_string() + ": note: " + note.message + "\n";
  }
  return text;
}

// The statements as S-expressions, one per line, or the diagnostics when parsing failed.
inline std::string parse(const std::string& text) {
  Result<Script> result = parse_sql(kPath, text);
  if (!result.ok()) return diagnostics_text(result.diagnostics());
  return to_sexpr(result.value());
}

// Only the diagnostics (empty when there were none).
inline std::string errors(const std::string& text) { return diagnostics_text(parse_sql(kPath, text).diagnostics()); }

// The USING expression of `CREATE POLICY p ON t USING (<expression>);` as an S-expression,
// or the diagnostics (whose columns then count from the start of that statement).
inline std::string expr(const std::string& expression) {
  Result<Script> result = parse_sql(kPath, "CREATE POLICY p ON t USING (" + expression + ");");
  if (!result.ok()) return diagnostics_text(result.diagnostics());
  const auto& policy = std::get<CreatePolicy>(result.value().statements.at(0).node);
  return to_sexpr(*policy.using_expr);
}

// Where the USING expression's root node is, as "line:col".
inline std::string expr_location(const std::string& expression) {
  Result<Script> result = parse_sql(kPath, "CREATE POLICY p ON t USING (" + expression + ");");
  if (!result.ok()) return diagnostics_text(result.diagnostics());
  const auto& policy = std::get<CreatePolicy>(result.value().statements.at(0).node);
  return std::to_string(policy.using_expr->where.line) + ":" + std::to_string(policy.using_expr->where.column);
}

}  // namespace weftkit::policy::sql::testing
