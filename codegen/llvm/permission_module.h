// Builds the LLVM module of a program's permission check: constant allow/deny tables, the
// per-principal mask builder and the branch-free check (symbols in module_abi.h). The one
// module builder shared by the JIT and the ahead-of-time paths. Internal to codegen/llvm.
#pragma once

#include <memory>

#include "compiler/ir/policy_program.h"

namespace llvm {
class LLVMContext;
class Module;
}  // namespace llvm

namespace weftkit::policy::llvm_backend {

// Unoptimised and without a target; target_pipeline.h verifies, targets and optimises it.
std::unique_ptr<llvm::Module> build_permission_module(const PolicyProgram& program, llvm::LLVMContext& context);

}  // namespace weftkit::policy::llvm_backend
