// The C API's contexts and checks: no anonymous context, requested roles must exist, the
// identity's arrays are validated, checks answer as the roles say and deny whatever cannot be
// answered, and the resource-handle fast path agrees with the slow path, across reloads too.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/runtime/c_api_fixture.h"

namespace weftkit::c_api_testing {
namespace {

// The roles file without the clerk role (carol then holds nothing).
std::string roles_without_clerk() {
  return "roles:\n"
         "  - name: analyst\n"
         "    allow: [SELECT, \"COPY TO\"]\n"
         "    deny: [INSERT, UPDATE, DELETE]\n"
         "users:\n"
         "  - name: alice\n"
         "    roles: [analyst]\n"
         "  - name: bob\n"
         "    roles: [read_write]\n";
}

weftkit_status build(const weftkit_store* store, const weftkit_identity& identity, ErrorSlot& error,
                     Owned<weftkit_context>& out) {
  weftkit_context* context = reinterpret_cast<weftkit_context*>(0x1);  // must be overwritten either way
  weftkit_status status = weftkit_context_build(store, &identity, &context, error.out());
  EXPECT_TRUE(status == WEFTKIT_OK ? context != nullptr : context == nullptr);
  out.reset(status == WEFTKIT_OK ? context : nullptr);
  return status;
}

TEST_F(CApiTest, BuildRejectsANullStoreIdentityOrOut) {
  weftkit_identity identity = {};
  identity.user = "alice";
  ErrorSlot error;
  weftkit_context* context = nullptr;
  const std::string message = "weftkit_context_build: store, identity and out must not be NULL";
  EXPECT_EQ(weftkit_context_build(nullptr, &identity, &context, error.out()), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), message);
  EXPECT_EQ(weftkit_context_build(store_.get(), nullptr, &context, error.out()), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), message);
  EXPECT_EQ(weftkit_context_build(store_.get(), &identity, nullptr, error.out()), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), message);
  EXPECT_EQ(context, nullptr);
}

TEST_F(CApiTest, EmptyOrNullUserIsRejectedNoAnonymousContext) {
  weftkit_identity identity = {};
  identity.user = "";
  ErrorSlot error;
  Owned<weftkit_context> context;
  EXPECT_EQ(build(store_.get(), identity, error, context), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.code(), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), "a security context needs a user: there are no anonymous operations");
  identity.user = nullptr;
  EXPECT_EQ(build(store_.get(), identity, error, context), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), "a security context needs a user: there are no anonymous operations");
}

TEST_F(CApiTest, UnknownRequestedRoleIsNotFound) {
  const char* roles[] = {"read_only", "auditor"};
  weftkit_identity identity = {};
  identity.user = "alice";
  identity.roles = roles;
  identity.role_count = 2;
  ErrorSlot error;
  Owned<weftkit_context> context;
  EXPECT_EQ(build(store_.get(), identity, error, context), WEFTKIT_NOT_FOUND);
  EXPECT_EQ(error.message(), "role \"auditor\" is not defined by the serving policy version (" +
                                 files_.path("roles.yaml") + ", " + files_.path("policies.sql") + ")");
}

TEST_F(CApiTest, IdentityArraysThatCannotBeReadAreRejected) {
  ErrorSlot error;
  Owned<weftkit_context> context;
  weftkit_identity identity = {};
  identity.user = "alice";
  identity.role_count = 1;  // roles left NULL
  EXPECT_EQ(build(store_.get(), identity, error, context), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), "identity.roles is NULL but identity.role_count is not 0");

  const char* roles[] = {"read_only", nullptr};
  identity.roles = roles;
  identity.role_count = 2;
  EXPECT_EQ(build(store_.get(), identity, error, context), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), "identity.roles[1] is NULL");

  identity.role_count = 0;
  identity.setting_count = 1;  // settings left NULL
  EXPECT_EQ(build(store_.get(), identity, error, context), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), "identity.settings is NULL but identity.setting_count is not 0");

  weftkit_setting settings[] = {{"app.tenant_id", "tenant-001"}, {"app.region", nullptr}};
  identity.settings = settings;
  identity.setting_count = 2;
  EXPECT_EQ(build(store_.get(), identity, error, context), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), "identity.settings[1] has a NULL name or value");

  identity.setting_count = 1;
  identity.auth_method = static_cast<weftkit_auth_method>(9);
  EXPECT_EQ(build(store_.get(), identity, error, context), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), "identity.auth_method 9 is not a weftkit_auth_method");

  identity.auth_method = WEFTKIT_AUTH_JWT;
  EXPECT_EQ(build(store_.get(), identity, error, context), WEFTKIT_OK) << error.message();
  EXPECT_EQ(error.get(), nullptr);
}

TEST_F(CApiTest, AllowedAnswersAsTheRolesSay) {
  Owned<weftkit_context> alice = connect("alice", "tenant-001");  // analyst
  EXPECT_TRUE(weftkit_allowed(alice.get(), WEFTKIT_OP_SELECT, "orders"));
  EXPECT_TRUE(weftkit_allowed(alice.get(), WEFTKIT_OP_COPY_TO, "ratios"));
  EXPECT_FALSE(weftkit_allowed(alice.get(), WEFTKIT_OP_INSERT, "orders"));
  EXPECT_FALSE(weftkit_allowed(alice.get(), WEFTKIT_OP_DROP, "orders"));
  Owned<weftkit_context> carol = connect("carol", "tenant-001");  // clerk, scoped to orders
  EXPECT_TRUE(weftkit_allowed(carol.get(), WEFTKIT_OP_INSERT, "orders"));
  EXPECT_TRUE(weftkit_allowed(carol.get(), WEFTKIT_OP_INSERT, "public.orders"));
  EXPECT_FALSE(weftkit_allowed(carol.get(), WEFTKIT_OP_INSERT, "ratios"));
  EXPECT_FALSE(weftkit_allowed(carol.get(), WEFTKIT_OP_DELETE, "orders"));
  Owned<weftkit_context> root = connect("root");  // superuser
  EXPECT_TRUE(weftkit_allowed(root.get(), WEFTKIT_OP_DROP, "ratios"));
  EXPECT_TRUE(weftkit_allowed(root.get(), WEFTKIT_OP_EXECUTE, "sales.anything"));
}

TEST_F(CApiTest, RequestedRolesAreHeldOnTopOfTheUsersEntry) {
  Owned<weftkit_context> nobody = connect("nobody");
  EXPECT_FALSE(weftkit_allowed(nobody.get(), WEFTKIT_OP_SELECT, "orders"));  // no roles: denied by default
  Owned<weftkit_context> reader = connect("nobody", "", {"read_only"});
  EXPECT_TRUE(weftkit_allowed(reader.get(), WEFTKIT_OP_SELECT, "orders"));
  EXPECT_FALSE(weftkit_allowed(reader.get(), WEFTKIT_OP_INSERT, "orders"));
  // alice's analyst deny wins over a requested read_write.
  Owned<weftkit_context> alice = connect("alice", "", {"read_write"});
  EXPECT_FALSE(weftkit_allowed(alice.get(), WEFTKIT_OP_INSERT, "orders"));
}

TEST_F(CApiTest, AllowedDeniesNullArgumentsAndOperationsOutOfRange) {
  Owned<weftkit_context> root = connect("root");
  EXPECT_FALSE(weftkit_allowed(nullptr, WEFTKIT_OP_SELECT, "orders"));
  EXPECT_FALSE(weftkit_allowed(root.get(), WEFTKIT_OP_SELECT, nullptr));
  EXPECT_FALSE(weftkit_allowed(root.get(), static_cast<weftkit_operation>(16), "orders"));
  EXPECT_FALSE(weftkit_allowed(root.get(), static_cast<weftkit_operation>(-1), "orders"));
  EXPECT_FALSE(weftkit_allowed(root.get(), WEFTKIT_OP_SELECT, "not..a table"));  // not a name: denied
  EXPECT_TRUE(weftkit_allowed(root.get(), WEFTKIT_OP_EXECUTE, "orders"));  // the last operation is in range
}

TEST_F(CApiTest, ResourceCreateRejectsNullArguments) {
  Owned<weftkit_context> bob = connect("bob");
  ErrorSlot error;
  weftkit_resource* resource = reinterpret_cast<weftkit_resource*>(0x1);
  const std::string message = "weftkit_resource_create: context, table and out must not be NULL";
  EXPECT_EQ(weftkit_resource_create(nullptr, "orders", &resource, error.out()), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(resource, nullptr);
  EXPECT_EQ(error.message(), message);
  EXPECT_EQ(weftkit_resource_create(bob.get(), nullptr, &resource, error.out()), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), message);
  EXPECT_EQ(weftkit_resource_create(bob.get(), "orders", nullptr, error.out()), WEFTKIT_INVALID_ARGUMENT);
  EXPECT_EQ(error.message(), message);
}

TEST_F(CApiTest, ResourceCheckDeniesNullArgumentsAndOperationsOutOfRange) {
  Owned<weftkit_context> root = connect("root");
  weftkit_resource* made = nullptr;
  ASSERT_EQ(weftkit_resource_create(root.get(), "orders", &made, nullptr), WEFTKIT_OK);
  Owned<weftkit_resource> orders(made);
  EXPECT_FALSE(weftkit_allowed_resource(nullptr, WEFTKIT_OP_SELECT, orders.get()));
  EXPECT_FALSE(weftkit_allowed_resource(root.get(), WEFTKIT_OP_SELECT, nullptr));
  EXPECT_FALSE(weftkit_allowed_resource(root.get(), static_cast<weftkit_operation>(64), orders.get()));
  EXPECT_TRUE(weftkit_allowed_resource(root.get(), WEFTKIT_OP_SELECT, orders.get()));
}

// Every operation on every kind of name (declared, qualified, another case, quoted, padded,
// malformed), for principals with scoped, denying, built-in and no roles: the fast path and a
// statement's check answer what the check by name answers.
void expect_fast_path_agrees(weftkit_context* context, const std::string& user) {
  weftkit_statement* begun = nullptr;
  ASSERT_EQ(weftkit_statement_begin(context, &begun, nullptr), WEFTKIT_OK);
  Owned<weftkit_statement> statement(begun);
  for (const char* table : {"orders", "public.orders", "ratios", "sales.invoices", "payroll", "not..a table", "Orders",
                            "public.Orders", "\"orders\"", "orders ", "", "sales.*", "*"}) {
    weftkit_resource* made = nullptr;
    ASSERT_EQ(weftkit_resource_create(context, table, &made, nullptr), WEFTKIT_OK);
    Owned<weftkit_resource> resource(made);
    for (int op = WEFTKIT_OP_SELECT; op <= WEFTKIT_OP_EXECUTE; ++op) {
      auto operation = static_cast<weftkit_operation>(op);
      bool fast_first = weftkit_allowed_resource(context, operation, resource.get());
      bool fast_again = weftkit_allowed_resource(context, operation, resource.get());  // now warm
      bool slow = weftkit_allowed(context, operation, table);
      EXPECT_EQ(fast_first, slow) << user << " op " << op << " on " << table;
      EXPECT_EQ(fast_again, slow) << user << " op " << op << " on " << table;
      EXPECT_EQ(weftkit_statement_allowed(statement.get(), operation, table), slow) << user << " op " << op << " on " << table;
    }
  }
}

TEST_F(CApiTest, AllowedByNameTellsSpellingsApartAndDeniesTextsThatAreNoNames) {
  Owned<weftkit_context> carol = connect("carol", "tenant-001");  // clerk, scoped to orders
  EXPECT_TRUE(weftkit_allowed(carol.get(), WEFTKIT_OP_INSERT, "orders"));
  EXPECT_TRUE(weftkit_allowed(carol.get(), WEFTKIT_OP_INSERT, "public.orders"));
  EXPECT_FALSE(weftkit_allowed(carol.get(), WEFTKIT_OP_INSERT, "Orders"));  // another table
  EXPECT_FALSE(weftkit_allowed(carol.get(), WEFTKIT_OP_INSERT, "sales.orders"));
  Owned<weftkit_context> root = connect("root");  // superuser: any table, known or not
  EXPECT_TRUE(weftkit_allowed(root.get(), WEFTKIT_OP_SELECT, "Orders"));
  for (const char* malformed : {"\"orders\"", "orders ", "", "public.", "a.b.c", "*", "sales.*"}) {
    EXPECT_FALSE(weftkit_allowed(root.get(), WEFTKIT_OP_SELECT, malformed)) << "\"" << malformed << "\"";
  }
}

TEST_F(CApiTest, FastPathAgreesWithSlowPathForEveryOperation) {
  for (const char* user : {"alice", "bob", "carol", "root", "nobody"}) {
    Owned<weftkit_context> context = connect(user, "tenant-001");
    expect_fast_path_agrees(context.get(), user);
  }
}

TEST_F(CApiTest, FastPathFollowsAReload) {
  Owned<weftkit_context> carol = connect("carol", "tenant-001");
  weftkit_resource* made = nullptr;
  ASSERT_EQ(weftkit_resource_create(carol.get(), "orders", &made, nullptr), WEFTKIT_OK);
  Owned<weftkit_resource> orders(made);
  EXPECT_TRUE(weftkit_allowed_resource(carol.get(), WEFTKIT_OP_INSERT, orders.get()));
  // The next version takes carol's only role away: the warm handle must not keep answering.
  files_.write("roles.yaml", roles_without_clerk() + "  - name: carol\n    roles: []\n");
  ErrorSlot error;
  ASSERT_EQ(reload({"roles.yaml", "policies.sql"}, error), WEFTKIT_OK) << error.message();
  EXPECT_FALSE(weftkit_allowed_resource(carol.get(), WEFTKIT_OP_INSERT, orders.get()));
  EXPECT_FALSE(weftkit_allowed_resource(carol.get(), WEFTKIT_OP_SELECT, orders.get()));
  expect_fast_path_agrees(carol.get(), "carol after the reload");
}

TEST_F(CApiTest, ContextWhoseRequestedRoleAReloadRemovedDeniesEverything) {
  Owned<weftkit_context> nobody = connect("nobody", "tenant-001", {"clerk"});
  weftkit_resource* made = nullptr;
  ASSERT_EQ(weftkit_resource_create(nobody.get(), "orders", &made, nullptr), WEFTKIT_OK);
  Owned<weftkit_resource> orders(made);
  EXPECT_TRUE(weftkit_allowed_resource(nobody.get(), WEFTKIT_OP_SELECT, orders.get()));
  files_.write("roles.yaml", roles_without_clerk());
  ErrorSlot error;
  ASSERT_EQ(reload({"roles.yaml", "policies.sql"}, error), WEFTKIT_OK) << error.message();
  // Fail closed: no check passes and no statement may begin.
  EXPECT_FALSE(weftkit_allowed(nobody.get(), WEFTKIT_OP_SELECT, "orders"));
  EXPECT_FALSE(weftkit_allowed_resource(nobody.get(), WEFTKIT_OP_SELECT, orders.get()));
  weftkit_statement* statement = reinterpret_cast<weftkit_statement*>(0x1);
  EXPECT_EQ(weftkit_statement_begin(nobody.get(), &statement, error.out()), WEFTKIT_NOT_FOUND);
  EXPECT_EQ(statement, nullptr);
  EXPECT_EQ(error.message(), "role \"clerk\" is not defined by the serving policy version (" +
                                 files_.path("roles.yaml") + ", " + files_.path("policies.sql") + ")");
}

}  // namespace
}  // namespace weftkit::c_api_testing
