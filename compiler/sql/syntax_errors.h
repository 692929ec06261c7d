// Syntax errors of the SQL front end: how ANTLR's recognition errors become diagnostics in
// PostgreSQL's words ("syntax error at or near "FORM""), one per statement.
// Private to compiler/sql; it names ANTLR types but does not include ANTLR's headers.
#pragma once

#include <memory>
#include <string>

#include "compiler/diag/diagnostics.h"

namespace antlr4 {
class ANTLRErrorStrategy;
class Token;
}  // namespace antlr4

namespace weftkit::policy::sql {

// An error strategy for the generated parser that reports the first error of a statement to
// `diagnostics` and then abandons the statement by throwing antlr4::ParseCancellationException;
// the caller skips to the next ';' and parses on. It never guesses missing tokens, so one
// mistake yields one message.
std::shared_ptr<antlr4::ANTLRErrorStrategy> make_statement_error_strategy(const std::string& path,
                                                                          Diagnostics& diagnostics);

// For a token that is a lexical error (an unterminated string or comment, junk after a
// number), PostgreSQL's message for it ("unterminated quoted string"); otherwise empty.
std::string lexical_error_message(antlr4::Token* token);

// "at or near "text"" or "at end of input".
std::string near_token_text(antlr4::Token* token);

// The location of a token: its 1-based line and column (in code points).
SourceLocation token_location(const std::string& path, antlr4::Token* token);

}  // namespace weftkit::policy::sql
