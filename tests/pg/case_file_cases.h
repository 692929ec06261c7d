// A case of tests/cases (case_file.h) as the oracle's PolicyCase, so that PostgreSQL answers
// the very cases the engines are held to: the table's columns and the roles come from
// compiling the case's files, policies.sql is the case's SQL verbatim.
#pragma once

#include <string>
#include <vector>

#include "tests/cases/case_file.h"
#include "tests/pg/policy_case.h"
#include "tests/pg/row_outcome.h"

namespace weftkit::policy::pgtest {

struct ConvertedCase {
  PolicyCase policy_case;
  std::vector<RowOutcome> expected;  // the case file's answers, in the oracle's form
  std::string problem;               // why the case cannot be asked of PostgreSQL (empty when it can)
};

ConvertedCase convert_case(const cases::PolicyCase& source);

// The case's SQL as statements: split at semicolons outside quotes, without them.
std::vector<std::string> split_sql_statements(const std::string& sql);

}  // namespace weftkit::policy::pgtest
