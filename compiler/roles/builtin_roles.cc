// Definitions of the built-in roles.
#include "compiler/roles/builtin_roles.h"

namespace weftkit::policy {
namespace {

RoleDefinition builtin(std::string name, Effect effect, OpMask ops, std::string written, bool bypass_rls) {
  SourceLocation where{std::string(kBuiltinRoleFile), 0, 0};
  RoleDefinition role;
  role.name = std::move(name);
  role.builtin = true;
  role.bypass_rls = bypass_rls;
  role.where = where;
  role.scope = {ResourcePattern{ResourcePattern::Kind::kAny, {}, {}}};
  role.rules = {PermissionRule{effect, ops, std::move(written), where}};
  return role;
}

}  // namespace

std::vector<RoleDefinition> builtin_roles() {
  constexpr OpMask kReadWrite = op_bit(Operation::kSelect) | op_bit(Operation::kInsert) |
                                op_bit(Operation::kUpdate) | op_bit(Operation::kDelete);
  return {
      builtin("superuser", Effect::kAllow, kAllOperations, "ALL", /*bypass_rls=*/true),
      builtin("read_write", Effect::kAllow, kReadWrite, "SELECT, INSERT, UPDATE, DELETE", false),
      builtin("read_only", Effect::kAllow, op_bit(Operation::kSelect), "SELECT", false),
      builtin("schema_admin", Effect::kAllow, kDdlOperations, "DDL", false),
      // A deny of everything: whatever else the principal holds, deny wins.
      builtin("no_access", Effect::kDeny, kAllOperations, "ALL", false),
  };
}

bool is_builtin_role_name(std::string_view name) {
  return name == "superuser" || name == "read_write" || name == "read_only" || name == "schema_admin" ||
         name == "no_access";
}

}  // namespace weftkit::policy
