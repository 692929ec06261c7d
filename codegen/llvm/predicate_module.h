// Builds the LLVM module of one statement plan: the row function and the batch function of
// predicate_abi.h, the one module builder shared by the JIT and ahead-of-time paths.
// Internal to codegen/llvm.
#pragma once

#include <memory>

#include "codegen/llvm/native_plan.h"

namespace llvm {
class LLVMContext;
class Module;
}  // namespace llvm

namespace weftkit::policy::llvm_backend {

// Unoptimised and without a target (target_pipeline.h verifies, targets and optimises it).
// `layout` must come from lay_out_native_plan(plan) and say supported.
std::unique_ptr<llvm::Module> build_plan_module(const StatementPlan& plan, const TableDefinition& table,
                                                const NativePlanLayout& layout, llvm::LLVMContext& context);

}  // namespace weftkit::policy::llvm_backend
