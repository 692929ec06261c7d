// Turns the parse tree of one statement into AST statements, and reports what the dialect
// recognises but does not support. Private to compiler/sql; it names ANTLR types but does
// not include ANTLR's headers.
#pragma once

#include <string>
#include <vector>

#include "compiler/diag/diagnostics.h"
#include "compiler/sql/ast.h"

namespace antlr4 {
class ParserRuleContext;
}  // namespace antlr4

namespace weftkit::policy::sql {

// What building remembers from one statement of a file to the next.
struct BuildState {
  bool listed_supported_statements = false;  // the note after the first unsupported statement
};

// `statement` is a PolicySqlParser::StatementContext that parsed without syntax errors.
// Appends its AST to `out` (an ALTER TABLE with several actions gives one statement per
// action); errors and warnings go to `diagnostics`, and on error what is appended is
// incomplete and must not be used.
void build_statement(antlr4::ParserRuleContext* statement, const std::string& path, Diagnostics& diagnostics,
                     BuildState& state, std::vector<Statement>& out);

}  // namespace weftkit::policy::sql
