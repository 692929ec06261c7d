// Ahead-of-time emission of the permission module (see native_emit.h).
#include "codegen/llvm/native_emit.h"

#include <functional>

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>

#include "codegen/llvm/permission_module.h"
#include "codegen/llvm/predicate_abi.h"
#include "codegen/llvm/predicate_module.h"
#include "codegen/llvm/target_pipeline.h"

namespace weftkit::policy::llvm_backend {

std::optional<NativeOutput> parse_native_output(std::string_view name) {
  if (name == "llvm") return NativeOutput::kLlvmIr;
  if (name == "asm") return NativeOutput::kAssembly;
  if (name == "obj") return NativeOutput::kObject;
  return std::nullopt;
}

namespace {

// Targets, optimises and prints or compiles a module built by `build`.
Result<std::string> emit_module(const std::function<std::unique_ptr<llvm::Module>(llvm::LLVMContext&)>& build,
                                NativeOutput output) {
  Diagnostics diagnostics;
  auto failure = [&diagnostics] { return Result<std::string>::failure(std::move(diagnostics)); };
  std::optional<llvm::orc::JITTargetMachineBuilder> machine = host_machine_builder(diagnostics);
  if (!machine) return failure();
  std::unique_ptr<llvm::TargetMachine> target = create_target_machine(*machine, diagnostics);
  if (!target) return failure();
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> module = build(context);
  if (!prepare_module(*module, *target, diagnostics)) return failure();

  std::string bytes;
  if (output == NativeOutput::kLlvmIr) {
    llvm::raw_string_ostream out(bytes);
    module->print(out, nullptr);
    out.flush();
    return Result<std::string>::success(std::move(bytes));
  }
  llvm::SmallVector<char, 0> buffer;
  llvm::raw_svector_ostream out(buffer);
  llvm::legacy::PassManager codegen;
  auto file_type = output == NativeOutput::kAssembly ? llvm::CodeGenFileType::AssemblyFile
                                                     : llvm::CodeGenFileType::ObjectFile;
  if (target->addPassesToEmitFile(codegen, out, nullptr, file_type)) {
    diagnostics.error(SourceLocation{}, "internal error: the host target cannot emit this kind of file");
    return failure();
  }
  codegen.run(*module);
  return Result<std::string>::success(std::string(buffer.begin(), buffer.end()));
}

}  // namespace

Result<std::string> emit_permission_module(const PolicyProgram& program, NativeOutput output) {
  return emit_module([&](llvm::LLVMContext& context) { return build_permission_module(program, context); }, output);
}

Result<std::string> emit_plan_module(const StatementPlan& plan, const TableDefinition& table, NativeOutput output) {
  NativePlanLayout layout = lay_out_native_plan(plan);
  if (!layout.supported) {
    Diagnostics diagnostics;
    diagnostics.error({}, "the code generator does not lower " + layout.unsupported_reason);
    return Result<std::string>::failure(std::move(diagnostics));
  }
  return emit_module(
      [&](llvm::LLVMContext& context) {
        auto module = std::make_unique<llvm::Module>("weftkit_plan", context);
        add_plan_functions(*module, plan, table, layout, kPlanRowSymbol, kPlanBatchSymbol);
        return module;
      },
      output);
}

}  // namespace weftkit::policy::llvm_backend
