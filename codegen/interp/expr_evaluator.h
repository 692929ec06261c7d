// The reference evaluator of policy expressions: a direct, obviously-correct walk over the IR
// with PostgreSQL's three-valued logic and evaluation order. Errors are raised as SqlError.
#pragma once

#include <vector>

#include "codegen/semantics/session.h"
#include "compiler/ir/expr.h"
#include "compiler/values/value.h"

namespace weftkit::policy::interp {

// `row` holds one Value per table column, in column order.
Value evaluate(const Expr& expr, const std::vector<Value>& row, const semantics::SessionValues& session);

}  // namespace weftkit::policy::interp
