// How PostgreSQL's lexer cuts a run of operator characters into an operator; used by the
// generated lexer (grammar/PolicySqlLexer.g4), kept here so that it is plain, testable C++.
#pragma once

#include <cstddef>
#include <string_view>

namespace weftkit::policy::sql {

// The length of the operator PostgreSQL's lexer (scan.l) takes from the start of `run`, a
// run of the characters + - * / < > = ~ ! @ # % ^ & | ` ?: the run is cut before any "--" or
// "/*" (they start comments), and trailing + and - are given back unless the operator
// contains one of ~ ! @ # % ^ & | ` ? — so that "a<-1" is a < -1 and "a*-1" is a * -1.
// `run` must not itself start with "--" or "/*". Always at least 1 for a non-empty run.
size_t pg_operator_length(std::string_view run);

}  // namespace weftkit::policy::sql
