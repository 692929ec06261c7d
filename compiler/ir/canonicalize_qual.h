// PostgreSQL's canonicalize_qual for a WHERE-style condition (a row filter or a new-row check),
// applied after constant folding: inside the AND/OR structure a constant NULL counts as FALSE
// (AND with FALSE or NULL is FALSE; OR drops FALSE and NULL members), nested ANDs and ORs are
// flattened, and conditions common to every arm of an OR are pulled out in front of it
// (`(a AND b) OR (a AND c)` becomes `a AND (b OR c)`). It changes which part of a condition
// runs first, so it decides which error a row meets.
#pragma once

#include "compiler/ir/expr.h"

namespace weftkit::policy {

Expr canonicalize_qual(Expr qual);

// Structural equality, ignoring source positions (PostgreSQL's equal()).
bool same_expr(const Expr& left, const Expr& right);

}  // namespace weftkit::policy
