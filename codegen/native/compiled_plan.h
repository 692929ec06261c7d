// The native code of one statement plan — JIT-compiled in process or loaded from an
// ahead-of-time module: its row and batch functions (predicate_abi.h) together with the plan
// and layout they were generated from. Immutable and shared: every statement that plans the
// same way runs the same code; `code_owner` keeps the code alive as long as this lives.
// No LLVM type appears here.
#pragma once

#include <memory>

#include "codegen/native/native_plan.h"
#include "codegen/native/predicate_abi.h"

namespace weftkit::policy::native {

class CompiledPlan {
 public:
  // The layout is recomputed from the plan (lay_out_native_plan is deterministic), so it is
  // the one the code was generated for when the plan is the same.
  CompiledPlan(StatementPlan plan, TableDefinition table);
  CompiledPlan(const CompiledPlan&) = delete;
  CompiledPlan& operator=(const CompiledPlan&) = delete;

  const StatementPlan& plan() const { return *plan_; }
  const TableDefinition& table() const { return table_; }
  const NativePlanLayout& layout() const { return layout_; }
  PlanRowFunction row_function() const { return row_; }
  PlanBatchFunction batch_function() const { return batch_; }

  void set_code(PlanRowFunction row, PlanBatchFunction batch, std::shared_ptr<const void> code_owner) {
    row_ = row;
    batch_ = batch;
    code_owner_ = std::move(code_owner);
  }

 private:
  std::unique_ptr<StatementPlan> plan_;  // on the heap: layout_ points into it
  TableDefinition table_;
  NativePlanLayout layout_;
  PlanRowFunction row_ = nullptr;
  PlanBatchFunction batch_ = nullptr;
  std::shared_ptr<const void> code_owner_;
};

}  // namespace weftkit::policy::native
