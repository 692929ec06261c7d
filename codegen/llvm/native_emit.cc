// Ahead-of-time emission of the permission module and of single plans (see native_emit.h).
#include "codegen/llvm/native_emit.h"

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include "codegen/llvm/module_output.h"
#include "codegen/llvm/permission_module.h"
#include "codegen/native/predicate_abi.h"
#include "codegen/llvm/predicate_module.h"

namespace weftkit::policy::llvm_backend {

std::optional<NativeOutput> parse_native_output(std::string_view name) {
  if (name == "llvm") return NativeOutput::kLlvmIr;
  if (name == "asm") return NativeOutput::kAssembly;
  if (name == "obj") return NativeOutput::kObject;
  return std::nullopt;
}

Result<std::string> emit_permission_module(const PolicyProgram& program, NativeOutput output) {
  return emit_native_output([&](llvm::LLVMContext& context) { return build_permission_module(program, context); }, output);
}

Result<std::string> emit_plan_module(const StatementPlan& plan, const TableDefinition& table, NativeOutput output) {
  native::NativePlanLayout layout = native::lay_out_native_plan(plan);
  if (!layout.supported) {
    Diagnostics diagnostics;
    diagnostics.error({}, "the code generator does not lower " + layout.unsupported_reason);
    return Result<std::string>::failure(std::move(diagnostics));
  }
  return emit_native_output(
      [&](llvm::LLVMContext& context) {
        auto module = std::make_unique<llvm::Module>("weftkit_plan", context);
        add_plan_functions(*module, plan, table, layout, native::kPlanRowSymbol, native::kPlanBatchSymbol);
        return module;
      },
      output);
}

}  // namespace weftkit::policy::llvm_backend
