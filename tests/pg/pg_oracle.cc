// The oracle's SQL conversation with the server.
#include "tests/pg/pg_oracle.h"

#include <stdexcept>

#include "tests/pg/case_sql.h"
#include "tests/pg/pg_connection.h"

namespace weftkit::policy::pgtest {
namespace {

std::vector<std::string> role_names(const PolicyCase& policy_case) {
  std::vector<std::string> names;
  for (const Role& role : policy_case.roles) names.push_back(role.name);
  return names;
}

void drop_case_objects(PgConnection& connection, const PolicyCase& policy_case) {
  // A failed row leaves an aborted transaction behind; leave it before dropping anything.
  connection.exec("ROLLBACK");
  connection.exec("RESET SESSION AUTHORIZATION");
  connection.exec_or_throw("DROP TABLE IF EXISTS " + quote_identifier(policy_case.table));
  std::vector<std::string> names = role_names(policy_case);
  names.push_back(policy_case.principal.user);
  names.insert(names.end(), policy_case.other_users.begin(), policy_case.other_users.end());
  for (const std::string& name : names) connection.exec_or_throw("DROP ROLE IF EXISTS " + quote_identifier(name));
}

void create_roles(PgConnection& connection, const PolicyCase& policy_case) {
  const std::string kUnprivileged = " NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE";
  for (const Role& role : policy_case.roles) {
    connection.exec_or_throw("CREATE ROLE " + quote_identifier(role.name) + " NOLOGIN" + kUnprivileged);
  }
  for (const Role& role : policy_case.roles) {
    for (const std::string& inherited : role.inherits) {
      connection.exec_or_throw("GRANT " + quote_identifier(inherited) + " TO " + quote_identifier(role.name));
    }
  }
  std::vector<std::string> users = policy_case.other_users;
  users.push_back(policy_case.principal.user);
  for (const std::string& user : users) {
    connection.exec_or_throw("CREATE ROLE " + quote_identifier(user) + " LOGIN" + kUnprivileged);
  }
  for (const std::string& role : policy_case.principal.roles) {
    connection.exec_or_throw("GRANT " + quote_identifier(role) + " TO " + quote_identifier(policy_case.principal.user));
  }
}

RowOutcome classify(const PolicyCase& policy_case, int row, const QueryResult& result) {
  if (!result.ok) {
    if (result.sqlstate == "42501" && result.message.starts_with(kViolationPrefix)) {
      return violation(row, result.message);
    }
    return error(row, result.message);
  }
  if (result.affected_rows == 1) return pass(row);
  if (result.affected_rows == 0 && policy_case.statement.command != Command::kInsert) return filtered(row);
  throw std::runtime_error("statement for row " + std::to_string(row) + " affected " +
                           std::to_string(result.affected_rows) + " rows; the table held one");
}

RowOutcome run_row(PgConnection& connection, const PolicyCase& policy_case, size_t index) {
  std::vector<std::string> script = row_script(policy_case, index);
  // Every step but the statement under test (second to last) must succeed.
  for (size_t step = 0; step + 2 < script.size(); ++step) connection.exec_or_throw(script[step]);
  QueryResult result = connection.exec(script[script.size() - 2]);
  connection.exec_or_throw(script.back());
  return classify(policy_case, static_cast<int>(index) + 1, result);
}

}  // namespace

OracleAnswer PgOracle::answer(const PolicyCase& policy_case) const {
  // A fresh connection per case: SET of a custom setting such as app.tenant leaves a
  // placeholder behind for the rest of the session (reading '' instead of raising "unrecognized
  // configuration parameter"), even after ROLLBACK, so settings must never leak across cases.
  PgConnection connection = PgConnection::open(conninfo_);
  drop_case_objects(connection, policy_case);
  OracleAnswer answer;
  try {
    create_roles(connection, policy_case);
    for (const std::string& statement : policy_statements(policy_case)) {
      QueryResult result = connection.exec(statement);
      if (!result.ok) {
        answer.rejected_statement = statement;
        answer.rejection_message = result.message;
        break;
      }
    }
    if (!answer.rejected()) {
      connection.exec_or_throw("GRANT SELECT, INSERT, UPDATE, DELETE ON " + quote_identifier(policy_case.table) +
                               " TO " + quote_identifier(policy_case.principal.user));
      size_t row_count = policy_case.rows.size();
      if (policy_case.statement.command == Command::kUpdate && policy_case.new_rows.size() != row_count) {
        throw std::runtime_error("an UPDATE case needs one new row per existing row");
      }
      for (size_t index = 0; index < row_count; ++index) {
        answer.outcomes.push_back(run_row(connection, policy_case, index));
      }
    }
  } catch (...) {
    try {
      drop_case_objects(connection, policy_case);
    } catch (...) {
      // The first failure is the one worth reporting.
    }
    throw;
  }
  drop_case_objects(connection, policy_case);
  return answer;
}

}  // namespace weftkit::policy::pgtest
