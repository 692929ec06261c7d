// A recursive-descent parser for the SQL subset the engine runs (see sql_ast.h).
#pragma once

#include <string_view>
#include <vector>

#include "sql_ast.h"
#include "sql_error.h"

namespace relational {

// Every statement of a simple-query string, in order; empty statements (";;") are dropped.
// The first syntax error fails the whole string, as PostgreSQL does before running any of it.
SqlResult<std::vector<Statement>> parse_statements(std::string_view sql);

// The CREATE TABLE statements of a policy file (which also holds CREATE POLICY, ALTER TABLE,
// ... that the engine does not run): the tables the policies were written against.
// `skipped` gets a line per CREATE TABLE this engine cannot store (an unsupported type).
SqlResult<std::vector<CreateTableStatement>> parse_policy_tables(std::string_view sql, std::vector<std::string>& skipped);

}  // namespace relational
