// The host target and the module pipeline shared by the JIT and ahead-of-time emission:
// target the host CPU and its features, verify, optimise (IrPipeline), verify again. Internal to
// codegen/llvm.
#pragma once

#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>

#include <memory>
#include <optional>

#include "compiler/diag/diagnostics.h"

namespace llvm {
class Module;
class TargetMachine;
}  // namespace llvm

namespace weftkit::policy::llvm_backend {

// This machine's triple, CPU name and CPU features, O2 code generation, position-independent
// code (so that an object can go into a shared library). Initialises LLVM's native target once.
std::optional<llvm::orc::JITTargetMachineBuilder> host_machine_builder(Diagnostics& diagnostics);

std::unique_ptr<llvm::TargetMachine> create_target_machine(llvm::orc::JITTargetMachineBuilder& builder,
                                                           Diagnostics& diagnostics);

// How much the IR is optimised before code generation.
enum class IrPipeline {
  kO2,     // LLVM's default O2 pipeline
  kVector,  // O2's function simplification passes on functions with vector code, none elsewhere
  // There is no "none": LLVM 19's DAG combiner can loop forever on unoptimised vector-of-i1
  // logic as the lowering emits it (target_pipeline.cc).
};

// Sets the module's triple, data layout and per-function target attributes, verifies it,
// runs `pipeline` and verifies the result. A module that does not verify is a bug in the
// emitter: reported as an internal error, never handed on.
bool prepare_module(llvm::Module& module, llvm::TargetMachine& target, Diagnostics& diagnostics,
                    IrPipeline pipeline = IrPipeline::kO2);

}  // namespace weftkit::policy::llvm_backend
