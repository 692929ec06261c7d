// Host targeting, verification and the IR pipelines (see target_pipeline.h).
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

// Whether a function computes on vectors (a batch function's vector steps).
bool has_vector_code(const llvm::Function& function) {
  for (const llvm::BasicBlock& block : function) {
    for (const llvm::Instruction& instruction : block) {
      if (instruction.getType()->isVectorTy()) return true;
    }
  }
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

bool prepare_module(llvm::Module& module, llvm::TargetMachine& target, Diagnostics& diagnostics,
                    IrPipeline pipeline_kind) {
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
  if (pipeline_kind == IrPipeline::kO2) {
    llvm::ModulePassManager pipeline = passes.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O2);
    pipeline.run(module, modules);
  } else {
    // LLVM 19's DAG combiner can loop forever on some vector-of-i1 logic as the lowering emits
    // it (seen on random plans, at every code generation level); after O2's function passes
    // (InstCombine's canonical forms) it has not, over thousands of random plans. Scalar code
    // goes to code generation unoptimised: those passes cost most of a plan's compile time.
    llvm::FunctionPassManager simplification =
        passes.buildFunctionSimplificationPipeline(llvm::OptimizationLevel::O2, llvm::ThinOrFullLTOPhase::None);
    for (llvm::Function& function : module) {
      if (!function.isDeclaration() && has_vector_code(function)) simplification.run(function, functions);
    }
  }

  return verify(module, "after optimisation", diagnostics);
}

}  // namespace weftkit::policy::llvm_backend
