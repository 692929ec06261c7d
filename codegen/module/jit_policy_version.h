// A PolicyVersion (include/weftkit/policy_version.h) made in process: the compiled
// PolicyProgram, its JIT permission module, and its statements' row predicates, JIT-compiled
// on first use per distinct plan and shared by every statement that plans the same way.
#pragma once

#include <memory>
#include <string>

#include "codegen/llvm/jit_program.h"
#include "compiler/ir/policy_program.h"
#include <weftkit/policy_version.h>

namespace weftkit::policy::module {

// `origin` describes the inputs for logs. The version's statement plans are compiled by the
// calling thread and plan_threads - 1 helpers (0: one thread per hardware thread). Fails only
// when LLVM cannot compile the permission module (an internal error).
StatusOr<std::shared_ptr<const PolicyVersion>> make_jit_policy_version(PolicyProgram program, std::string origin,
                                                                       llvm_backend::JitEngine engine,
                                                                       unsigned plan_threads = 0);

}  // namespace weftkit::policy::module
