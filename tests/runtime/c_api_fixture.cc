// The C API tests' shared fixture and scratch files.
#include "tests/runtime/c_api_fixture.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace weftkit::c_api_testing {

const char* const kRolesYaml =
    "roles:\n"
    "  - name: analyst\n"
    "    allow: [SELECT, \"COPY TO\"]\n"
    "    deny: [INSERT, UPDATE, DELETE]\n"
    "  - name: clerk\n"
    "    allow: [SELECT, INSERT, UPDATE]\n"
    "    on: [orders]\n"
    "users:\n"
    "  - name: alice\n"
    "    roles: [analyst]\n"
    "  - name: bob\n"
    "    roles: [read_write]\n"
    "  - name: carol\n"
    "    roles: [clerk]\n"
    "  - name: root\n"
    "    roles: [superuser]\n";

const char* const kPoliciesSql =
    "CREATE TABLE orders (id bigint, tenant_id text NOT NULL, amount integer, status text);\n"
    "ALTER TABLE orders ENABLE ROW LEVEL SECURITY;\n"
    "CREATE POLICY tenant_isolation ON orders USING (tenant_id = current_setting('app.tenant_id'));\n"
    "CREATE POLICY open_only ON orders AS RESTRICTIVE FOR UPDATE USING (status = 'open')\n"
    "  WITH CHECK (status IN ('open', 'closed'));\n"
    "CREATE TABLE ratios (id bigint, divisor integer);\n"
    "ALTER TABLE ratios ENABLE ROW LEVEL SECURITY;\n"
    "CREATE POLICY positive ON ratios USING (100 / divisor > 0);\n";

ScratchPolicies::ScratchPolicies(const std::string& roles_yaml, const std::string& policies_sql) {
  std::string pattern = (std::filesystem::temp_directory_path() / "weftkit-c-api-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    ADD_FAILURE() << "mkdtemp failed";
    return;
  }
  directory_ = pattern;
  write("roles.yaml", roles_yaml);
  write("policies.sql", policies_sql);
}

ScratchPolicies::~ScratchPolicies() {
  std::error_code ignored;
  if (!directory_.empty()) std::filesystem::remove_all(directory_, ignored);
}

void ScratchPolicies::write(const std::string& name, const std::string& text) const {
  std::ofstream(path(name), std::ios::trunc) << text;
}

std::vector<const char*> c_strings(const std::vector<std::string>& names) {
  std::vector<const char*> out;
  for (const std::string& name : names) out.push_back(name.c_str());
  return out;
}

CApiTest::CApiTest() {
  ErrorSlot error;
  weftkit_compiler* compiler = nullptr;
  EXPECT_EQ(weftkit_compiler_create(&compiler, error.out()), WEFTKIT_OK) << error.message();
  compiler_.reset(compiler);
  std::vector<std::string> paths = {files_.path("roles.yaml"), files_.path("policies.sql")};
  std::vector<const char*> files = c_strings(paths);
  weftkit_store* store = nullptr;
  EXPECT_EQ(weftkit_compiler_compile(compiler, files.data(), files.size(), &store, error.out()), WEFTKIT_OK)
      << error.message();
  store_.reset(store);
}

weftkit_status CApiTest::reload(const std::vector<std::string>& names, ErrorSlot& error) {
  std::vector<std::string> paths;
  for (const std::string& name : names) paths.push_back(files_.path(name));
  std::vector<const char*> files = c_strings(paths);
  return weftkit_compiler_reload(compiler_.get(), store_.get(), files.data(), files.size(), error.out());
}

Owned<weftkit_context> CApiTest::connect(const std::string& user, const std::string& tenant,
                                         const std::vector<std::string>& roles) {
  std::vector<const char*> role_names = c_strings(roles);
  weftkit_setting setting = {"app.tenant_id", tenant.c_str()};
  weftkit_identity identity = {};
  identity.user = user.c_str();
  identity.tenant = tenant.empty() ? nullptr : tenant.c_str();
  identity.roles = role_names.data();
  identity.role_count = role_names.size();
  identity.settings = tenant.empty() ? nullptr : &setting;
  identity.setting_count = tenant.empty() ? 0 : 1;
  identity.source_address = "192.0.2.1";
  identity.auth_method = WEFTKIT_AUTH_MTLS;
  ErrorSlot error;
  weftkit_context* context = nullptr;
  EXPECT_EQ(weftkit_context_build(store_.get(), &identity, &context, error.out()), WEFTKIT_OK) << error.message();
  return Owned<weftkit_context>(context);
}

Owned<weftkit_statement> CApiTest::begin(weftkit_context* context) {
  ErrorSlot error;
  weftkit_statement* statement = nullptr;
  EXPECT_EQ(weftkit_statement_begin(context, &statement, error.out()), WEFTKIT_OK) << error.message();
  return Owned<weftkit_statement>(statement);
}

Owned<weftkit_row_filter> CApiTest::open(weftkit_statement* statement, const char* table, weftkit_command command,
                                         bool reads_columns, bool returning) {
  ErrorSlot error;
  weftkit_row_filter* filter = nullptr;
  EXPECT_EQ(weftkit_row_filter_open(statement, table, command, reads_columns, returning, &filter, error.out()),
            WEFTKIT_OK)
      << error.message();
  return Owned<weftkit_row_filter>(filter);
}

uint64_t CApiTest::generation() const {
  uint64_t out = 0;
  EXPECT_EQ(weftkit_store_generation(store_.get(), &out), WEFTKIT_OK);
  return out;
}

}  // namespace weftkit::c_api_testing
