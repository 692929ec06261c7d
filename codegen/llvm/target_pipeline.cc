// Host targeting, verification and the O2 pipeline (see target_pipeline.h).
#include "codegen/llvm/target_pipeline.h"

#include <llvm/IR/Function.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>

#include <mutex>
#include <string>

#include "codegen/llvm/llvm_error.h"

namespace weftkit::policy::llvm_backend {
namespace {

bool verify(const llvm::Module& module, const char* stage, Diagnostics& diagnostics) {
  std::string problems;
  llvm::raw_string_ostream out(problems);
  if (!llvm::verifyModule(module, &out)) return true;
  out.flush();
  diagnostics.error(SourceLocation{},
                    std::string("internal error: generated module does not verify ") + stage + ": " + problems);
  return false;
}

}  // namespace

std::optional<llvm::orc::JITTargetMachineBuilder> host_machine_builder(Diagnostics& diagnostics) {
  static std::once_flag initialised;
  std::call_once(initialised, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    llvm::InitializeNativeTargetAsmParser();
  });
  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder) {
    report_llvm_error(builder.takeError(), "detecting the host target", diagnostics);
    return std::nullopt;
  }
  builder->setCodeGenOptLevel(llvm::CodeGenOptLevel::Default);  // O2
  builder->setRelocationModel(llvm::Reloc::PIC_);
  return std::move(*builder);
}

std::unique_ptr<llvm::TargetMachine> create_target_machine(llvm::orc::JITTargetMachineBuilder& builder,
                                                           Diagnostics& diagnostics) {
  auto target = builder.createTargetMachine();
  if (!target) {
    report_llvm_error(target.takeError(), "creating the target machine", diagnostics);
    return nullptr;
  }
  return std::move(*target);
}

bool prepare_module(llvm::Module& module, llvm::TargetMachine& target, Diagnostics& diagnostics) {
  module.setTargetTriple(target.getTargetTriple().str());
  module.setDataLayout(target.createDataLayout());
  for (llvm::Function& function : module) {
    if (function.isDeclaration()) continue;
    function.addFnAttr("target-cpu", target.getTargetCPU());
    function.addFnAttr("target-features", target.getTargetFeatureString());
  }
  if (!verify(module, "before optimisation", diagnostics)) return false;

  llvm::LoopAnalysisManager loops;
  llvm::FunctionAnalysisManager functions;
  llvm::CGSCCAnalysisManager cgscc;
  llvm::ModuleAnalysisManager modules;
  llvm::PassBuilder passes(&target);
  passes.registerModuleAnalyses(modules);
  passes.registerCGSCCAnalyses(cgscc);
  passes.registerFunctionAnalyses(functions);
  passes.registerLoopAnalyses(loops);
  passes.crossRegisterProxies(loops, functions, cgscc, modules);
  llvm::ModulePassManager pipeline = passes.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O2);
  pipeline.run(module, modules);

  return verify(module, "after optimisation", diagnostics);
}

}  // namespace weftkit::policy::llvm_backend
