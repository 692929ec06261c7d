// The LLVM functions of one statement plan: the row function and the batch function of
// predicate_abi.h, the one builder shared by the JIT and ahead-of-time paths.
// Internal to codegen/llvm.
#pragma once

#include <string>

#include "codegen/native/native_plan.h"

namespace llvm {
class LLVMContext;
class Module;
}  // namespace llvm

namespace weftkit::policy::llvm_backend {

// Adds the plan's row and batch functions, named `row_symbol` and `batch_symbol`, to `module`
// (unoptimised; target_pipeline.h verifies, targets and optimises the module). `layout` must
// come from lay_out_native_plan(plan) and say supported. The JIT makes a module per plan; an
// ahead-of-time module holds many plans under numbered names.
void add_plan_functions(llvm::Module& module, const StatementPlan& plan, const TableDefinition& table,
                        const native::NativePlanLayout& layout, const std::string& row_symbol, const std::string& batch_symbol);

}  // namespace weftkit::policy::llvm_backend
