// Building an ahead-of-time policy module for this machine: the generated object (permission
// functions, the precompiled plans of every principal roles.yaml names, the embedded bundle)
// linked with the support code into a sealed shared library. What `compile --emit=so` writes
// and what `eval --engine=aot` loads.
#pragma once

#include <string>

#include "codegen/llvm/aot_emit.h"
#include "compiler/diag/result.h"
#include "compiler/ir/policy_program.h"

namespace weftkit::policy::cli {

// The module's generated part as `output` (an object, IR or assembly). `origin` names the
// inputs, for the module's logs and messages.
Result<llvm_backend::AotModule> emit_policy_module(const PolicyProgram& program, const std::string& origin,
                                                   llvm_backend::NativeOutput output);

// Links an emitted object (`object_bytes`) into the shared library `output`, through a private
// scratch directory (mkdtemp, mode 0700, removed on return). On failure returns false and
// `error` holds every line to print.
bool link_policy_module_object(const std::string& object_bytes, const std::string& output, std::string& error);

}  // namespace weftkit::policy::cli
