// What one expression node computes from its arguments' values — for every node whose
// arguments are all evaluated first (casts, operators, functions). Shared by constant folding
// and the reference evaluator so that both mean the same thing. Control-flow nodes (AND, OR,
// CASE, COALESCE) decide themselves which arguments to evaluate and are not handled here.
#pragma once

#include <vector>

#include "compiler/ir/expr.h"
#include "compiler/values/value.h"

namespace weftkit::policy {

// Applies `node` (a kind that evaluates all its arguments, see kind_traits) to its evaluated arguments (one per node.args, in order). Raises SqlError.
Value apply_node(const Expr& node, const std::vector<Value>& args);

// Whether PostgreSQL would evaluate this node at plan time when its arguments are constants
// (its functions are immutable); time-zone-dependent conversions are only stable.
bool is_immutable_node(const Expr& node);

}  // namespace weftkit::policy
