// The runtime's C++ API as an engine uses it: contexts, checks, statements, row filters and
// reloads, over versions compiled in process by PolicyCompiler.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "codegen/native/arrow_batch_builder.h"
#include "compiler/driver/compile_files.h"
#include <weftkit/policy_compiler.h>
#include <weftkit/policy_runtime.h>
#include "tests/runtime/policy_files.h"

namespace weftkit {
namespace {

const std::string kRoles =
    "roles:\n"
    "  - name: clerk\n"
    "    allow: [SELECT, INSERT]\n"
    "    on: [orders]\n"
    "  - name: auditor\n"
    "    allow: [SELECT]\n"
    "users:\n"
    "  - name: alice\n"
    "    roles: [clerk]\n"
    "  - name: bob\n"
    "    roles: [auditor]\n";

const std::string kPolicies =
    "CREATE TABLE orders (id integer, tenant_id integer, owner text);\n"
    "ALTER TABLE orders ENABLE ROW LEVEL SECURITY;\n"
    "CREATE POLICY tenant ON orders USING (tenant_id = current_setting('app.tenant_id')::int);\n";

Datum integer_datum(int64_t value) {
  Datum datum;
  datum.bits = value;
  datum.is_null = 0;
  return datum;
}

Datum text_datum(const std::string& text) {
  Datum datum;
  datum.data = text.c_str();
  datum.length = static_cast<int64_t>(text.size());
  datum.is_null = 0;
  return datum;
}

class RuntimeApi : public ::testing::Test {
 protected:
  RuntimeApi() : files_(kRoles, kPolicies) {
    StatusOr<PolicyCompiler> compiler = PolicyCompiler::create();
    EXPECT_TRUE(compiler.is_ok()) << compiler.status().message();
    compiler_ = std::make_unique<PolicyCompiler>(std::move(compiler).value());
    StatusOr<std::shared_ptr<const PolicyVersion>> version = compiler_->compile(files_.paths());
    EXPECT_TRUE(version.is_ok()) << version.status().message();
    store_ = std::make_unique<PolicyStore>(std::move(version).value());
  }

  SecurityContext context(const std::string& user, const std::string& tenant = "1",
                          std::vector<std::string> roles = {}) {
    Identity identity;
    identity.user = user;
    identity.tenant = tenant;
    identity.roles = std::move(roles);
    identity.settings = {{"app.tenant_id", tenant}};
    identity.source_address = "127.0.0.1";
    StatusOr<SecurityContext> built = SecurityContext::build(*store_, std::move(identity));
    EXPECT_TRUE(built.is_ok()) << built.status().message();
    return std::move(built).value();
  }

  std::unique_ptr<const StatementRowFilter> filter(SecurityContext& context, Command command) {
    StatusOr<Statement> statement = context.begin_statement();
    EXPECT_TRUE(statement.is_ok()) << statement.status().message();
    StatusOr<std::unique_ptr<const StatementRowFilter>> opened = statement.value().row_filter("orders", {command});
    EXPECT_TRUE(opened.is_ok()) << opened.status().message();
    return std::move(opened).value();
  }

  testing::PolicyFiles files_;
  std::unique_ptr<PolicyCompiler> compiler_;
  std::unique_ptr<PolicyStore> store_;
};

TEST_F(RuntimeApi, AnonymousIdentityIsRejected) {
  StatusOr<SecurityContext> built = SecurityContext::build(*store_, Identity{});
  ASSERT_FALSE(built.is_ok());
  EXPECT_EQ(built.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(built.status().message(), "a security context needs a user: there are no anonymous operations");
}

TEST_F(RuntimeApi, UnknownRequestedRoleIsNotFound) {
  Identity identity;
  identity.user = "alice";
  identity.roles = {"nosuch"};
  StatusOr<SecurityContext> built = SecurityContext::build(*store_, std::move(identity));
  ASSERT_FALSE(built.is_ok());
  EXPECT_EQ(built.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(built.status().message().rfind("role \"nosuch\" is not defined by the serving policy version", 0), 0u)
      << built.status().message();
}

TEST_F(RuntimeApi, ChecksFollowTheRolesAndDenyByDefault) {
  SecurityContext alice = context("alice");
  EXPECT_TRUE(alice.allowed(Operation::kSelect, "orders"));
  EXPECT_TRUE(alice.allowed(Operation::kInsert, "public.orders"));
  EXPECT_FALSE(alice.allowed(Operation::kDelete, "orders"));
  EXPECT_FALSE(alice.allowed(Operation::kSelect, "customers"));  // clerk's scope is orders only
  EXPECT_FALSE(alice.allowed(Operation::kSelect, ""));           // not a table name: denied
  SecurityContext stranger = context("nobody");                  // no roles.yaml entry: no roles
  EXPECT_FALSE(stranger.allowed(Operation::kSelect, "orders"));
  SecurityContext bob = context("bob");
  EXPECT_TRUE(bob.allowed(Operation::kSelect, "anything"));
  EXPECT_FALSE(bob.allowed(Operation::kInsert, "orders"));
}

TEST_F(RuntimeApi, ResourceHandleFastPathAgreesWithTheNamedCheck) {
  SecurityContext alice = context("alice");
  for (const char* table : {"orders", "customers", "sales.orders"}) {
    ResourceHandle handle = alice.resource(table);
    for (int op = 0; op < 16; ++op) {
      EXPECT_EQ(alice.allowed(static_cast<Operation>(op), handle), alice.allowed(static_cast<Operation>(op), table))
          << table << " op " << op;
    }
  }
}

TEST_F(RuntimeApi, ExplainNamesTheDecidingLine) {
  SecurityContext alice = context("alice");
  StatusOr<Statement> statement = alice.begin_statement();
  ASSERT_TRUE(statement.is_ok());
  EXPECT_EQ(statement.value().explain(Operation::kSelect, "orders"),
            "ALLOW SELECT on public.orders for alice; allowed by role clerk at " + files_.roles_path() + ":3:13");
  EXPECT_EQ(statement.value().explain(Operation::kDelete, "orders"),
            "DENY DELETE on public.orders for alice: no held role allows it (denied by default)");
}

TEST_F(RuntimeApi, RowFilterSeesOnlyTheSessionsTenant) {
  SecurityContext alice = context("alice", "7");
  std::unique_ptr<const StatementRowFilter> select = filter(alice, Command::kSelect);
  std::string owner = "alice";
  std::vector<Datum> own = {integer_datum(1), integer_datum(7), text_datum(owner)};
  std::vector<Datum> other = {integer_datum(2), integer_datum(8), text_datum(owner)};
  EXPECT_EQ(select->check(own.data(), nullptr).result, RowResult::kPass);
  EXPECT_EQ(select->check(other.data(), nullptr).result, RowResult::kFiltered);
}

TEST_F(RuntimeApi, BatchSelectsTheSessionsTenantAndInsertOfAnotherIsAViolation) {
  SecurityContext alice = context("alice", "7");
  policy::SourceTexts sources;
  policy::Result<policy::PolicyProgram> program = policy::compile_files(files_.paths(), sources);
  ASSERT_TRUE(program.ok());
  std::vector<std::vector<policy::Value>> rows;
  for (int index = 0; index < 100; ++index) {
    rows.push_back({policy::Value::integer_of(policy::TypeId::kInt4, index),
                    index % 10 == 3 ? policy::Value::null_of(policy::TypeId::kInt4)
                                    : policy::Value::integer_of(policy::TypeId::kInt4, index % 4 == 0 ? 7 : 8),
                    policy::Value::text_of("x")});
  }
  policy::native::ArrowBatchBuilder batch(program.value().tables[0], rows);

  std::unique_ptr<const StatementRowFilter> select = filter(alice, Command::kSelect);
  StatusOr<BatchOutcome> selected = select->filter_batch(batch.schema(), batch.array(), nullptr);
  ASSERT_TRUE(selected.is_ok()) << selected.status().message();
  for (int index = 0; index < 100; ++index) {
    bool expected = index % 4 == 0 && index % 10 != 3;
    EXPECT_EQ((selected.value().selection[index / 64] >> (index % 64)) & 1, expected ? 1u : 0u) << index;
  }
  EXPECT_TRUE(selected.value().exceptions.empty());

  std::unique_ptr<const StatementRowFilter> insert = filter(alice, Command::kInsert);
  StatusOr<BatchOutcome> inserted = insert->filter_batch(batch.schema(), batch.array(), nullptr);
  ASSERT_TRUE(inserted.is_ok());
  ASSERT_EQ(inserted.value().exceptions.size(), 75u);  // every row not of tenant 7, NULL tenants included
  EXPECT_EQ(inserted.value().exceptions[0].first, 1);
  EXPECT_EQ(inserted.value().exceptions[0].second.result, RowResult::kViolation);
  EXPECT_EQ(inserted.value().exceptions[0].second.message,
            "new row violates row-level security policy for table \"orders\"");
}

TEST_F(RuntimeApi, BatchOfTheWrongShapeIsRefusedWithTheReason) {
  SecurityContext alice = context("alice");
  ArrowSchema schema{};
  schema.format = "i";
  ArrowArray array{};
  std::unique_ptr<const StatementRowFilter> select = filter(alice, Command::kSelect);
  StatusOr<BatchOutcome> refused = select->filter_batch(schema, array, nullptr);
  ASSERT_FALSE(refused.is_ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.status().message(), "the batch must be an Arrow struct array (format \"+s\"), one child per column");
}

TEST_F(RuntimeApi, StatementsTheRolesDoNotPermitGetNoRowFilter) {
  SecurityContext bob = context("bob");
  StatusOr<Statement> statement = bob.begin_statement();
  ASSERT_TRUE(statement.is_ok());
  StatusOr<std::unique_ptr<const StatementRowFilter>> insert = statement.value().row_filter("orders", {Command::kInsert});
  ASSERT_FALSE(insert.is_ok());
  EXPECT_EQ(insert.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(insert.status().message(), "permission denied for table orders");
  // UPDATE with a WHERE clause reads columns: SELECT is needed too, and alice lacks UPDATE.
  SecurityContext alice = context("alice");
  StatusOr<Statement> alices = alice.begin_statement();
  ASSERT_TRUE(alices.is_ok());
  EXPECT_FALSE(alices.value().row_filter("orders", {Command::kUpdate, true, false}).is_ok());
}

TEST_F(RuntimeApi, UndeclaredTableHasNoRowFilter) {
  SecurityContext bob = context("bob");
  StatusOr<Statement> statement = bob.begin_statement();
  ASSERT_TRUE(statement.is_ok());
  StatusOr<std::unique_ptr<const StatementRowFilter>> opened = statement.value().row_filter("customers", {Command::kSelect});
  ASSERT_FALSE(opened.is_ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kNotFound);
}

TEST_F(RuntimeApi, FailedReloadKeepsServingAndSaysWhere) {
  SecurityContext alice = context("alice");
  uint64_t serving = store_->generation();
  files_.write_policies(kPolicies + "CREATE POLICY broken ON orders USING (nosuch = 1);\n");
  Status reloaded = compiler_->reload(*store_, files_.paths());
  ASSERT_FALSE(reloaded.is_ok());
  EXPECT_EQ(reloaded.code(), StatusCode::kPolicyError);
  EXPECT_NE(reloaded.message().find(files_.policies_path() + ":4:39: error: column \"nosuch\" does not exist"),
            std::string::npos)
      << reloaded.message();
  EXPECT_EQ(store_->generation(), serving);
  EXPECT_TRUE(alice.allowed(Operation::kSelect, "orders"));
}

TEST_F(RuntimeApi, ReloadChangesTheAnswersOfExistingContexts) {
  SecurityContext alice = context("alice");
  ResourceHandle orders = alice.resource("orders");
  ASSERT_FALSE(alice.allowed(Operation::kDelete, orders));
  uint64_t generation = store_->generation();
  std::string widened = kRoles;
  widened.replace(widened.find("[SELECT, INSERT]"), 16, "[SELECT, INSERT, DELETE]");
  files_.write_roles(widened);
  Status reloaded = compiler_->reload(*store_, files_.paths());
  ASSERT_TRUE(reloaded.is_ok()) << reloaded.message();
  EXPECT_EQ(store_->generation(), generation + 1);
  EXPECT_TRUE(alice.allowed(Operation::kDelete, orders));  // the handle is re-resolved
  EXPECT_TRUE(alice.allowed(Operation::kDelete, "orders"));
}

TEST_F(RuntimeApi, StatementKeepsItsVersionAcrossAReload) {
  SecurityContext alice = context("alice", "7");
  StatusOr<Statement> before = alice.begin_statement();
  ASSERT_TRUE(before.is_ok());
  std::string removed = kRoles;
  removed.replace(removed.find("[SELECT, INSERT]"), 16, "[INSERT]");
  files_.write_roles(removed);
  ASSERT_TRUE(compiler_->reload(*store_, files_.paths()).is_ok());
  EXPECT_TRUE(before.value().allowed(Operation::kSelect, "orders"));  // the old version, to the end
  EXPECT_FALSE(alice.allowed(Operation::kSelect, "orders"));          // the next check sees the new one
  StatusOr<Statement> after = alice.begin_statement();
  ASSERT_TRUE(after.is_ok());
  EXPECT_FALSE(after.value().allowed(Operation::kSelect, "orders"));
}

TEST_F(RuntimeApi, ReplacedVersionIsFreedWhenItsLastStatementEnds) {
  SecurityContext alice = context("alice");
  std::weak_ptr<const PolicyVersion> first;
  {
    StatusOr<Statement> statement = alice.begin_statement();
    ASSERT_TRUE(statement.is_ok());
    first = store_->current();
    ASSERT_TRUE(compiler_->reload(*store_, files_.paths()).is_ok());
    EXPECT_FALSE(first.expired());  // the statement still holds it (and so does the context)
    ASSERT_TRUE(alice.begin_statement().is_ok());  // the context moves to the new version
  }
  EXPECT_TRUE(first.expired());
}

TEST_F(RuntimeApi, ReloadThatRemovesARequestedRoleFailsTheContextClosed) {
  SecurityContext bob = context("bob", "1", {"clerk"});
  ASSERT_TRUE(bob.allowed(Operation::kInsert, "orders"));
  std::string without_clerk =
      "roles:\n"
      "  - name: auditor\n"
      "    allow: [SELECT]\n"
      "users:\n"
      "  - name: bob\n"
      "    roles: [auditor]\n";
  files_.write_roles(without_clerk);
  ASSERT_TRUE(compiler_->reload(*store_, files_.paths()).is_ok());
  EXPECT_FALSE(bob.allowed(Operation::kInsert, "orders"));
  EXPECT_FALSE(bob.allowed(Operation::kSelect, "orders"));  // even what auditor allows: the identity is invalid
  StatusOr<Statement> statement = bob.begin_statement();
  ASSERT_FALSE(statement.is_ok());
  EXPECT_EQ(statement.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace weftkit
