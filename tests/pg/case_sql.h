// The SQL text of a case: the DDL that goes into policies.sql (and to PostgreSQL verbatim),
// and the per-row statements the oracle runs.
#pragma once

#include <string>
#include <vector>

#include "tests/pg/policy_case.h"

namespace weftkit::policy::pgtest {

std::string quote_literal(const std::string& text);     // 'it''s'
std::string quote_identifier(const std::string& name);  // "alice"
// A rows.jsonl value as an SQL literal for its column: NULL, TRUE, 42, 'text'.
std::string value_literal(const Value& value);

// CREATE TABLE, ALTER TABLE ... ROW LEVEL SECURITY, CREATE POLICY: one statement per entry,
// without the trailing semicolon.
std::vector<std::string> policy_statements(const PolicyCase& policy_case);
std::string create_policy_statement(const std::string& table, const Policy& policy, const Spelling& spelling = {});
std::string policy_change_statement(const std::string& table, const PolicyChange& change, const Spelling& spelling = {});
// policy_statements joined as the text of policies.sql.
std::string policies_sql_file(const PolicyCase& policy_case);

// The statement under test for row `index` (0-based), run by the principal.
std::string statement_sql(const PolicyCase& policy_case, size_t index);

// Everything the oracle sends for row `index`, from BEGIN to ROLLBACK, as psql-ready text:
// what to paste to reproduce one row's answer by hand.
std::vector<std::string> row_script(const PolicyCase& policy_case, size_t index);

}  // namespace weftkit::policy::pgtest
