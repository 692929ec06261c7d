// One differential test case: a table, its row-level security policies, the roles around
// them, a principal, a statement and the rows it runs on. Both PostgreSQL and
// `weftkit-policyc eval` are given exactly this.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace weftkit::policy::pgtest {

enum class ColumnType {
  kBoolean, kSmallint, kInteger, kBigint, kReal, kDouble, kText, kVarchar, kDate, kTimestamp, kUuid
};

struct Column {
  std::string name;
  ColumnType type = ColumnType::kInteger;
  int varchar_length = 0;  // kVarchar only
};

// The SQL spelling of a column's type: "integer", "varchar(10)", ...
std::string sql_type(const Column& column);

enum class RlsSetting {
  kNotEnabled,  // no ALTER TABLE at all
  kEnabled,     // ENABLE ROW LEVEL SECURITY
  kForced,      // ENABLE and FORCE (changes nothing for a non-owner, which the principal is)
  kDisabled,    // ENABLE, then DISABLE again
};

enum class Command { kSelect, kInsert, kUpdate, kDelete };
enum class PolicyCommand { kAll, kSelect, kInsert, kUpdate, kDelete };

const char* command_name(Command command);                // "SELECT", ...
const char* policy_command_name(PolicyCommand command);  // "ALL", "SELECT", ...

struct Policy {
  std::string name;
  bool restrictive = false;
  PolicyCommand command = PolicyCommand::kAll;
  std::vector<std::string> to;  // as written: PUBLIC, CURRENT_USER or role names; empty = no TO
  std::optional<std::string> using_expression;
  std::optional<std::string> check_expression;
  bool spell_out_defaults = false;  // write AS PERMISSIVE and FOR ALL even though they are defaults
};

// A change to the policies after they were created: ALTER POLICY or DROP POLICY.
struct PolicyChange {
  enum class Kind { kRename, kAlterTo, kAlterUsing, kAlterCheck, kDrop };
  Kind kind = Kind::kDrop;
  std::string policy;              // the policy's name at the time of the change
  std::string new_name;            // kRename
  std::vector<std::string> to;     // kAlterTo
  std::string expression;          // kAlterUsing, kAlterCheck
  bool if_exists = false;          // kDrop
};

// How policies.sql is written: the same meaning in other words, for the parser's sake.
struct Spelling {
  bool lower_case_keywords = false;  // create policy ... on ... for select
  bool qualified_table = false;      // public.docs
  bool comments = false;             // -- and /* */ comments
};

// A role in roles.yaml and in PostgreSQL (a NOLOGIN role; `inherits` become GRANT a TO b).
struct Role {
  std::string name;
  std::vector<std::string> inherits;
};

struct Principal {
  std::string user;                // current_user and session_user
  std::vector<std::string> roles;  // granted directly (the users: entry of roles.yaml)
  std::vector<std::pair<std::string, std::string>> settings;  // SET name = 'value', in order
};

struct Statement {
  Command command = Command::kSelect;
  bool reads_columns = true;  // a WHERE clause that refers to a column; false is --no-read
  bool returning = false;     // RETURNING *
};

// A column value as rows.jsonl spells it: null, boolean, integer, floating-point number or
// string (also "NaN", "Infinity", "-Infinity" for floating-point columns).
using Value = nlohmann::json;
// One value per column, in column order.
using Row = std::vector<Value>;

struct PolicyCase {
  std::string table = "t";
  std::vector<Column> columns;
  RlsSetting rls = RlsSetting::kEnabled;
  std::vector<Policy> policies;
  std::vector<PolicyChange> changes;  // applied in order after every CREATE POLICY
  // When not empty, policies.sql is exactly these statements (a case file's text, split at its
  // semicolons) in place of the CREATE TABLE, rls, policies and changes above, which are then
  // unused; `columns` must still describe the table.
  std::vector<std::string> sql_statements;
  Spelling spelling;
  std::vector<Role> roles;               // every role that exists, held or not
  std::vector<std::string> other_users;  // login users besides the principal
  Principal principal;
  Statement statement;
  std::vector<Row> rows;      // existing rows (SELECT, UPDATE, DELETE) or new rows (INSERT)
  std::vector<Row> new_rows;  // UPDATE only: the new row for each existing row, pairwise
};

}  // namespace weftkit::policy::pgtest
