// Structural checks of an expression tree, for trees that come from outside the compiler (a
// bundle file): every node has the arguments its kind needs, every column exists, nesting is
// bounded. The evaluators rely on these facts; a tree that fails them is rejected, never run.
#pragma once

#include <string>

#include "compiler/ir/expr.h"

namespace weftkit::policy {

inline constexpr int kMaxExprDepth = 1000;

// Empty when the tree is well-formed for a table of `column_count` columns; otherwise why not.
std::string expr_problem(const Expr& expr, size_t column_count, int depth = 0);

}  // namespace weftkit::policy
