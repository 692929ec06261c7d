// Statement-by-statement analysis of SQL policy files.
#include "compiler/sema/policy_analyzer.h"

#include <algorithm>

#include "compiler/diag/suggest.h"
#include "compiler/sema/expr_typer.h"
#include "compiler/sema/sema_error.h"

namespace weftkit::policy {
namespace {

PolicyCommand to_policy_command(sql::PolicyCommand command) {
  switch (command) {
    case sql::PolicyCommand::kAll: return PolicyCommand::kAll;
    case sql::PolicyCommand::kSelect: return PolicyCommand::kSelect;
    case sql::PolicyCommand::kInsert: return PolicyCommand::kInsert;
    case sql::PolicyCommand::kUpdate: return PolicyCommand::kUpdate;
    case sql::PolicyCommand::kDelete: return PolicyCommand::kDelete;
  }
  return PolicyCommand::kAll;
}

class Analyzer {
 public:
  Analyzer(PolicyProgram& program, Diagnostics& diagnostics) : program_(program), diagnostics_(diagnostics) {}

  void run(const std::vector<sql::Script>& scripts) {
    for (const sql::Script& script : scripts) {
      for (const sql::Statement& statement : script.statements) {
        try {
          std::visit([&](const auto& node) { apply(node, statement.where); }, statement.node);
        } catch (const SemaError& error) {
          Diagnostic& diagnostic = diagnostics_.error(error.where, error.message);
          diagnostic.notes = error.notes;
        }
      }
    }
    // PostgreSQL applies a table's policies in name order (byte order).
    for (TableDefinition& table : program_.tables) {
      std::sort(table.policies.begin(), table.policies.end(),
                [](const RowPolicy& a, const RowPolicy& b) { return a.name < b.name; });
    }
  }

 private:
  ResourceName resolve_name(const sql::QualifiedName& name) {
    if (name.size() == 1) return ResourceName{std::string(kDefaultSchema), name[0].name};
    if (name.size() == 2) return ResourceName{name[0].name, name[1].name};
    raise_sema_error(name[0].where, "improper relation name (too many dotted names): " + sql::qualified_name_text(name));
  }

  TableDefinition& existing_table(const sql::QualifiedName& name) {
    ResourceName resolved = resolve_name(name);
    for (TableDefinition& table : program_.tables) {
      if (table.name == resolved) return table;
    }
    std::vector<std::string> known;
    for (const TableDefinition& table : program_.tables) known.push_back(table.name.table);
    SemaError error{name[0].where, "relation \"" + sql::qualified_name_text(name) + "\" does not exist", {}};
    if (program_.tables.empty()) {
      error.notes.push_back(Note{{}, "declare the table with CREATE TABLE before its policies"});
    } else if (auto match = closest_match(resolved.table, known)) {
      error.message += "; did you mean \"" + *match + "\"?";
    }
    throw error;
  }

  void apply(const sql::CreateTable& statement, const SourceLocation&) {
    ResourceName name = resolve_name(statement.name);
    for (const TableDefinition& table : program_.tables) {
      if (table.name == name) {
        SemaError error{statement.name.back().where, "relation \"" + name.table + "\" already exists", {}};
        error.notes.push_back(Note{table.where, "first created here"});
        throw error;
      }
    }
    TableDefinition table;
    table.name = name;
    table.where = statement.name.back().where;
    for (const sql::ColumnDefinition& column : statement.columns) {
      if (table.find_column(column.name.name) != nullptr) {
        raise_sema_error(column.name.where, "column \"" + column.name.name + "\" specified more than once");
      }
      std::optional<TypeId> type = type_from_name(column.type.name);
      if (!type || *type == TypeId::kNumeric) {
        raise_sema_error(column.type.where, "column type \"" + column.type.name +
                                                "\" is not supported (supported: boolean, smallint, integer, bigint, "
                                                "real, double precision, text, varchar(n), date, timestamp, "
                                                "timestamptz, uuid)");
      }
      SqlType sql_type{*type};
      if (column.type.name == "varchar" && !column.type.modifiers.empty()) sql_type.max_length = column.type.modifiers[0];
      table.columns.push_back(ColumnDefinition{column.name.name, sql_type, column.not_null || column.primary_key,
                                               column.name.where});
    }
    for (const sql::Identifier& key : statement.primary_key) {
      auto found = std::find_if(table.columns.begin(), table.columns.end(),
                                [&](const ColumnDefinition& column) { return column.name == key.name; });
      if (found == table.columns.end()) {
        raise_sema_error(key.where, "column \"" + key.name + "\" named in key does not exist");
      }
      found->not_null = true;
    }
    program_.tables.push_back(std::move(table));
  }

  void apply(const sql::AlterTableRowSecurity& statement, const SourceLocation&) {
    TableDefinition& table = existing_table(statement.table);
    switch (statement.action) {
      case sql::RowSecurityAction::kEnable: table.rls_enabled = true; break;
      case sql::RowSecurityAction::kDisable: table.rls_enabled = false; break;
      case sql::RowSecurityAction::kForce: table.rls_forced = true; break;
      case sql::RowSecurityAction::kNoForce: table.rls_forced = false; break;
    }
  }

  RowPolicy* find_policy(TableDefinition& table, const std::string& name) {
    for (RowPolicy& policy : table.policies) {
      if (policy.name == name) return &policy;
    }
    return nullptr;
  }

  std::vector<PolicyGrantee> grantees(const std::vector<sql::RoleSpec>& roles) {
    std::vector<PolicyGrantee> result;
    bool has_public = false;
    for (const sql::RoleSpec& role : roles) {
      switch (role.kind) {
        case sql::RoleKind::kPublic:
          has_public = true;
          break;
        case sql::RoleKind::kCurrentUser:
        case sql::RoleKind::kSessionUser:
          diagnostics_.warning(role.where, std::string(role.kind == sql::RoleKind::kCurrentUser ? "CURRENT_USER" : "SESSION_USER") +
                                               " in a TO list names the role that defines the policy, as in "
                                               "PostgreSQL; WeftKit policy files are defined by the built-in " +
                                               std::string(kPolicyDefinerRole) +
                                               ", so this entry matches only principals holding it");
          result.push_back(PolicyGrantee{PolicyGrantee::Kind::kRole, std::string(kPolicyDefinerRole), role.where});
          break;
        case sql::RoleKind::kNamed: {
          bool known = program_.find_role(role.name).has_value() || program_.find_user(role.name) != nullptr;
          if (!known) {
            std::vector<std::string> names;
            for (const RoleDefinition& definition : program_.roles) names.push_back(definition.name);
            for (const UserDefinition& user : program_.users) names.push_back(user.name);
            SemaError error{role.where, "role \"" + role.name + "\" does not exist" + did_you_mean(role.name, names), {}};
            error.notes.push_back(Note{{}, "roles and users are declared in a roles file (.yaml) given with the policies"});
            throw error;
          }
          result.push_back(PolicyGrantee{PolicyGrantee::Kind::kRole, role.name, role.where});
          break;
        }
      }
    }
    if (has_public || roles.empty()) {
      if (has_public && roles.size() > 1) {
        diagnostics_.warning(roles[0].where, "ignoring specified roles other than PUBLIC (PUBLIC includes every role)");
      }
      SourceLocation where = roles.empty() ? SourceLocation{} : roles[0].where;
      return {PolicyGrantee{PolicyGrantee::Kind::kPublic, {}, where}};
    }
    return result;
  }

  // PostgreSQL's per-command rules for which expressions a policy may have.
  void check_clauses(PolicyCommand command, bool has_using, bool has_check, const SourceLocation& where) {
    if (command == PolicyCommand::kInsert && has_using) {
      raise_sema_error(where, "only WITH CHECK expression allowed for INSERT");
    }
    if ((command == PolicyCommand::kSelect || command == PolicyCommand::kDelete) && has_check) {
      raise_sema_error(where, "WITH CHECK cannot be applied to SELECT or DELETE");
    }
  }

  void apply(const sql::CreatePolicy& statement, const SourceLocation& where) {
    TableDefinition& table = existing_table(statement.table);
    if (RowPolicy* existing = find_policy(table, statement.name.name)) {
      SemaError error{statement.name.where,
                      "policy \"" + statement.name.name + "\" for table \"" + table.name.table + "\" already exists", {}};
      error.notes.push_back(Note{existing->where, "first created here"});
      throw error;
    }
    RowPolicy policy;
    policy.name = statement.name.name;
    policy.where = statement.name.where;
    policy.permissive = statement.permissive;
    policy.command = to_policy_command(statement.command);
    check_clauses(policy.command, statement.using_expr != nullptr, statement.with_check != nullptr,
                  statement.command_where.known() ? statement.command_where : where);
    policy.grantees = grantees(statement.roles);
    if (statement.using_expr) policy.using_expr = type_policy_condition(*statement.using_expr, table);
    if (statement.with_check) policy.check_expr = type_policy_condition(*statement.with_check, table);
    table.policies.push_back(std::move(policy));
  }

  void apply(const sql::AlterPolicy& statement, const SourceLocation& where) {
    TableDefinition& table = existing_table(statement.table);
    RowPolicy* policy = find_policy(table, statement.name.name);
    if (policy == nullptr) {
      if (statement.if_exists) return;
      raise_sema_error(statement.name.where,
                       "policy \"" + statement.name.name + "\" for table \"" + table.name.table + "\" does not exist");
    }
    if (statement.rename_to) {
      if (find_policy(table, statement.rename_to->name) != nullptr) {
        raise_sema_error(statement.rename_to->where, "policy \"" + statement.rename_to->name + "\" for table \"" +
                                                         table.name.table + "\" already exists");
      }
      policy->name = statement.rename_to->name;
      return;
    }
    check_clauses(policy->command, statement.using_expr != nullptr, statement.with_check != nullptr, where);
    // Everything is checked before anything changes: a failed ALTER leaves the policy as it was.
    std::optional<std::vector<PolicyGrantee>> new_grantees;
    if (statement.roles) new_grantees = grantees(*statement.roles);
    std::optional<Expr> new_using;
    std::optional<Expr> new_check;
    if (statement.using_expr) new_using = type_policy_condition(*statement.using_expr, table);
    if (statement.with_check) new_check = type_policy_condition(*statement.with_check, table);
    if (new_grantees) policy->grantees = std::move(*new_grantees);
    if (new_using) policy->using_expr = std::move(new_using);
    if (new_check) policy->check_expr = std::move(new_check);
  }

  void apply(const sql::DropPolicy& statement, const SourceLocation&) {
    TableDefinition& table = existing_table(statement.table);
    auto found = std::find_if(table.policies.begin(), table.policies.end(),
                              [&](const RowPolicy& policy) { return policy.name == statement.name.name; });
    if (found == table.policies.end()) {
      if (statement.if_exists) return;
      raise_sema_error(statement.name.where,
                       "policy \"" + statement.name.name + "\" for table \"" + table.name.table + "\" does not exist");
    }
    table.policies.erase(found);
  }

  PolicyProgram& program_;
  Diagnostics& diagnostics_;
};

}  // namespace

void analyze_policies(const std::vector<sql::Script>& scripts, PolicyProgram& program, Diagnostics& diagnostics) {
  Analyzer(program, diagnostics).run(scripts);
}

}  // namespace weftkit::policy
