// The differential test: random cases answered by PostgreSQL 15 and by the real
// `weftkit-policyc eval`, which must agree exactly, row by row. Settings come from the
// environment (differential_settings.h); every disagreement is printed in full.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "tests/pg/case_files.h"
#include "tests/pg/case_generator.h"
#include "tests/pg/case_report.h"
#include "tests/pg/differential_settings.h"
#include "tests/pg/eval_cli.h"
#include "tests/pg/pg_oracle.h"
#include "tests/pg/pg_test_environment.h"
#include "tests/pg/random_source.h"
#include "tests/support/scratch_directory.h"

#ifndef WEFTKIT_POLICYC_PATH
#error "WEFTKIT_POLICYC_PATH must be defined by the build"
#endif

namespace weftkit::policy::pgtest {
namespace {

using namespace std::chrono_literals;

constexpr size_t kReportsPrinted = 5;

// What PostgreSQL answered over the run, to show the comparison covered every kind of answer.
struct Tally {
  std::map<std::string, int> answers;
  std::map<std::string, int> commands;
  int rejected_cases = 0;

  void add(const PolicyCase& policy_case, const OracleAnswer& answer) {
    ++commands[command_name(policy_case.statement.command)];
    if (answer.rejected()) ++rejected_cases;
    for (const RowOutcome& outcome : answer.outcomes) ++answers[outcome.result];
  }
  // Cases whose plan the JIT compiled, and for the others the construct it did not.
  int jit_compiled = 0;
  std::map<std::string, int> jit_fallbacks;
  void add_engine_run(const EvalRun& jit_run) {
    if (!jit_run.outcomes) return;
    std::optional<std::string> reason = jit_fallback_reason(jit_run);
    if (!reason) {
      ++jit_compiled;
      return;
    }
    // The node's kind: "(concat $owner ...) at ..." counts as "concat".
    std::string kind = reason->substr(0, reason->find_first_of(" )"));
    if (!kind.empty() && kind[0] == '(') kind.erase(0, 1);
    ++jit_fallbacks[kind];
  }
  std::string describe() const {
    std::ostringstream out;
    out << "JIT compiled " << jit_compiled << " cases' plans; the interpreter answered for the rest:";
    for (const auto& [kind, count] : jit_fallbacks) out << " " << kind << " " << count;
    out << "\n";
    out << "postgres answers:";
    for (const auto& [result, count] : answers) out << " " << result << " " << count;
    out << "; cases per command:";
    for (const auto& [command, count] : commands) out << " " << command << " " << count;
    out << "; cases whose policies PostgreSQL rejected: " << rejected_cases;
    return out.str();
  }
};

bool agrees(const OracleAnswer& postgres, const EvalRun& eval) {
  // A policy PostgreSQL refuses must be a policy error for eval too (exit status 1).
  if (postgres.rejected()) return eval.process.exit_code == 1;
  return eval.outcomes && *eval.outcomes == postgres.outcomes;
}

void save_case(const std::string& save_dir, int index, const PolicyCase& policy_case, const std::string& report) {
  std::filesystem::path directory = std::filesystem::path(save_dir) / ("case-" + std::to_string(index));
  std::filesystem::create_directories(directory);
  write_case_files(directory.string(), policy_case);
  std::ofstream(directory / "report.txt") << report;
}

TEST(PgDifferential, EvalAgreesWithPostgresOnRandomCases) {
  std::string problem;
  std::optional<DifferentialSettings> settings = differential_settings_from_environment(problem);
  ASSERT_TRUE(settings) << problem;

  // Until the eval verb exists the CLI answers with a usage error: one clear failure.
  weftkit::testing::ProcessSpec probe{WEFTKIT_POLICYC_PATH, {"eval", "--help"}, "", std::nullopt, std::nullopt};
  weftkit::testing::ProcessOutcome help = weftkit::testing::run_to_completion(probe, 30s);
  ASSERT_EQ(help.exit_code, 0) << "eval not available: `weftkit-policyc eval --help` gave "
                               << weftkit::testing::describe_outcome(help) << "\n" << help.err;

  PgOracle oracle(test_server_conninfo());
  weftkit::testing::ScratchDirectory directory("weftkit-pg-case-");
  int first = settings->only_case.value_or(0);
  int last = settings->only_case ? first + 1 : settings->case_count;
  Tally tally;
  std::vector<std::string> reports;
  int disagreements = 0;
  int module_runs = 0;
  for (int index = first; index < last; ++index) {
    PolicyCase policy_case = generate_case(case_seed(settings->seed, index), settings->language);
    OracleAnswer postgres = oracle.answer(policy_case);
    tally.add(policy_case, postgres);
    write_case_files(directory.path(), policy_case);
    // Every engine must give PostgreSQL's answer; the first that does not is reported.
    std::optional<EvalRun> disagreeing;
    for (const std::string& engine : kEvalEngines) {
      if (engine == "aot" && index % settings->aot_every != 0 && !settings->only_case) continue;
      EvalRun eval = run_eval(WEFTKIT_POLICYC_PATH, directory.path(), policy_case, engine);
      if (engine == "jit") tally.add_engine_run(eval);
      if (engine == "aot") ++module_runs;
      if (!agrees(postgres, eval) && !disagreeing) disagreeing = std::move(eval);
    }
    if (!disagreeing) continue;
    const EvalRun& eval = *disagreeing;
    ++disagreements;
    std::string title = "case " + std::to_string(index) + " of seed " + std::to_string(settings->seed) +
                        " (rerun alone: WEFTKIT_PG_SEED=" + std::to_string(settings->seed) +
                        " WEFTKIT_PG_CASE=" + std::to_string(index) + ")";
    std::string report = describe_disagreement(title, policy_case, postgres, eval, WEFTKIT_POLICYC_PATH);
    if (reports.size() < kReportsPrinted) reports.push_back(report);
    if (!settings->save_dir.empty()) save_case(settings->save_dir, index, policy_case, report);
  }

  std::string summary = "seed " + std::to_string(settings->seed) + ", " + std::to_string(last - first) +
                        " cases, features " + settings->language.describe() + ": " +
                        std::to_string(disagreements) + " disagreements (engines jit and interp on every case, aot on " +
                        std::to_string(module_runs) + ")\n" + tally.describe();
  std::cout << summary << "\n";
  RecordProperty("summary", summary);
  std::string shown;
  for (const std::string& report : reports) shown += report + "\n";
  EXPECT_EQ(disagreements, 0) << summary << "\n\nfirst " << reports.size() << " disagreements:\n" << shown
                              << (settings->save_dir.empty() ? "(set WEFTKIT_PG_SAVE_DIR to keep every case's files)\n"
                                                             : "");
}

}  // namespace
}  // namespace weftkit::policy::pgtest
