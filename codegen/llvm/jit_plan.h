// The JIT-compiled code of one statement plan: its row and batch functions (predicate_abi.h)
// together with the plan and layout they were generated from. Immutable and shared: every
// statement that plans the same way runs the same code; the code is freed with the last
// reference. No LLVM type appears here.
#pragma once

#include <memory>

#include "codegen/llvm/native_plan.h"
#include "codegen/llvm/predicate_abi.h"

namespace weftkit::policy::llvm_backend {

class JitPlan {
 public:
  JitPlan(const JitPlan&) = delete;
  JitPlan& operator=(const JitPlan&) = delete;
  ~JitPlan();

  const StatementPlan& plan() const { return *plan_; }
  const TableDefinition& table() const { return table_; }
  const NativePlanLayout& layout() const { return layout_; }
  PlanRowFunction row_function() const { return row_; }
  PlanBatchFunction batch_function() const { return batch_; }

 private:
  friend class JitEngine;
  JitPlan(std::unique_ptr<StatementPlan> plan, TableDefinition table);

  std::unique_ptr<StatementPlan> plan_;  // on the heap: layout_ points into it
  TableDefinition table_;
  NativePlanLayout layout_;
  PlanRowFunction row_ = nullptr;
  PlanBatchFunction batch_ = nullptr;
  struct Code;
  std::shared_ptr<Code> code_;
};

}  // namespace weftkit::policy::llvm_backend
