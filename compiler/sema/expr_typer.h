// Semantic analysis of one policy expression: resolves columns against the policy's table,
// types every node with PostgreSQL's rules (inserting the implicit casts), converts literals,
// rejects what the dialect does not support, and folds constants.
#pragma once

#include "compiler/ir/expr.h"
#include "compiler/ir/row_security.h"
#include "compiler/sql/ast.h"

namespace weftkit::policy {

// A boolean condition (USING or WITH CHECK) over `table`'s columns, folded. Throws SemaError
// with PostgreSQL's message and the offending position.
Expr type_policy_condition(const sql::Expr& condition, const TableDefinition& table);

}  // namespace weftkit::policy
