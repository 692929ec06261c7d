// The plans compiled ahead of use (see known_plans.h).
#include "codegen/native/known_plans.h"

#include "codegen/semantics/principal.h"

namespace weftkit::policy::native {
namespace {

// Every shape plan_statement distinguishes: command, whether it reads columns, RETURNING.
const StatementShape kShapes[] = {
    {StatementCommand::kSelect, true, false},  {StatementCommand::kInsert, false, false},
    {StatementCommand::kInsert, false, true},  {StatementCommand::kUpdate, true, false},
    {StatementCommand::kUpdate, true, true},   {StatementCommand::kUpdate, false, false},
    {StatementCommand::kUpdate, false, true},  {StatementCommand::kDelete, true, false},
    {StatementCommand::kDelete, true, true},   {StatementCommand::kDelete, false, false},
    {StatementCommand::kDelete, false, true},
};

std::vector<semantics::Principal> known_principals(const PolicyProgram& program) {
  std::vector<semantics::Principal> principals;
  for (const UserDefinition& user : program.users) principals.push_back(semantics::resolve_principal(program, user.name, {}));
  for (RoleId role = 0; role < program.roles.size(); ++role) principals.push_back(semantics::resolve_principal(program, "", {role}));
  principals.push_back(semantics::resolve_principal(program, "", {}));
  return principals;
}

}  // namespace

std::vector<KnownPlan> known_principal_plans(const PolicyProgram& program) {
  std::vector<KnownPlan> plans;
  std::vector<semantics::Principal> principals = known_principals(program);
  for (size_t table = 0; table < program.tables.size(); ++table) {
    for (const StatementShape& shape : kShapes) {
      for (const semantics::Principal& principal : principals) {
        auto applies = [&](const RowPolicy& policy) { return semantics::policy_applies_to(program, principal, policy); };
        plans.push_back({table, plan_statement(program.tables[table], shape, applies,
                                               semantics::bypasses_row_security(program, principal))});
      }
    }
  }
  return plans;
}

}  // namespace weftkit::policy::native
