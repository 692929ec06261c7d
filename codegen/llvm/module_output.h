// Turns a module built for ahead-of-time output into its bytes: target it at this machine,
// verify and optimise it (target_pipeline.h), then print it as LLVM IR or compile it to
// assembly or an object. The one emission path of --emit=llvm|asm|obj|so, so that the textual
// forms are exactly the object that goes into a shared library. Internal to codegen/llvm.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "codegen/llvm/native_emit.h"
#include "compiler/diag/result.h"

namespace llvm {
class LLVMContext;
class Module;
}  // namespace llvm

namespace weftkit::policy::llvm_backend {

// Builds the (unoptimised, untargeted) module in the context it is given.
using ModuleBuilder = std::function<std::unique_ptr<llvm::Module>(llvm::LLVMContext&)>;

// Text for IR and assembly, ELF bytes for an object. A module that does not verify is an
// internal error, reported as such.
Result<std::string> emit_native_output(const ModuleBuilder& build, NativeOutput output);

}  // namespace weftkit::policy::llvm_backend
