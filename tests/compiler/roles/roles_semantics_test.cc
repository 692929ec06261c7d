// What a valid roles file compiles to: roles, scopes, inheritance, users, and the matrix.
#include <gtest/gtest.h>

#include "compiler/driver/compile_files.h"
#include "compiler/roles/builtin_roles.h"

namespace weftkit::policy {
namespace {

PolicyProgram compile_ok(const std::string& text) {
  SourceTexts sources;
  auto result = compile_sources({SourceInput{"roles.yaml", text}}, sources);
  EXPECT_TRUE(result.ok()) << render_diagnostics(result.diagnostics(), sources);
  return std::move(result).value();
}

TEST(RolesSemantics, BuiltinRolesExistWithoutDeclarationInFixedOrder) {
  PolicyProgram program = compile_ok("[]");
  std::vector<std::string> names;
  for (const RoleDefinition& role : program.roles) names.push_back(role.name);
  EXPECT_EQ(names, (std::vector<std::string>{"superuser", "read_write", "read_only", "schema_admin", "no_access"}));
  for (const RoleDefinition& role : program.roles) EXPECT_TRUE(role.builtin);
  EXPECT_TRUE(program.roles[0].bypass_rls) << "superuser bypasses row-level security";
  for (size_t index = 1; index < 5; ++index) EXPECT_FALSE(program.roles[index].bypass_rls);
}

TEST(RolesSemantics, TopLevelListIsTheProductPageFormat) {
  PolicyProgram program = compile_ok("- name: analyst\n  allow: [SELECT, \"COPY TO\"]\n  deny: [INSERT, UPDATE, DELETE]\n");
  RoleId analyst = program.find_role("analyst").value();
  EXPECT_EQ(program.roles[analyst].mask(Effect::kAllow), op_bit(Operation::kSelect) | op_bit(Operation::kCopyTo));
  EXPECT_EQ(program.roles[analyst].mask(Effect::kDeny),
            op_bit(Operation::kInsert) | op_bit(Operation::kUpdate) | op_bit(Operation::kDelete));
  EXPECT_EQ(program.roles[analyst].where.to_string(), "roles.yaml:1:9");
}

TEST(RolesSemantics, RolesMayBeUsedBeforeTheyAreDefinedAndAcrossFiles) {
  SourceTexts sources;
  auto result = compile_sources({{"users.yaml", "users:\n  - name: u\n    roles: [child]\n"},
                                 {"roles.yml", "- name: child\n  inherits: [parent]\n- name: parent\n"}},
                                sources);
  ASSERT_TRUE(result.ok()) << render_diagnostics(result.diagnostics(), sources);
  const PolicyProgram& program = result.value();
  RoleId child = program.find_role("child").value();
  RoleId parent = program.find_role("parent").value();
  EXPECT_EQ(program.roles[child].inherits, std::vector<RoleId>{parent});
  ASSERT_EQ(program.users.size(), 1u);
  EXPECT_EQ(program.users[0].roles[0].role, child);
  EXPECT_EQ(program.users[0].roles[0].where.to_string(), "users.yaml:3:13");
}

TEST(RolesSemantics, UsersCarryTheirTenant) {
  PolicyProgram program = compile_ok("users:\n  - name: alice\n    roles: [read_only]\n    tenant: tenant-001\n"
                                     "  - name: svc\n    roles: []\n");
  EXPECT_EQ(program.find_user("alice")->tenant, "tenant-001");
  EXPECT_EQ(program.find_user("svc")->tenant, std::nullopt);
  EXPECT_EQ(program.find_user("nobody"), nullptr);
}

TEST(RolesSemantics, ScopeDefaultsToEveryResource) {
  PolicyProgram program = compile_ok("- name: a\n  allow: [SELECT]\n- name: b\n  allow: [SELECT]\n  on: [orders, \"sales.*\"]\n");
  const RoleDefinition& a = program.roles[program.find_role("a").value()];
  const RoleDefinition& b = program.roles[program.find_role("b").value()];
  ASSERT_EQ(a.scope.size(), 1u);
  EXPECT_EQ(a.scope[0].kind, ResourcePattern::Kind::kAny);
  ASSERT_EQ(b.scope.size(), 2u);
  EXPECT_EQ(b.scope[0].text(), "public.orders");
  EXPECT_EQ(b.scope[1].text(), "sales.*");
}

TEST(RolesSemantics, CustomRoleMayBypassRowLevelSecurity) {
  PolicyProgram program = compile_ok("- name: a\n  bypass_rls: true\n- name: b\n  bypass_rls: false\n");
  EXPECT_TRUE(program.roles[program.find_role("a").value()].bypass_rls);
  EXPECT_FALSE(program.roles[program.find_role("b").value()].bypass_rls);
}

TEST(RolesSemantics, MatrixHoldsEachRolesMasksOnlyWhereItsScopeApplies) {
  PolicyProgram program = compile_ok("- name: a\n  allow: [SELECT]\n  deny: [DELETE]\n  on: [orders]\n");
  RoleId a = program.find_role("a").value();
  const auto& table = program.resource_classes;
  ResourceClassId orders = table.classify(ResourceName{"public", "orders"});
  ResourceClassId other = table.classify(ResourceName{"public", "customers"});
  EXPECT_NE(orders, other);
  EXPECT_EQ(program.permissions.allow_at(a, orders), op_bit(Operation::kSelect));
  EXPECT_EQ(program.permissions.deny_at(a, orders), op_bit(Operation::kDelete));
  EXPECT_EQ(program.permissions.allow_at(a, other), 0u);
  EXPECT_EQ(program.permissions.deny_at(a, other), 0u);
  RoleId read_only = program.find_role("read_only").value();
  EXPECT_EQ(program.permissions.allow_at(read_only, other), op_bit(Operation::kSelect));
}

TEST(RolesSemantics, OperationNamesAreCaseInsensitiveInRoleFiles) {
  PolicyProgram program = compile_ok("- name: a\n  allow: [select, 'copy to', Ddl]\n");
  EXPECT_EQ(program.roles[program.find_role("a").value()].mask(Effect::kAllow),
            op_bit(Operation::kSelect) | op_bit(Operation::kCopyTo) | kDdlOperations);
}

}  // namespace
}  // namespace weftkit::policy
