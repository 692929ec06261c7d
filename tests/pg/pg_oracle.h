// PostgreSQL's answer for a case, row by row, in the output format of `weftkit-policyc eval`.
//
// Method, for each case on a fresh connection as the superuser: create the roles (users
// LOGIN, roles NOLOGIN, none SUPERUSER or BYPASSRLS; held roles and role inheritance as
// GRANTs), run policies.sql, grant the principal SELECT/INSERT/UPDATE/DELETE on the table.
// Then each row runs in its own transaction, so rows are independent and a runtime error in
// one cannot affect another: BEGIN; insert the existing row as the superuser (not for
// INSERT); SET SESSION AUTHORIZATION principal; set its settings; the statement; ROLLBACK.
// The table is empty between rows. Everything the case created is dropped afterwards.
//
// Answers: a statement that affected its row is "pass", one that affected none "filtered";
// SQLSTATE 42501 "new row violates row-level security policy ..." is "violation"; any other
// error is "error" with PostgreSQL's primary message.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tests/pg/policy_case.h"
#include "tests/pg/row_outcome.h"

namespace weftkit::policy::pgtest {

struct OracleAnswer {
  // Set when PostgreSQL refused a statement of policies.sql: then there are no row outcomes.
  std::optional<std::string> rejected_statement;
  std::string rejection_message;
  std::vector<RowOutcome> outcomes;

  bool rejected() const { return rejected_statement.has_value(); }
};

class PgOracle {
 public:
  explicit PgOracle(std::string superuser_conninfo) : conninfo_(std::move(superuser_conninfo)) {}

  // Throws std::runtime_error when the harness itself fails (e.g. the superuser cannot insert
  // a generated row): that is a bug in the test, never an answer.
  OracleAnswer answer(const PolicyCase& policy_case) const;

 private:
  std::string conninfo_;
};

// The message PostgreSQL gives a row-level security violation (the message of any
// restrictive policy that failed names it instead).
inline constexpr const char* kViolationPrefix = "new row violates row-level security policy";

}  // namespace weftkit::policy::pgtest
