// Which parts of a statement plan the generated code computes and which the host binds once
// per statement: every maximal column-free subexpression (current_user, current_setting(...)
// and what is computed from them, plan errors) becomes a parameter, evaluated by the reference
// evaluator when a statement starts; the rest must be made of node kinds and types the code
// generator lowers, or the plan is not compiled natively (the reason says which node).
// No LLVM here: the host side of the JIT uses it too.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "compiler/ir/statement_plan.h"

namespace weftkit::policy::native {

struct NativePlanLayout {
  bool supported = true;
  std::string unsupported_reason;  // "<construct> at <file:line:col>" when !supported
  // Column-free subexpressions bound once per statement, in first-use order; params[i] is
  // parameter i. Pointers into the plan the layout was made from.
  // Two occurrences of the same subexpression share one parameter.
  std::vector<const Expr*> params;
  std::unordered_map<const Expr*, uint32_t> param_index;
  // Column-free subexpressions that depend on nothing a statement binds (no current_user,
  // session_user, current_setting or plan error) and evaluate without error, folded when the
  // plan is laid out: the generated code holds their value as an immediate.
  std::unordered_map<const Expr*, std::shared_ptr<const Expr>> immediates;
  // Whether some row-dependent value is text, numeric or uuid (held as data + length) or some
  // node is computed by a helper call: the batch code then runs one row at a time instead of
  // a vector step of several rows.
  bool row_dependent_text = false;
  // Nodes computed by a helper call (weftkit_apply) whose errors depend on their arguments, in
  // first-use order: error site s is reported as kFirstSiteError + s and its message rebuilt by
  // evaluating `node` over the row (the new row when `new_row`).
  struct ErrorSite {
    const Expr* node = nullptr;
    bool new_row = false;
  };
  std::vector<ErrorSite> error_sites;
  std::unordered_map<const Expr*, uint32_t> site_index;
  // The columns the generated code reads, ascending.
  std::vector<uint32_t> columns_read;
};

// Lays out `plan`; the plan must outlive the layout. Columns of other types are fine as long
// as no lowered node reads them.
NativePlanLayout lay_out_native_plan(const StatementPlan& plan);

// An expression's identity as text: every field that changes what it computes (kind, types,
// cast mode, flags, constants, columns, names) and its arguments'. Unlike describe_expr, which
// is for people and leaves some of them out, two expressions with the same identity compute
// the same thing.
std::string expr_identity(const Expr& expr);

// A plan's identity as text: two plans with the same key run the same code. Keys index the
// JIT's plan cache and an ahead-of-time module's table of precompiled plans.
std::string plan_key(const std::string& table, const StatementPlan& plan);

// Whether the generated code can hold a value of this type (a column or a parameter).
bool is_native_type(TypeId type);

// Whether the generated code computes this row-dependent node by calling weftkit_apply
// (predicate_helpers.h) instead of inline: text functions, numeric arithmetic, and casts from
// or to text or numeric or uuid. Such a node is an error site.
bool lowered_by_call(const Expr& node);

// Casts the generated code computes inline (among integers and floats, bool <-> integer,
// among dates and timestamps).
bool is_inline_cast(TypeId from, const SqlType& to);

// Date arithmetic: date +/- integer, integer + date (date), date - date (integer).
bool is_date_arithmetic(const Expr& node);

}  // namespace weftkit::policy::native
