// Row-level security in the policy program: tables (from CREATE TABLE), whether RLS is
// enabled, and their policies (from CREATE / ALTER / DROP POLICY), typed and folded.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/diag/source_location.h"
#include "compiler/ir/expr.h"
#include "compiler/ir/resource_pattern.h"
#include "compiler/values/sql_type.h"

namespace weftkit::policy {

struct ColumnDefinition {
  std::string name;
  SqlType type;
  bool not_null = false;
  SourceLocation where;
};

enum class PolicyCommand : uint8_t { kAll, kSelect, kInsert, kUpdate, kDelete };
enum class StatementCommand : uint8_t { kSelect, kInsert, kUpdate, kDelete };

std::string_view policy_command_name(PolicyCommand command);
std::string_view statement_command_name(StatementCommand command);

// A role named in a policy's TO list.
struct PolicyGrantee {
  enum class Kind : uint8_t { kPublic, kRole };
  Kind kind = Kind::kPublic;
  std::string role;  // kRole: a role name (or a user name: users are roles in PostgreSQL)
  SourceLocation where;
};

struct RowPolicy {
  std::string name;
  bool permissive = true;
  PolicyCommand command = PolicyCommand::kAll;
  std::vector<PolicyGrantee> grantees;  // never empty (PUBLIC when none was written)
  std::optional<Expr> using_expr;
  std::optional<Expr> check_expr;
  SourceLocation where;
};

struct TableDefinition {
  ResourceName name;
  std::vector<ColumnDefinition> columns;
  bool rls_enabled = false;
  bool rls_forced = false;  // recorded; principals are never table owners, so it changes nothing
  std::vector<RowPolicy> policies;  // sorted by name, as PostgreSQL applies them
  SourceLocation where;

  const ColumnDefinition* find_column(std::string_view column) const;
  std::optional<uint32_t> column_index(std::string_view column) const;
};

}  // namespace weftkit::policy
