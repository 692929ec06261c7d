// Building blocks for the oracle tests: a small documents table, policies in one line, and
// PostgreSQL's answer for a case (eval's answers held to it).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tests/pg/pg_oracle.h"
#include "tests/pg/policy_case.h"

namespace weftkit::policy::pgtest {

// Table docs(owner text, level integer) with row-level security enabled and no policies;
// principal alice (holding no roles) among roles app_reader and app_admin (app_admin
// inherits app_reader) and a second user bob.
PolicyCase docs_case(Command command);

// Rows of docs: {owner, level}; a null level is written as std::nullopt.
Row docs_row(const std::string& owner, std::optional<long long> level);

Policy permissive(std::string name, PolicyCommand command, std::optional<std::string> using_expression,
                  std::optional<std::string> check_expression = std::nullopt);
Policy restrictive(std::string name, PolicyCommand command, std::optional<std::string> using_expression,
                   std::optional<std::string> check_expression = std::nullopt);

// Asks the test server; fails the test (and returns empty) when PostgreSQL rejects the DDL.
std::vector<RowOutcome> postgres_outcomes(const PolicyCase& policy_case);

}  // namespace weftkit::policy::pgtest
