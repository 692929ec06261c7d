// Plan-time constant folding as PostgreSQL's eval_const_expressions does it for the policy
// language: immutable nodes over constants are evaluated, AND/OR/CASE/COALESCE simplify around
// constants in argument order, a strict node with a NULL constant argument becomes NULL, and NOT
// is pushed into the clause it negates (negate_clause).
// An error raised while folding is a plan-time error: PostgreSQL raises it for any statement
// that plans the expression, whatever the rows.
#pragma once

#include <optional>
#include <string>

#include "compiler/ir/expr.h"

namespace weftkit::policy {

// Folds `expr`; if folding raises an error, returns a kPlanError node carrying its message.
Expr fold_constants(Expr expr);

}  // namespace weftkit::policy
