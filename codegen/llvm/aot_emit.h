// The generated part of an ahead-of-time policy module: the permission functions, the row and
// batch functions of its precompiled statement plans, the table of those plans by key, the
// program itself as an embedded bundle, and the module's entry point weftkit_policy_module —
// one object for the support code (codegen/aot/) to be linked beside into a shared library
// (see codegen/aot/aot_symbols.h), or that object's LLVM IR or assembly.
#pragma once

#include <string>
#include <vector>

#include "codegen/native/known_plans.h"
#include "codegen/llvm/native_emit.h"
#include "compiler/diag/result.h"
#include "compiler/ir/policy_program.h"
#include "compiler/ir/statement_plan.h"

namespace weftkit::policy::llvm_backend {


struct AotModuleContents {
  std::string bundle;  // the program, serialised (write_bundle): the support code decodes it
  std::string origin;  // the inputs it came from, for logs
  // Plans with the same key are compiled once; a plan holding a construct the code generator
  // does not lower is left to the module's interpreter (and counted).
  std::vector<native::KnownPlan> plans;
};

struct AotModule {
  std::string bytes;              // text for IR and assembly, ELF bytes for an object
  size_t plans_compiled = 0;      // precompiled plans (distinct by key)
  size_t plans_interpreted = 0;   // distinct plans left to the interpreter
};

// `weftkit-policyc compile --emit=...` precompiles known_principal_plans (known_plans.h).

// Precompiled plans are named weftkit_aot_row_<i> / weftkit_aot_batch_<i> in the order of
// `contents.plans`, skipped ones not counted.
Result<AotModule> emit_aot_module(const PolicyProgram& program, const AotModuleContents& contents, NativeOutput output);

}  // namespace weftkit::policy::llvm_backend
