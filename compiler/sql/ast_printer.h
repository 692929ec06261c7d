// Prints the AST as S-expressions — `a = 1 OR NOT b` is (or (= a 1) (not b)) — for tests,
// debugging and `explain`-style output. Locations are not printed.
#pragma once

#include <string>

#include "compiler/sql/ast.h"

namespace weftkit::policy::sql {

std::string to_sexpr(const Identifier& name);  // alice, or "Alice" when quoted
std::string to_sexpr(const QualifiedName& name);
std::string to_sexpr(const TypeName& type);    // integer, varchar(10), numeric(10,2)
std::string to_sexpr(const Expr& expr);
std::string to_sexpr(const Statement& statement);
std::string to_sexpr(const Script& script);  // one statement per line

}  // namespace weftkit::policy::sql
