// How PostgreSQL 15 orders the row filters of a scan (createplan.c's order_qual_clauses): each
// condition has a security level (its policy list's position) and an estimated cost
// (cost_qual_eval: one unit per function or operator call); conditions run by level, cheapest
// first within a level, except that a cheap leakproof condition may run first of all. The
// order decides which of several failing conditions a row meets first — filtered or error.
#pragma once

#include "compiler/ir/expr.h"

namespace weftkit::policy {

// Estimated evaluation cost in units of cpu_operator_cost, as PostgreSQL estimates it for the
// equivalent expression (its cross-type operators need no cast where ours have one).
double qual_cost(const Expr& expr);

// Whether the expression passes no column to a function that may leak it (raise an error or
// otherwise reveal the value): PostgreSQL's contain_leaked_vars, negated.
bool is_leakproof(const Expr& expr);

}  // namespace weftkit::policy
