// The object file of an ahead-of-time policy module: the permission functions, the row and
// batch functions of every statement plan the program's known principals can produce, the
// table of those plans by key, and the program itself as an embedded bundle — for the support
// code (codegen/aot/) linked beside it into a shared library. See codegen/aot/aot_symbols.h.
#pragma once

#include <string>

#include "compiler/diag/result.h"
#include "compiler/ir/policy_program.h"

namespace weftkit::policy::llvm_backend {

struct AotObject {
  std::string bytes;          // ELF object for this machine
  size_t plans_compiled = 0;  // precompiled plans (distinct by key)
  size_t plans_interpreted = 0;  // distinct plans left to the interpreter (constructs not lowered)
};

// Plans are enumerated for every table, every statement shape, and every principal that
// roles.yaml names: each user as listed, each role held alone, and a principal with no role.
// Principals holding another combination of roles get a precompiled plan when theirs matches
// one of these, and the module's interpreter otherwise.
Result<AotObject> emit_aot_object(const PolicyProgram& program, const std::string& bundle, const std::string& origin);

}  // namespace weftkit::policy::llvm_backend
