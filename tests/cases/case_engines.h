// Runs one case through every engine that answers row-level security, each asked as its users
// ask it: the reference interpreter (codegen/interp); the JIT policy version (PolicyCompiler);
// an ahead-of-time module (emitted and linked as `weftkit-policyc compile --emit=so` does, loaded
// with load_policy_module); and the runtime API over each of those two versions (PolicyStore,
// SecurityContext::build, begin_statement, Statement::row_filter, check), which adds privilege
// checks and context resolution. The versions are asked for one row (check) and for a batch of
// copies of it (filter_batch); a batch that answers otherwise shows in the engine's answer.
#pragma once

#include <string>
#include <vector>

#include "tests/cases/case_file.h"

namespace weftkit::policy::cases {

struct EngineAnswers {
  std::string engine;                 // one of engine_names()
  std::string unavailable;            // why the engine gave no answers (empty when it did)
  std::vector<std::string> outcomes;  // one per row: "pass", "filtered", "violation: ...", "error: ..."
};

struct CaseRun {
  std::string setup_error;  // the case itself is wrong: its SQL or roles do not compile, a row is bad
  std::vector<EngineAnswers> engines;
};

CaseRun run_case(const PolicyCase& policy_case);

}  // namespace weftkit::policy::cases
