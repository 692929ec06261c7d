// Checks that name their table on every call (SecurityContext::allowed(op, "name"),
// Statement::allowed) answer from a precomputed lookup; they must answer exactly what the
// ResourceHandle path and the reference evaluator answer, for names the policies spell and
// names they do not, in every spelling, quoted and malformed — in JIT versions and in
// ahead-of-time modules alike.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "codegen/semantics/permission_check.h"
#include "compiler/driver/compile_files.h"
#include <weftkit/policy_runtime.h>
#include "tests/runtime/jit_and_module_versions.h"
#include "tests/runtime/policy_files.h"

namespace weftkit {
namespace {

// Exact names in two schemas, whole schemas, a deny on one table, a role everywhere, and
// tables declared with and without a pattern of their own.
const std::string kRoles =
    "roles:\n"
    "  - name: clerk\n"
    "    allow: [SELECT, INSERT]\n"
    "    on: [orders, \"sales.ledger\"]\n"
    "  - name: analyst\n"
    "    allow: [SELECT, \"COPY TO\"]\n"
    "    deny: [DELETE]\n"
    "    on: [\"sales.*\", \"hr.*\"]\n"
    "  - name: editor\n"
    "    allow: [SELECT, UPDATE, DELETE]\n"
    "  - name: sealed\n"
    "    deny: [SELECT, UPDATE]\n"
    "    on: [audit_log]\n"
    "users:\n"
    "  - name: alice\n"
    "    roles: [clerk]\n"
    "  - name: bob\n"
    "    roles: [analyst, sealed]\n"
    "  - name: carol\n"
    "    roles: [editor, sealed]\n"
    "  - name: root\n"
    "    roles: [superuser]\n";

const std::string kPolicies =
    "CREATE TABLE orders (id integer, owner text);\n"
    "CREATE TABLE audit_log (id integer, entry text);\n"
    "CREATE TABLE sales.ledger (id integer, amount bigint);\n"
    "CREATE TABLE archive.old_orders (id integer);\n";

const std::vector<std::string> kNames = {
    // declared or named by a role, bare and schema-qualified
    "orders", "public.orders", "audit_log", "public.audit_log", "sales.ledger", "archive.old_orders",
    // the rest of a named schema, and names nothing covers
    "sales.other", "hr.salaries", "customers", "public.customers", "archive.new", "ledger",
    // other cases: other names, as PostgreSQL stores identifiers
    "Orders", "ORDERS", "Public.orders", "public.Orders", "Sales.ledger", "AUDIT_LOG",
    // SQL quoting is not part of a stored name; padded and malformed texts
    "\"orders\"", "public.\"orders\"", "\"sales\".\"ledger\"", " orders", "orders ", "orders\n", "",
    ".", "public.", ".orders", "sales.ledger.x", "*", "sales.*", "ord*ers", std::string("orders\0x", 8)};

std::vector<Identity> identities() {
  std::vector<Identity> out;
  for (const char* user : {"alice", "bob", "carol", "root", "nobody"}) {
    Identity identity;
    identity.user = user;
    out.push_back(identity);
  }
  Identity both;  // alice requesting analyst as well
  both.user = "alice";
  both.roles = {"analyst"};
  out.push_back(both);
  return out;
}

class RuntimeNameChecks : public ::testing::Test {
 protected:
  RuntimeNameChecks() : files_(kRoles, kPolicies), versions_(testing::compile_jit_and_module(files_.paths())) {
    policy::SourceTexts sources;
    policy::Result<policy::PolicyProgram> compiled = policy::compile_files(files_.paths(), sources);
    EXPECT_TRUE(compiled.ok());
    if (compiled.ok()) program_ = std::move(compiled).value();
  }

  // The reference evaluator's answer; a text that is no table name is denied.
  bool reference(const Identity& identity, Operation op, const std::string& name) const {
    policy::ParsedResourceName parsed = policy::parse_resource_name(name);
    if (!parsed.name) return false;
    std::vector<policy::RoleId> requested;
    for (const std::string& role : identity.roles) requested.push_back(program_.find_role(role).value());
    policy::semantics::Principal principal = policy::semantics::resolve_principal(program_, identity.user, requested);
    return policy::semantics::is_allowed(program_, principal, static_cast<policy::Operation>(op), *parsed.name);
  }

  testing::PolicyFiles files_;
  testing::JitAndModuleVersions versions_;
  policy::PolicyProgram program_;
};

TEST_F(RuntimeNameChecks, NameHandleStatementAndReferenceEvaluatorAgreeInJitAndModuleVersions) {
  ASSERT_EQ(versions_.error, "");
  for (const auto& [kind, version] : versions_.both()) {
    PolicyStore store(version);
    int allowed = 0;
    int denied = 0;
    for (const Identity& identity : identities()) {
      StatusOr<SecurityContext> context = SecurityContext::build(store, identity);
      ASSERT_TRUE(context.is_ok()) << context.status().message();
      StatusOr<Statement> statement = context.value().begin_statement();
      ASSERT_TRUE(statement.is_ok()) << statement.status().message();
      for (const std::string& name : kNames) {
        ResourceHandle handle = context.value().resource(name);
        for (int index = 0; index < 16; ++index) {
          Operation op = static_cast<Operation>(index);
          bool expected = reference(identity, op, name);
          EXPECT_EQ(context.value().allowed(op, name), expected)
              << kind << ": " << identity.user << " op " << index << " on \"" << name << "\" by name";
          EXPECT_EQ(context.value().allowed(op, handle), expected)
              << kind << ": " << identity.user << " op " << index << " on \"" << name << "\" by handle";
          EXPECT_EQ(statement.value().allowed(op, name), expected)
              << kind << ": " << identity.user << " op " << index << " on \"" << name << "\" in a statement";
          ++(expected ? allowed : denied);
        }
      }
    }
    // Both answers occur often, so agreement is not agreement on "always deny".
    EXPECT_GT(allowed, 100) << kind;
    EXPECT_GT(denied, 100) << kind;
  }
}

TEST_F(RuntimeNameChecks, ResourceClassOfANameIsTheProgramsClassificationInBothVersions) {
  ASSERT_EQ(versions_.error, "");
  for (const auto& [kind, version] : versions_.both()) {
    for (const std::string& name : kNames) {
      policy::ParsedResourceName parsed = policy::parse_resource_name(name);
      uint32_t expected =
          parsed.name ? program_.resource_classes.classify(*parsed.name) : program_.permissions.class_count;
      EXPECT_EQ(version->resource_class(name), expected) << kind << ": \"" << name << "\"";
    }
  }
}

TEST_F(RuntimeNameChecks, MalformedNamesAreDeniedEvenToASuperuser) {
  ASSERT_EQ(versions_.error, "");
  Identity root;
  root.user = "root";
  for (const auto& [kind, version] : versions_.both()) {
    PolicyStore store(version);
    StatusOr<SecurityContext> context = SecurityContext::build(store, root);
    ASSERT_TRUE(context.is_ok());
    StatusOr<Statement> statement = context.value().begin_statement();
    ASSERT_TRUE(statement.is_ok());
    // The superuser may do anything to any table, known or not ...
    EXPECT_TRUE(context.value().allowed(Operation::kDrop, "no_such_table")) << kind;
    EXPECT_TRUE(context.value().allowed(Operation::kDrop, "Orders")) << kind;
    // ... but a text that is no table name names nothing it could be allowed on.
    for (const char* malformed : {"\"orders\"", "orders ", "", "public.", "a.b.c", "*", "sales.*"}) {
      for (int index = 0; index < 16; ++index) {
        Operation op = static_cast<Operation>(index);
        EXPECT_FALSE(context.value().allowed(op, malformed)) << kind << ": \"" << malformed << "\"";
        EXPECT_FALSE(statement.value().allowed(op, malformed)) << kind << ": \"" << malformed << "\"";
      }
    }
  }
}

}  // namespace
}  // namespace weftkit
