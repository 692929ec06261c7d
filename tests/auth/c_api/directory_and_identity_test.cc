// A runtime store as the user directory of the auth C API, and the identity a result fills:
// roles.yaml's users give default and allowed tenants to password logins, and an accepted
// login builds a context whose app.tenant_id is its tenant, so that tenant policies filter rows.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>

#include "tests/auth/c_api/auth_c_api_fixture.h"
#include "tests/auth/tool_output.h"

namespace weftkit::auth::c_api_testing {
namespace {

constexpr const char* kRoles = R"(roles:
  - name: analyst
    allow: [SELECT]
    on: [orders]
users:
  - name: alice
    roles: [analyst]
    tenant: t1
    tenants: [t2]
  - name: bob
    roles: [analyst]
)";

constexpr const char* kPolicies = R"(CREATE TABLE orders (
  id        bigint PRIMARY KEY,
  tenant_id text NOT NULL
);
ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON orders USING (tenant_id = current_setting('app.tenant_id'));
)";

class AuthCApiDirectory : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = compile_store({scratch_.write("roles.yaml", kRoles), scratch_.write("policies.sql", kPolicies)});
    ASSERT_NE(store_, nullptr);
    // bob's entry is scoped to tenant t2: it gives him that tenant without any directory.
    const std::string users =
        scratch_.write("users", testing::htpasswd_line({"-B", "-C", "4"}, "alice", "pw") + "\n" +
                                    testing::htpasswd_line({"-B", "-C", "4"}, "bob@t2", "pw") + "\n");
    const std::vector<std::string> variables = {"WEFTKIT_AUTH=password", "WEFTKIT_AUTH_USERS_FILE=" + users};
    authenticator_ = authenticator_of(variables, store_.get());
    ASSERT_NE(authenticator_, nullptr);
    without_directory_ = authenticator_of(variables);
    ASSERT_NE(without_directory_, nullptr);
  }
  Owned<weftkit_auth_result> login(const char* name) { return login_with(authenticator_.get(), name); }
  static Owned<weftkit_auth_result> login_with(weftkit_authenticator* authenticator, const char* name) {
    weftkit_auth_result* result = nullptr;
    ErrorSlot error;
    EXPECT_EQ(weftkit_auth_password(authenticator, name, "pw", "192.0.2.5", &result, error.out()), WEFTKIT_OK)
        << error.message();
    return Owned<weftkit_auth_result>(result);
  }
  // What a SELECT on orders does to a row of `tenant` in a context built from `result`.
  weftkit_row_result select_row_of(const weftkit_auth_result* result, const char* tenant) {
    weftkit_identity identity{};
    ErrorSlot error;
    EXPECT_EQ(weftkit_auth_result_identity(result, &identity, error.out()), WEFTKIT_OK) << error.message();
    weftkit_context* context = nullptr;
    EXPECT_EQ(weftkit_context_build(store_.get(), &identity, &context, error.out()), WEFTKIT_OK) << error.message();
    Owned<weftkit_context> owned_context(context);
    weftkit_statement* statement = nullptr;
    EXPECT_EQ(weftkit_statement_begin(context, &statement, error.out()), WEFTKIT_OK) << error.message();
    weftkit_row_filter* filter = nullptr;
    EXPECT_EQ(weftkit_row_filter_open(statement, "orders", WEFTKIT_COMMAND_SELECT, true, false, &filter, error.out()),
              WEFTKIT_OK)
        << error.message();
    const weftkit_datum row[2] = {weftkit_datum_int(1),
                                  weftkit_datum_text(tenant, static_cast<int64_t>(strlen(tenant)))};
    weftkit_row_result answer = WEFTKIT_ROW_ERROR;
    EXPECT_EQ(weftkit_row_filter_check(filter, row, 2, nullptr, 0, &answer, nullptr, error.out()), WEFTKIT_OK)
        << error.message();
    weftkit_row_filter_free(filter);
    weftkit_statement_free(statement);
    return answer;
  }

  ScratchDirectory scratch_;
  Owned<weftkit_store> store_;
  Owned<weftkit_authenticator> authenticator_;
  Owned<weftkit_authenticator> without_directory_;
};

TEST_F(AuthCApiDirectory, AUserGetsTheirDefaultTenantAndMayNameAnAllowedOne) {
  EXPECT_EQ(outcome(login("alice").get()), "ok user=alice tenant=t1 roles= method=0");
  EXPECT_EQ(outcome(login("alice@t2").get()), "ok user=alice tenant=t2 roles= method=0");
}

TEST_F(AuthCApiDirectory, ATenantNotInTheUsersEntryIsNotAllowed) {
  EXPECT_THAT(outcome(login("alice@t3").get()), ::testing::StartsWith("tenant_not_allowed: "));
}

TEST_F(AuthCApiDirectory, AReloadOfTheStoreChangesTheTenantsAtOnce) {
  ASSERT_THAT(outcome(login("alice@t3").get()), ::testing::StartsWith("tenant_not_allowed: "));
  std::string roles = kRoles;
  roles.replace(roles.find("tenants: [t2]"), 13, "tenants: [t2, t3]");
  const std::vector<std::string> files = {scratch_.write("roles.yaml", roles), scratch_.path("policies.sql")};
  std::vector<const char*> paths;
  for (const std::string& file : files) paths.push_back(file.c_str());
  weftkit_compiler* compiler = nullptr;
  ASSERT_EQ(weftkit_compiler_create(&compiler, nullptr), WEFTKIT_OK);
  Owned<weftkit_compiler> owned_compiler(compiler);
  ErrorSlot error;
  ASSERT_EQ(weftkit_compiler_reload(compiler, store_.get(), paths.data(), paths.size(), error.out()), WEFTKIT_OK)
      << error.message();
  // The same authenticator: it reads the store's serving version at each login.
  EXPECT_EQ(outcome(login("alice@t3").get()), "ok user=alice tenant=t3 roles= method=0");
}

TEST_F(AuthCApiDirectory, TheFilledIdentityBuildsAContextWhoseTenantIsAppTenantId) {
  Owned<weftkit_auth_result> result = login_with(without_directory_.get(), "bob@t2");
  ASSERT_TRUE(weftkit_auth_result_ok(result.get())) << outcome(result.get());
  weftkit_identity identity{};
  ASSERT_EQ(weftkit_auth_result_identity(result.get(), &identity, nullptr), WEFTKIT_OK);
  EXPECT_STREQ(identity.user, "bob");
  EXPECT_STREQ(identity.tenant, "t2");
  EXPECT_STREQ(identity.source_address, "192.0.2.5");
  EXPECT_EQ(identity.auth_method, WEFTKIT_AUTH_PASSWORD);
  ASSERT_EQ(identity.setting_count, 1u);
  EXPECT_STREQ(identity.settings[0].name, "app.tenant_id");
  EXPECT_STREQ(identity.settings[0].value, "t2");
  // The policy reads the setting: the tenant's rows pass, another tenant's are filtered.
  EXPECT_EQ(select_row_of(result.get(), "t2"), WEFTKIT_ROW_PASS);
  EXPECT_EQ(select_row_of(result.get(), "t1"), WEFTKIT_ROW_FILTERED);
}

TEST_F(AuthCApiDirectory, ALoginWithoutATenantGetsNoTenantSetting) {
  Owned<weftkit_auth_result> result = login_with(without_directory_.get(), "alice");
  weftkit_identity identity{};
  ASSERT_EQ(weftkit_auth_result_identity(result.get(), &identity, nullptr), WEFTKIT_OK);
  EXPECT_EQ(identity.tenant, nullptr);
  EXPECT_EQ(identity.settings, nullptr);
  EXPECT_EQ(identity.setting_count, 0u);
}

TEST_F(AuthCApiDirectory, TheAuthenticatorKeepsItsDirectoryAliveAfterTheStoreHandleIsFreed) {
  store_.reset();
  EXPECT_EQ(outcome(login("alice@t2").get()), "ok user=alice tenant=t2 roles= method=0");
}

}  // namespace
}  // namespace weftkit::auth::c_api_testing
