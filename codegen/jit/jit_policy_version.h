// A PolicyVersion (include/weftkit/policy_version.h) made in process: the compiled
// PolicyProgram, its JIT permission module, and its statements' row predicates, JIT-compiled
// on first use per distinct plan and shared by every statement that plans the same way.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "codegen/llvm/jit_program.h"
#include "compiler/ir/policy_program.h"
#include <weftkit/policy_version.h>

namespace weftkit::policy::jit {

struct JitVersionOptions {
  // Threads that compile the plans of every principal roles.yaml names when the version is
  // built: the calling thread and plan_threads - 1 helpers (0: one per hardware thread).
  unsigned plan_threads = 0;
  // Whether those plans are compiled up front (an engine's version: statements find their
  // code ready), or not at all (a one-shot tool that asks one statement).
  bool precompile_known_plans = true;
  // A statement whose plan has no code: compiled on the statement's own thread before it
  // runs (a one-shot tool), instead of interpreted while a background thread compiles it
  // (an engine: readers never wait for a compile).
  bool compile_missing_plans_inline = false;
  // With compile_missing_plans_inline: told why a statement's plan could not be compiled (the
  // code generator does not lower something in it); the interpreter answers that statement.
  std::function<void(const std::string& reason)> on_plan_not_compiled;
};

// `origin` describes the inputs for logs. Fails only when LLVM cannot compile the permission
// module (an internal error).
StatusOr<std::shared_ptr<const PolicyVersion>> make_jit_policy_version(PolicyProgram program, std::string origin,
                                                                       llvm_backend::JitEngine engine,
                                                                       const JitVersionOptions& options = {});

}  // namespace weftkit::policy::jit
