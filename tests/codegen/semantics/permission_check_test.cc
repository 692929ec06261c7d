// Permission decisions: built-in roles exactly as the product page's table, deny
// wins across roles, inheritance keeps each role's own scope, deny by default.
#include "codegen/semantics/permission_check.h"

#include <gtest/gtest.h>

#include "compiler/driver/compile_files.h"

namespace weftkit::policy::semantics {
namespace {

PolicyProgram compile_ok(const std::string& text) {
  SourceTexts sources;
  auto result = compile_sources({SourceInput{"roles.yaml", text}}, sources);
  EXPECT_TRUE(result.ok()) << render_diagnostics(result.diagnostics(), sources);
  return std::move(result).value();
}

std::vector<RoleId> ids(const PolicyProgram& program, const std::vector<std::string>& names) {
  std::vector<RoleId> out;
  for (const std::string& name : names) out.push_back(program.find_role(name).value());
  return out;
}

// The operations the principal holding `roles` may perform on `table`, as a mask.
OpMask permitted(const PolicyProgram& program, const std::vector<std::string>& roles, std::string_view table,
                 const std::string& user = "u") {
  Principal principal = resolve_principal(program, user, ids(program, roles));
  ResourceName resource = parse_resource_name(table).name.value();
  OpMask mask = 0;
  for (int index = 0; index < kOperationCount; ++index) {
    auto op = static_cast<Operation>(index);
    bool allowed = is_allowed(program, principal, op, resource);
    EXPECT_EQ(explain(program, principal, op, resource).allowed, allowed) << "explain agrees with the check";
    if (allowed) mask |= op_bit(op);
  }
  return mask;
}

constexpr OpMask kSelect = op_bit(Operation::kSelect);
constexpr OpMask kInsert = op_bit(Operation::kInsert);
constexpr OpMask kUpdate = op_bit(Operation::kUpdate);
constexpr OpMask kDelete = op_bit(Operation::kDelete);

TEST(BuiltinRoles, SuperuserMayDoEveryOperation) {
  PolicyProgram program = compile_ok("[]");
  EXPECT_EQ(permitted(program, {"superuser"}, "orders"), kAllOperations);
  EXPECT_EQ(permitted(program, {"superuser"}, "any.thing"), kAllOperations);
}

TEST(BuiltinRoles, ReadWriteMaySelectInsertUpdateDelete) {
  PolicyProgram program = compile_ok("[]");
  EXPECT_EQ(permitted(program, {"read_write"}, "orders"), kSelect | kInsert | kUpdate | kDelete);
}

TEST(BuiltinRoles, ReadOnlyMayOnlySelect) {
  PolicyProgram program = compile_ok("[]");
  EXPECT_EQ(permitted(program, {"read_only"}, "orders"), kSelect);
}

TEST(BuiltinRoles, SchemaAdminMayDoDdlOnly) {
  PolicyProgram program = compile_ok("[]");
  EXPECT_EQ(permitted(program, {"schema_admin"}, "orders"), kDdlOperations);
}

TEST(BuiltinRoles, NoAccessIsDeniedEverythingWhateverElseIsHeld) {
  PolicyProgram program = compile_ok("[]");
  EXPECT_EQ(permitted(program, {"no_access"}, "orders"), 0u);
  EXPECT_EQ(permitted(program, {"superuser", "no_access"}, "orders"), 0u);
  EXPECT_EQ(permitted(program, {"read_write", "schema_admin", "no_access"}, "sales.x"), 0u);
}

TEST(PermissionCheck, NoRolesMeansDenyByDefault) {
  PolicyProgram program = compile_ok("[]");
  EXPECT_EQ(permitted(program, {}, "orders"), 0u);
  Decision decision = explain(program, resolve_principal(program, "nobody", {}), Operation::kSelect,
                              ResourceName{"public", "orders"});
  EXPECT_FALSE(decision.allowed);
  EXPECT_TRUE(decision.denies.empty());
  EXPECT_TRUE(decision.allows.empty());
}

TEST(PermissionCheck, DenyOfOneRoleWinsOverAllowOfAnother) {
  PolicyProgram program = compile_ok("- name: analyst\n  allow: [SELECT, \"COPY TO\"]\n  deny: [INSERT, UPDATE, DELETE]\n");
  EXPECT_EQ(permitted(program, {"analyst"}, "orders"), kSelect | op_bit(Operation::kCopyTo));
  EXPECT_EQ(permitted(program, {"analyst", "read_write"}, "orders"), kSelect | op_bit(Operation::kCopyTo));
  EXPECT_EQ(permitted(program, {"analyst", "superuser"}, "orders"),
            kAllOperations & ~(kInsert | kUpdate | kDelete));
}

TEST(PermissionCheck, ExplainNamesTheDecidingDenyAndTheOverriddenAllow) {
  PolicyProgram program = compile_ok("- name: analyst\n  deny: [INSERT]\n");
  Principal principal = resolve_principal(program, "u", ids(program, {"read_write", "analyst"}));
  Decision decision = explain(program, principal, Operation::kInsert, ResourceName{"public", "orders"});
  EXPECT_FALSE(decision.allowed);
  ASSERT_EQ(decision.denies.size(), 1u);
  EXPECT_EQ(program.roles[decision.denies[0].role].name, "analyst");
  EXPECT_EQ(decision.denies[0].rule->where.to_string(), "roles.yaml:2:10");
  ASSERT_EQ(decision.allows.size(), 1u);
  EXPECT_EQ(program.roles[decision.allows[0].role].name, "read_write");
}

TEST(PermissionCheck, InheritanceIsTransitive) {
  PolicyProgram program = compile_ok("- name: a\n  inherits: [b]\n- name: b\n  inherits: [c]\n- name: c\n  allow: [TRIGGER]\n");
  EXPECT_EQ(permitted(program, {"a"}, "t"), op_bit(Operation::kTrigger));
  Principal principal = resolve_principal(program, "u", ids(program, {"a"}));
  ASSERT_EQ(principal.roles.size(), 3u);
  EXPECT_EQ(principal.roles[2].source, HeldRole::Source::kInherited);
  EXPECT_EQ(program.roles[principal.roles[2].inherited_by].name, "b");
}

TEST(PermissionCheck, InheritedRoleKeepsItsOwnScope) {
  PolicyProgram program = compile_ok(
      "- name: child\n  inherits: [parent]\n  allow: [INSERT]\n  on: [\"sales.*\"]\n"
      "- name: parent\n  allow: [SELECT]\n  deny: [DELETE]\n  on: [orders]\n");
  EXPECT_EQ(permitted(program, {"child"}, "orders"), kSelect) << "parent's scope, not the child's";
  EXPECT_EQ(permitted(program, {"child"}, "sales.orders"), kInsert);
  EXPECT_EQ(permitted(program, {"child"}, "customers"), 0u);
}

TEST(PermissionCheck, DenyScopedToOneResourceLeavesOthersAlone) {
  PolicyProgram program = compile_ok("- name: guard\n  deny: [DELETE]\n  on: [audit_log]\n");
  EXPECT_EQ(permitted(program, {"read_write", "guard"}, "audit_log"), kSelect | kInsert | kUpdate);
  EXPECT_EQ(permitted(program, {"read_write", "guard"}, "orders"), kSelect | kInsert | kUpdate | kDelete);
}

TEST(PermissionCheck, PatternsSelectExactSchemaAndEverything) {
  PolicyProgram program = compile_ok(
      "- name: exact\n  allow: [SELECT]\n  on: [orders, sales.leads]\n"
      "- name: schema\n  allow: [UPDATE]\n  on: [\"sales.*\"]\n"
      "- name: all\n  allow: [TRUNCATE]\n  on: [\"*\"]\n");
  EXPECT_EQ(permitted(program, {"exact"}, "orders"), kSelect);
  EXPECT_EQ(permitted(program, {"exact"}, "public.orders"), kSelect);
  EXPECT_EQ(permitted(program, {"exact"}, "sales.orders"), 0u);
  EXPECT_EQ(permitted(program, {"exact"}, "sales.leads"), kSelect);
  EXPECT_EQ(permitted(program, {"schema"}, "sales.leads"), kUpdate);
  EXPECT_EQ(permitted(program, {"schema"}, "sales.anything"), kUpdate);
  EXPECT_EQ(permitted(program, {"schema"}, "orders"), 0u);
  EXPECT_EQ(permitted(program, {"all"}, "x.y"), op_bit(Operation::kTruncate));
  EXPECT_EQ(permitted(program, {"exact", "schema", "all"}, "sales.leads"),
            kSelect | kUpdate | op_bit(Operation::kTruncate));
}

TEST(PermissionCheck, UserEntryRolesAndRequestedRolesCombine) {
  PolicyProgram program = compile_ok("users:\n  - name: alice\n    roles: [read_only]\n");
  Principal principal = resolve_principal(program, "alice", ids(program, {"schema_admin"}));
  ASSERT_EQ(principal.roles.size(), 2u);
  EXPECT_EQ(principal.roles[0].source, HeldRole::Source::kUserEntry);
  EXPECT_EQ(principal.roles[0].where.to_string(), "roles.yaml:3:13");
  EXPECT_EQ(principal.roles[1].source, HeldRole::Source::kRequested);
  EXPECT_EQ(permitted(program, {"schema_admin"}, "t", "alice"), kSelect | kDdlOperations);
}

TEST(PermissionCheck, HoldingARoleTwiceCountsOnce) {
  PolicyProgram program = compile_ok("- name: a\n  inherits: [read_only]\n");
  Principal principal = resolve_principal(program, "u", ids(program, {"a", "read_only", "a"}));
  EXPECT_EQ(principal.roles.size(), 2u);
}

}  // namespace
}  // namespace weftkit::policy::semantics
