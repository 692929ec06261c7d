// Runs the real `weftkit-policyc eval` on a case's files and reads its answer.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tests/pg/policy_case.h"
#include "tests/support/process_runner.h"
#include "tests/pg/row_outcome.h"

namespace weftkit::policy::pgtest {

// The command line for a case, file names relative to the case directory:
// eval policies.sql roles.yaml --table T --command C --user U [--set n=v]... --rows rows.jsonl
//      [--new-rows new.jsonl] [--no-read] [--returning]
std::vector<std::string> eval_arguments(const PolicyCase& policy_case);

struct EvalRun {
  std::vector<std::string> arguments;
  weftkit::testing::ProcessOutcome process;
  // Set when exit status was 0 and stdout parsed as outcome lines; otherwise `problem` says why.
  std::optional<std::vector<RowOutcome>> outcomes;
  std::string problem;
};

// The engines eval offers: every hand-written case runs through each; random cases through
// the first two, and through a module every WEFTKIT_PG_AOT_EVERY cases (differential_settings.h).
inline const std::vector<std::string> kEvalEngines = {"jit", "interp", "aot"};

// Runs `policyc` in `directory`, where write_case_files has put the case, with
// --engine=`engine` after eval_arguments.
EvalRun run_eval(const std::string& policyc, const std::string& directory, const PolicyCase& policy_case,
                 const std::string& engine);

// When eval's JIT did not compile the case's plan and the interpreter answered instead: the
// construct it named ("(concat $owner ...) at policies.sql:3:14"); nullopt otherwise.
std::optional<std::string> jit_fallback_reason(const EvalRun& run);

// The command line as one shell-ready line, for reports.
std::string shell_command(const std::string& policyc, const std::vector<std::string>& arguments);

}  // namespace weftkit::policy::pgtest
