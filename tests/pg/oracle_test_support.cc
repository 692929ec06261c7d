// Shared fixtures of the hand-written oracle tests.
#include "tests/pg/oracle_test_support.h"

#include <iostream>

#include <gtest/gtest.h>

#include "tests/pg/case_files.h"
#include "tests/pg/eval_cli.h"
#include "tests/pg/pg_test_environment.h"
#include "tests/support/scratch_directory.h"

#ifndef WEFTKIT_POLICYC_PATH
#error "WEFTKIT_POLICYC_PATH must be defined by the build"
#endif

namespace weftkit::policy::pgtest {

PolicyCase docs_case(Command command) {
  PolicyCase policy_case;
  policy_case.table = "docs";
  policy_case.columns = {{"owner", ColumnType::kText}, {"level", ColumnType::kInteger}};
  policy_case.rls = RlsSetting::kEnabled;
  policy_case.roles = {{"app_reader", {}}, {"app_admin", {"app_reader"}}};
  policy_case.other_users = {"bob"};
  policy_case.principal.user = "alice";
  policy_case.statement.command = command;
  return policy_case;
}

Row docs_row(const std::string& owner, std::optional<long long> level) {
  return {Value(owner), level ? Value(*level) : Value(nullptr)};
}

Policy permissive(std::string name, PolicyCommand command, std::optional<std::string> using_expression,
                  std::optional<std::string> check_expression) {
  Policy policy;
  policy.name = std::move(name);
  policy.command = command;
  policy.using_expression = std::move(using_expression);
  policy.check_expression = std::move(check_expression);
  return policy;
}

Policy restrictive(std::string name, PolicyCommand command, std::optional<std::string> using_expression,
                   std::optional<std::string> check_expression) {
  Policy policy = permissive(std::move(name), command, std::move(using_expression), std::move(check_expression));
  policy.restrictive = true;
  return policy;
}

std::vector<RowOutcome> postgres_outcomes(const PolicyCase& policy_case) {
  OracleAnswer answer = PgOracle(test_server_conninfo()).answer(policy_case);
  if (answer.rejected()) {
    ADD_FAILURE() << "PostgreSQL rejected `" << *answer.rejected_statement << "`: " << answer.rejection_message;
    return answer.outcomes;
  }
  // Every hand-written case is also a differential case: eval, with each engine, must give
  // PostgreSQL's answer.
  weftkit::testing::ScratchDirectory directory("weftkit-pg-oracle-");
  write_case_files(directory.path(), policy_case);
  for (const std::string& engine : kEvalEngines) {
    EvalRun eval = run_eval(WEFTKIT_POLICYC_PATH, directory.path(), policy_case, engine);
    if (!eval.outcomes) {
      ADD_FAILURE() << "eval --engine=" << engine << " gave no answer: " << eval.problem;
    } else if (*eval.outcomes != answer.outcomes) {
      std::string shown;
      for (const RowOutcome& outcome : *eval.outcomes) shown += "  " + to_json_line(outcome) + "\n";
      ADD_FAILURE() << "eval --engine=" << engine << " disagrees with PostgreSQL; eval answered:\n" << shown;
    }
    if (std::optional<std::string> reason = jit_fallback_reason(eval)) {
      std::cout << "[ note ] the JIT did not compile " << *reason << "\n";
    }
  }
  return answer.outcomes;
}

}  // namespace weftkit::policy::pgtest
