// Case-file cases for the oracle (see case_file_cases.h).
#include "tests/pg/case_file_cases.h"

#include <nlohmann/json.hpp>

#include "compiler/driver/compile_files.h"

namespace weftkit::policy::pgtest {
namespace {

std::optional<ColumnType> column_type(const SqlType& type) {
  switch (type.id) {
    case TypeId::kBool: return ColumnType::kBoolean;
    case TypeId::kInt2: return ColumnType::kSmallint;
    case TypeId::kInt4: return ColumnType::kInteger;
    case TypeId::kInt8: return ColumnType::kBigint;
    case TypeId::kFloat4: return ColumnType::kReal;
    case TypeId::kFloat8: return ColumnType::kDouble;
    case TypeId::kText: return type.max_length >= 0 ? ColumnType::kVarchar : ColumnType::kText;
    case TypeId::kDate: return ColumnType::kDate;
    case TypeId::kTimestamp: return ColumnType::kTimestamp;
    case TypeId::kUuid: return ColumnType::kUuid;
    default: return std::nullopt;
  }
}

RowOutcome expected_outcome(int row, const std::string& expected) {
  if (expected == "pass") return pass(row);
  if (expected == "filtered") return filtered(row);
  if (expected.rfind("violation: ", 0) == 0) return violation(row, expected.substr(11));
  return error(row, expected.substr(7));  // "error: ", the only other form a case file accepts
}

// The row's values in column order; a missing column is NULL.
std::optional<Row> row_values(const std::string& json, const std::vector<Column>& columns, std::string& problem) {
  nlohmann::json object = nlohmann::json::parse(json, nullptr, false);
  if (!object.is_object()) {
    problem = "the row is not a JSON object: " + json;
    return std::nullopt;
  }
  Row row;
  for (const Column& column : columns) row.push_back(object.contains(column.name) ? object[column.name] : Value(nullptr));
  return row;
}

}  // namespace

std::vector<std::string> split_sql_statements(const std::string& sql) {
  std::vector<std::string> statements;
  std::string current;
  char quote = 0;
  for (char c : sql) {
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == ';') {
      statements.push_back(current);
      current.clear();
      continue;
    }
    current += c;
  }
  statements.push_back(current);
  std::vector<std::string> trimmed;
  for (const std::string& statement : statements) {
    size_t begin = statement.find_first_not_of(" \t\r\n");
    if (begin == std::string::npos) continue;
    trimmed.push_back(statement.substr(begin, statement.find_last_not_of(" \t\r\n") - begin + 1));
  }
  return trimmed;
}

ConvertedCase convert_case(const cases::PolicyCase& source) {
  ConvertedCase converted;
  if (!source.requested_roles.empty()) {
    converted.problem = "PostgreSQL has no requested roles (request:)";
    return converted;
  }
  std::vector<SourceInput> inputs;
  if (!source.roles.empty()) inputs.push_back({"roles.yaml", source.roles});
  inputs.push_back({"policies.sql", source.sql});
  SourceTexts sources;
  Result<PolicyProgram> compiled = compile_sources(inputs, sources);
  if (!compiled.ok()) {
    converted.problem = "the case does not compile:\n" + render_diagnostics(compiled.diagnostics(), sources);
    return converted;
  }
  const PolicyProgram& program = compiled.value();
  const TableDefinition* table = nullptr;
  for (const TableDefinition& candidate : program.tables) {
    if (table == nullptr && (source.table.empty() || source.table == candidate.name.table ||
                             source.table == candidate.name.qualified())) {
      table = &candidate;
    }
  }
  if (table == nullptr) {
    converted.problem = "the case has no such table";
    return converted;
  }

  PolicyCase& c = converted.policy_case;
  c.table = table->name.table;
  for (const ColumnDefinition& column : table->columns) {
    std::optional<ColumnType> type = column_type(column.type);
    if (!type) {
      converted.problem = "column \"" + column.name + "\" has a type the oracle does not model";
      return converted;
    }
    c.columns.push_back(Column{column.name, *type, column.type.max_length});
  }
  c.sql_statements = split_sql_statements(source.sql);
  for (const RoleDefinition& role : program.roles) {
    if (role.builtin) continue;
    Role pg_role{role.name, {}};
    for (RoleId parent : role.inherits) pg_role.inherits.push_back(program.roles[parent].name);
    c.roles.push_back(pg_role);
  }
  c.principal.user = source.user;
  for (const UserDefinition& user : program.users) {
    if (user.name != source.user) {
      c.other_users.push_back(user.name);
      continue;
    }
    for (const RoleGrant& grant : user.roles) c.principal.roles.push_back(program.roles[grant.role].name);
  }
  c.principal.settings = source.settings;
  switch (source.shape.command) {
    case StatementCommand::kSelect: c.statement.command = Command::kSelect; break;
    case StatementCommand::kInsert: c.statement.command = Command::kInsert; break;
    case StatementCommand::kUpdate: c.statement.command = Command::kUpdate; break;
    case StatementCommand::kDelete: c.statement.command = Command::kDelete; break;
  }
  c.statement.reads_columns = source.shape.reads_columns;
  c.statement.returning = source.shape.returning;
  for (size_t index = 0; index < source.rows.size(); ++index) {
    const cases::CaseRow& row = source.rows[index];
    std::optional<Row> values = row_values(row.row_json, c.columns, converted.problem);
    if (!values) return converted;
    c.rows.push_back(*values);
    if (row.new_row_json) {
      std::optional<Row> new_values = row_values(*row.new_row_json, c.columns, converted.problem);
      if (!new_values) return converted;
      c.new_rows.push_back(*new_values);
    }
    converted.expected.push_back(expected_outcome(static_cast<int>(index) + 1, row.expected));
  }
  return converted;
}

}  // namespace weftkit::policy::pgtest
