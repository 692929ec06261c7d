// The user directory a policy version hands the login backends (roles.yaml's users: with their
// default and other tenants, and which role names exist) is the same whether the version is
// compiled in process, interpreted, or loaded from an ahead-of-time module.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "codegen/core/core_policy_version.h"
#include "compiler/driver/compile_files.h"
#include "tests/runtime/jit_and_module_versions.h"
#include "tests/runtime/policy_files.h"

namespace weftkit {
namespace {

constexpr const char* kRoles =
    "roles:\n"
    "  - name: analyst\n"
    "    allow: [SELECT]\n"
    "users:\n"
    "  - name: alice\n"
    "    roles: [analyst, read_only]\n"
    "    tenant: tenant-001\n"
    "    tenants: [tenant-002, \"t\\u00e9nant 3\"]\n"
    "  - name: bob\n"
    "    roles: [read_write]\n"
    "  - name: carol@example.com\n"
    "    roles: []\n"
    "    tenants: [tenant-009]\n";

constexpr const char* kPolicies = "CREATE TABLE orders (id int, tenant_id text);\n";

std::string describe(const std::optional<DirectoryUser>& user) {
  if (!user) return "unknown";
  std::string out = "default=" + user->default_tenant.value_or("<none>") + " others=";
  for (const std::string& tenant : user->other_tenants) out += "[" + tenant + "]";
  out += " roles=";
  for (const std::string& role : user->roles) out += "[" + role + "]";
  return out;
}

std::vector<std::pair<std::string, std::shared_ptr<const PolicyVersion>>> every_kind(const testing::PolicyFiles& files) {
  testing::JitAndModuleVersions versions = testing::compile_jit_and_module(files.paths());
  EXPECT_EQ(versions.error, "");
  policy::SourceTexts sources;
  policy::Result<policy::PolicyProgram> program = policy::compile_files(files.paths(), sources);
  EXPECT_TRUE(program.ok());
  return {{"jit", versions.jit},
          {"module", versions.module},
          {"interpreted", policy::core::make_interpreted_policy_version(std::move(program).value(), "test")}};
}

TEST(UserDirectory, EveryKindOfVersionListsAUsersDefaultAndOtherTenantsAndRoles) {
  testing::PolicyFiles files(kRoles, kPolicies);
  for (const auto& [kind, version] : every_kind(files)) {
    SCOPED_TRACE(kind);
    ASSERT_NE(version, nullptr);
    EXPECT_EQ(describe(version->find_user("alice")),
              "default=tenant-001 others=[tenant-002][t\xC3\xA9nant 3] roles=[analyst][read_only]");
    EXPECT_EQ(describe(version->find_user("bob")), "default=<none> others= roles=[read_write]");
    EXPECT_EQ(describe(version->find_user("carol@example.com")), "default=<none> others=[tenant-009] roles=");
    EXPECT_EQ(describe(version->find_user("mallory")), "unknown");
    EXPECT_EQ(describe(version->find_user("")), "unknown");
    // Names are compared whole: a prefix or a name with a NUL inside is another user.
    EXPECT_EQ(describe(version->find_user("alic")), "unknown");
    EXPECT_EQ(describe(version->find_user(std::string_view("alice\0x", 7))), "unknown");
  }
}

TEST(UserDirectory, EveryKindOfVersionKnowsTheBuiltInAndDeclaredRolesOnly) {
  testing::PolicyFiles files(kRoles, kPolicies);
  for (const auto& [kind, version] : every_kind(files)) {
    SCOPED_TRACE(kind);
    ASSERT_NE(version, nullptr);
    for (const char* role : {"analyst", "superuser", "read_write", "read_only", "schema_admin", "no_access"}) {
      EXPECT_TRUE(version->role_exists(role)) << role;
    }
    for (const char* role : {"ghost", "Analyst", "", "alice"}) EXPECT_FALSE(version->role_exists(role)) << role;
  }
}

}  // namespace
}  // namespace weftkit
