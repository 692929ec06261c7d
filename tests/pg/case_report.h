// Human-readable reports of a case and of a disagreement, complete enough to reproduce it by
// hand: the files eval was given, its command line, and the SQL the oracle ran for each row.
#pragma once

#include <string>
#include <vector>

#include "tests/pg/eval_cli.h"
#include "tests/pg/pg_oracle.h"
#include "tests/pg/policy_case.h"

namespace weftkit::policy::pgtest {

// policies.sql, roles.yaml, the principal, the statement, rows.jsonl and new.jsonl.
std::string describe_case(const PolicyCase& policy_case);

// The case, eval's command line, PostgreSQL's and eval's answers side by side (differing rows
// marked), eval's stderr, and the oracle's SQL for the first differing row.
std::string describe_disagreement(const std::string& title, const PolicyCase& policy_case,
                                  const OracleAnswer& postgres, const EvalRun& eval, const std::string& policyc);

}  // namespace weftkit::policy::pgtest
