// Building eval's command line and classifying what it did.
#include "tests/pg/eval_cli.h"

#include <cctype>

#include "tests/pg/case_files.h"

namespace weftkit::policy::pgtest {
namespace {

using namespace std::chrono_literals;

constexpr auto kEvalTimeout = 60s;

std::string shell_quote(const std::string& word) {
  bool plain = !word.empty();
  for (char c : word) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || std::string("-_./=:,@").find(c) != std::string::npos)) {
      plain = false;
    }
  }
  if (plain) return word;
  std::string quoted = "'";
  for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

}  // namespace

std::vector<std::string> eval_arguments(const PolicyCase& policy_case) {
  std::vector<std::string> arguments = {"eval", kPoliciesFile, kRolesFile, "--table", policy_case.table,
                                        "--command", command_name(policy_case.statement.command),
                                        "--user", policy_case.principal.user};
  for (const auto& [name, value] : policy_case.principal.settings) {
    arguments.push_back("--set");
    arguments.push_back(name + "=" + value);
  }
  arguments.push_back("--rows");
  arguments.push_back(kRowsFile);
  if (policy_case.statement.command == Command::kUpdate) {
    arguments.push_back("--new-rows");
    arguments.push_back(kNewRowsFile);
  }
  if (!policy_case.statement.reads_columns) arguments.push_back("--no-read");
  if (policy_case.statement.returning) arguments.push_back("--returning");
  return arguments;
}

EvalRun run_eval(const std::string& policyc, const std::string& directory, const PolicyCase& policy_case,
                 const std::string& engine) {
  EvalRun run;
  run.arguments = eval_arguments(policy_case);
  run.arguments.push_back("--engine=" + engine);
  weftkit::testing::ProcessSpec spec;
  spec.program = policyc;
  spec.arguments = run.arguments;
  spec.working_directory = directory;
  run.process = weftkit::testing::run_to_completion(spec, kEvalTimeout);
  if (run.process.exit_code != 0) {
    run.problem = "weftkit-policyc " + weftkit::testing::describe_outcome(run.process);
    return run;
  }
  std::string problem;
  run.outcomes = parse_json_lines(run.process.out, problem);
  if (!run.outcomes) run.problem = "unreadable output: " + problem;
  return run;
}

std::optional<std::string> jit_fallback_reason(const EvalRun& run) {
  static const std::string kPrefix = "weftkit-policyc: note: the JIT does not compile ";
  static const std::string kSuffix = "; evaluated by the reference interpreter";
  size_t start = run.process.err.find(kPrefix);
  if (start == std::string::npos) return std::nullopt;
  start += kPrefix.size();
  size_t end = run.process.err.find(kSuffix, start);
  return run.process.err.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

std::string shell_command(const std::string& policyc, const std::vector<std::string>& arguments) {
  std::string line = shell_quote(policyc);
  for (const std::string& argument : arguments) line += " " + shell_quote(argument);
  return line;
}

}  // namespace weftkit::policy::pgtest
