// Targeting, optimising and printing or compiling a module (see module_output.h).
#include "codegen/llvm/module_output.h"

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>

#include "codegen/llvm/target_pipeline.h"

namespace weftkit::policy::llvm_backend {

Result<std::string> emit_native_output(const ModuleBuilder& build, NativeOutput output) {
  Diagnostics diagnostics;
  auto failure = [&diagnostics] { return Result<std::string>::failure(std::move(diagnostics)); };
  std::optional<llvm::orc::JITTargetMachineBuilder> machine = host_machine_builder(diagnostics);
  if (!machine) return failure();
  std::unique_ptr<llvm::TargetMachine> target = create_target_machine(*machine, diagnostics);
  if (!target) return failure();
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> module = build(context);
  if (!prepare_module(*module, *target, diagnostics)) return failure();

  if (output == NativeOutput::kLlvmIr) {
    std::string text;
    llvm::raw_string_ostream out(text);
    module->print(out, nullptr);
    out.flush();
    return Result<std::string>::success(std::move(text));
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

}  // namespace weftkit::policy::llvm_backend
