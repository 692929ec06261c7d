// The statement plans compiled ahead of use: for every table and statement shape, those of
// every principal roles.yaml names — each user as listed, each role held alone, and a
// principal with no role. Ahead-of-time modules precompile them, modules wrap them when they
// are loaded, and in-process versions compile them when they are built. No LLVM here.
#pragma once

#include <cstddef>
#include <vector>

#include "compiler/ir/policy_program.h"
#include "compiler/ir/statement_plan.h"

namespace weftkit::policy::native {

// A statement plan over program.tables[table].
struct KnownPlan {
  size_t table = 0;
  StatementPlan plan;
};

// Principals holding another combination of roles get compiled code when their plan matches
// one of these, and the interpreter (or a later compile) otherwise. Plans repeat: callers
// deduplicate by plan_key.
std::vector<KnownPlan> known_principal_plans(const PolicyProgram& program);

}  // namespace weftkit::policy::native
