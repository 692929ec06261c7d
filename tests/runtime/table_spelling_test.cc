// A table named by its plain spelling ("x.y", "orders") is found without parsing the name,
// through an index of spellings; that index must never answer for another table than parsing
// would: table y of schema x and a table of the default schema quoted as "x.y" are two tables.
#include <gtest/gtest.h>

#include <string>

#include <weftkit/policy_runtime.h>
#include "tests/runtime/jit_and_module_versions.h"
#include "tests/runtime/policy_files.h"

namespace weftkit {
namespace {

const std::string kRoles =
    "roles:\n"
    "  - name: x_reader\n"
    "    allow: [SELECT]\n"
    "    on: [\"x.*\"]\n"
    "users:\n"
    "  - name: alice\n"
    "    roles: [x_reader]\n";

// x.y has one column, public."x.y" two; their policies differ.
const std::string kPolicies =
    "CREATE TABLE x.y (a integer);\n"
    "CREATE TABLE public.\"x.y\" (a integer, b integer);\n"
    "ALTER TABLE x.y ENABLE ROW LEVEL SECURITY;\n"
    "CREATE POLICY small ON x.y USING (a < 10);\n";

TEST(TableSpelling, DottedQuotedNameOfTheDefaultSchemaIsNotTheSchemaQualifiedOne) {
  testing::PolicyFiles files(kRoles, kPolicies);
  testing::JitAndModuleVersions versions = testing::compile_jit_and_module(files.paths());
  ASSERT_EQ(versions.error, "");
  for (const auto& [kind, version] : versions.both()) {
    SCOPED_TRACE(kind);
    PolicyStore store(version);
    Identity alice;
    alice.user = "alice";
    StatusOr<SecurityContext> context = SecurityContext::build(store, alice);
    ASSERT_TRUE(context.is_ok()) << context.status().message();
    // Twice: the first check fills the names cache, the second answers from it.
    for (int round = 0; round < 2; ++round) {
      EXPECT_TRUE(context.value().allowed(Operation::kSelect, "x.y"));
      EXPECT_FALSE(context.value().allowed(Operation::kSelect, "public.\"x.y\""));
      EXPECT_FALSE(context.value().allowed(Operation::kSelect, "\"x.y\""));
    }
    StatusOr<Statement> statement = context.value().begin_statement();
    ASSERT_TRUE(statement.is_ok());
    auto filter = statement.value().row_filter("x.y", {Command::kSelect});
    ASSERT_TRUE(filter.is_ok()) << filter.status().message();
    EXPECT_EQ(filter.value()->column_count(), 1u);
    Datum small;
    small.bits = 5;
    small.is_null = 0;
    EXPECT_EQ(filter.value()->result(&small, nullptr), RowResult::kPass);
    Datum large = small;
    large.bits = 50;
    EXPECT_EQ(filter.value()->result(&large, nullptr), RowResult::kFiltered);
    // The quoted one is refused for SELECT (alice's role covers schema x only).
    auto quoted = statement.value().row_filter("public.\"x.y\"", {Command::kSelect});
    EXPECT_EQ(quoted.status().code(), StatusCode::kPermissionDenied);
  }
}

}  // namespace
}  // namespace weftkit
