// Random typed predicates for the JIT's randomized differential test, built as IR directly
// (not SQL text): a random table, boolean expression trees over every node kind and type the
// code generator lowers (codegen/native/native_plan.cc), typed as compiler/sema types them, and
// statement plans made of them. Column-free parts (settings, current_user, casts of them,
// constant arithmetic) appear too: the JIT binds those as parameters, whose errors must show
// only in rows whose evaluation reaches them.
#pragma once

#include <string>
#include <vector>

#include "compiler/ir/statement_plan.h"
#include "tests/codegen/llvm/random_source.h"

namespace weftkit::policy::jittest {

// Columns of every native type (most of them, some twice, in random order), sometimes also a
// numeric or uuid column that no predicate reads.
TableDefinition random_table(RandomSource& random);

enum class PlanShape {
  kSelect,          // 1-3 row filters, no new-row check (SELECT, DELETE)
  kInsert,          // 1-2 new-row checks only, on the row itself
  kUpdate,          // filters on the old row, checks on a separate new row
  kFilterAndCheck,  // filters and checks on the same row
};
const char* plan_shape_name(PlanShape shape);

struct RandomPlan {
  PlanShape shape = PlanShape::kSelect;
  StatementPlan plan;  // filtered_by_row_security, no plan error, no estimation probes
  bool separate_new_rows() const { return shape == PlanShape::kUpdate; }
};

RandomPlan random_plan(RandomSource& random, const TableDefinition& table);

// One random boolean condition over `table`, at most `depth` levels deep.
Expr random_condition(RandomSource& random, const TableDefinition& table, int depth);

}  // namespace weftkit::policy::jittest
