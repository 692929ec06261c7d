// Rendering of cases to SQL. Names are quoted only where PostgreSQL needs it, so that
// policies.sql reads like something a person wrote.
#include "tests/pg/case_sql.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace weftkit::policy::pgtest {
namespace {

bool is_plain_identifier(const std::string& name) {
  if (name.empty() || !(std::islower(static_cast<unsigned char>(name[0])) || name[0] == '_')) return false;
  for (char c : name) {
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_')) {
      return false;
    }
  }
  return true;
}

// Column and table names in policies.sql: bare when they can be (the generator only uses
// names that are not reserved words), quoted otherwise.
std::string sql_name(const std::string& name) { return is_plain_identifier(name) ? name : quote_identifier(name); }

// Keywords of the statement skeleton, upper case unless the case is spelt in lower case.
std::string keyword(const Spelling& spelling, std::string words) {
  if (spelling.lower_case_keywords) {
    std::transform(words.begin(), words.end(), words.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  }
  return words;
}

std::string table_name(const std::string& table, const Spelling& spelling) {
  return (spelling.qualified_table ? "public." : "") + sql_name(table);
}

std::string column_list(const PolicyCase& policy_case) {
  std::string list;
  for (const Column& column : policy_case.columns) {
    list += (list.empty() ? "" : ", ") + quote_identifier(column.name);
  }
  return list;
}

std::string values_list(const Row& row) {
  std::string list;
  for (const Value& value : row) list += (list.empty() ? "" : ", ") + value_literal(value);
  return list;
}

// A WHERE clause that reads a column and is true for every row, so it changes which
// policies apply (SELECT ones join in) but never which rows match by itself.
std::string reading_where_clause(const PolicyCase& policy_case) {
  std::string column = quote_identifier(policy_case.columns.front().name);
  return " WHERE " + column + " IS NULL OR " + column + " IS NOT NULL";
}

}  // namespace

std::string sql_type(const Column& column) {
  switch (column.type) {
    case ColumnType::kBoolean: return "boolean";
    case ColumnType::kSmallint: return "smallint";
    case ColumnType::kInteger: return "integer";
    case ColumnType::kBigint: return "bigint";
    case ColumnType::kReal: return "real";
    case ColumnType::kDouble: return "double precision";
    case ColumnType::kText: return "text";
    case ColumnType::kVarchar: return "varchar(" + std::to_string(column.varchar_length) + ")";
    case ColumnType::kDate: return "date";
    case ColumnType::kTimestamp: return "timestamp";
    case ColumnType::kUuid: return "uuid";
  }
  return "";
}

const char* command_name(Command command) {
  switch (command) {
    case Command::kSelect: return "SELECT";
    case Command::kInsert: return "INSERT";
    case Command::kUpdate: return "UPDATE";
    case Command::kDelete: return "DELETE";
  }
  return "";
}

const char* policy_command_name(PolicyCommand command) {
  switch (command) {
    case PolicyCommand::kAll: return "ALL";
    case PolicyCommand::kSelect: return "SELECT";
    case PolicyCommand::kInsert: return "INSERT";
    case PolicyCommand::kUpdate: return "UPDATE";
    case PolicyCommand::kDelete: return "DELETE";
  }
  return "";
}

std::string quote_literal(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) {
    quoted += c;
    if (c == '\'') quoted += '\'';
  }
  return quoted + "'";
}

std::string quote_identifier(const std::string& name) {
  std::string quoted = "\"";
  for (char c : name) {
    quoted += c;
    if (c == '"') quoted += '"';
  }
  return quoted + "\"";
}

std::string value_literal(const Value& value) {
  if (value.is_null()) return "NULL";
  if (value.is_boolean()) return value.get<bool>() ? "TRUE" : "FALSE";
  if (value.is_number_integer()) return value.dump();
  // Quoted, so that PostgreSQL reads the digits with the column type's own input function.
  if (value.is_number_float()) return quote_literal(value.dump());
  if (value.is_string()) return quote_literal(value.get<std::string>());
  throw std::invalid_argument("unsupported row value " + value.dump());
}

std::string create_policy_statement(const std::string& table, const Policy& policy, const Spelling& spelling) {
  std::string sql = keyword(spelling, "CREATE POLICY ") + sql_name(policy.name);
  if (spelling.comments) sql += std::string(" /* for ") + policy_command_name(policy.command) + " */";
  sql += keyword(spelling, " ON ") + table_name(table, spelling);
  if (policy.restrictive) {
    sql += keyword(spelling, " AS RESTRICTIVE");
  } else if (policy.spell_out_defaults) {
    sql += keyword(spelling, " AS PERMISSIVE");
  }
  if (policy.command != PolicyCommand::kAll || policy.spell_out_defaults) {
    sql += keyword(spelling, std::string(" FOR ") + policy_command_name(policy.command));
  }
  if (!policy.to.empty()) {
    sql += keyword(spelling, " TO ");
    for (size_t index = 0; index < policy.to.size(); ++index) sql += (index ? ", " : "") + policy.to[index];
  }
  if (policy.using_expression) sql += keyword(spelling, " USING (") + *policy.using_expression + ")";
  if (policy.check_expression) sql += keyword(spelling, " WITH CHECK (") + *policy.check_expression + ")";
  return sql;
}

std::string policy_change_statement(const std::string& table, const PolicyChange& change, const Spelling& spelling) {
  std::string on = keyword(spelling, " ON ") + table_name(table, spelling);
  std::string alter = keyword(spelling, "ALTER POLICY ") + sql_name(change.policy) + on;
  switch (change.kind) {
    case PolicyChange::Kind::kRename: return alter + keyword(spelling, " RENAME TO ") + sql_name(change.new_name);
    case PolicyChange::Kind::kAlterTo: {
      std::string roles;
      for (const std::string& role : change.to) roles += (roles.empty() ? "" : ", ") + role;
      return alter + keyword(spelling, " TO ") + roles;
    }
    case PolicyChange::Kind::kAlterUsing: return alter + keyword(spelling, " USING (") + change.expression + ")";
    case PolicyChange::Kind::kAlterCheck: return alter + keyword(spelling, " WITH CHECK (") + change.expression + ")";
    case PolicyChange::Kind::kDrop:
      return keyword(spelling, change.if_exists ? "DROP POLICY IF EXISTS " : "DROP POLICY ") + sql_name(change.policy) + on;
  }
  return "";
}

std::vector<std::string> policy_statements(const PolicyCase& policy_case) {
  if (!policy_case.sql_statements.empty()) return policy_case.sql_statements;
  const Spelling& spelling = policy_case.spelling;
  std::vector<std::string> statements;
  std::string table = table_name(policy_case.table, spelling);
  std::string create = keyword(spelling, "CREATE TABLE ") + table + " (";
  for (size_t index = 0; index < policy_case.columns.size(); ++index) {
    const Column& column = policy_case.columns[index];
    create += (index ? ", " : "") + sql_name(column.name) + " " + keyword(spelling, sql_type(column));
  }
  statements.push_back(create + ")");
  std::string alter = keyword(spelling, "ALTER TABLE ") + table;
  if (policy_case.rls != RlsSetting::kNotEnabled) {
    statements.push_back(alter + keyword(spelling, " ENABLE ROW LEVEL SECURITY"));
  }
  if (policy_case.rls == RlsSetting::kForced) statements.push_back(alter + keyword(spelling, " FORCE ROW LEVEL SECURITY"));
  if (policy_case.rls == RlsSetting::kDisabled) {
    statements.push_back(alter + keyword(spelling, " DISABLE ROW LEVEL SECURITY"));
  }
  for (const Policy& policy : policy_case.policies) {
    statements.push_back(create_policy_statement(policy_case.table, policy, spelling));
  }
  for (const PolicyChange& change : policy_case.changes) {
    statements.push_back(policy_change_statement(policy_case.table, change, spelling));
  }
  return statements;
}

std::string policies_sql_file(const PolicyCase& policy_case) {
  std::string text = policy_case.spelling.comments ? "-- Generated by the WeftKit Policy differential test.\n" : "";
  for (const std::string& statement : policy_statements(policy_case)) text += statement + ";\n";
  return text;
}

std::string statement_sql(const PolicyCase& policy_case, size_t index) {
  const Statement& statement = policy_case.statement;
  std::string table = quote_identifier(policy_case.table);
  std::string where = statement.reads_columns ? reading_where_clause(policy_case) : "";
  std::string returning = statement.returning ? " RETURNING *" : "";
  switch (statement.command) {
    case Command::kSelect:
      // Without a WHERE clause the SELECT list still reads nothing: SELECT policies apply regardless.
      return statement.reads_columns ? "SELECT * FROM " + table + where : "SELECT 1 FROM " + table;
    case Command::kInsert:
      return "INSERT INTO " + table + " (" + column_list(policy_case) + ") VALUES (" +
             values_list(policy_case.rows.at(index)) + ")" + returning;
    case Command::kUpdate: {
      const Row& new_row = policy_case.new_rows.at(index);
      std::string assignments;
      for (size_t column = 0; column < policy_case.columns.size(); ++column) {
        assignments += (column ? ", " : "") + quote_identifier(policy_case.columns[column].name) + " = " +
                       value_literal(new_row.at(column));
      }
      return "UPDATE " + table + " SET " + assignments + where + returning;
    }
    case Command::kDelete:
      return "DELETE FROM " + table + where + returning;
  }
  return "";
}

std::vector<std::string> row_script(const PolicyCase& policy_case, size_t index) {
  std::vector<std::string> script = {"BEGIN"};
  if (policy_case.statement.command != Command::kInsert) {
    // As the superuser, which row-level security never filters: the row exists for this
    // statement only and disappears with the ROLLBACK.
    script.push_back("INSERT INTO " + quote_identifier(policy_case.table) + " (" + column_list(policy_case) +
                     ") VALUES (" + values_list(policy_case.rows.at(index)) + ")");
  }
  // SET SESSION AUTHORIZATION makes both session_user and current_user the principal.
  script.push_back("SET SESSION AUTHORIZATION " + quote_identifier(policy_case.principal.user));
  for (const auto& [name, value] : policy_case.principal.settings) {
    script.push_back("SELECT set_config(" + quote_literal(name) + ", " + quote_literal(value) + ", false)");
  }
  script.push_back(statement_sql(policy_case, index));
  script.push_back("ROLLBACK");
  return script;
}

}  // namespace weftkit::policy::pgtest
