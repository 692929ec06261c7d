// docs/auth.md's connection example, run against a real policy store compiled from roles and
// policy files, with each backend configured through WEFTKIT_* variables as an engine would be:
// a users file written by htpasswd, an HS256 token, and a client certificate of the test PKI.
#include <gtest/gtest.h>

#include <filesystem>

#include <weftkit/policy_compiler.h>
#include "tests/auth/connection_example.cc"  // start_auth, open_session, EngineAuth, Presented
#include "tests/auth/jwt_test_keys.h"
#include "tests/auth/test_pki.h"
#include "tests/auth/tool_output.h"

namespace weftkit::auth {
namespace {

using testing::read_text;

// alice may read orders in her tenants; acme is the O of the test PKI's client certificates.
constexpr const char* kRoles =
    "roles:\n"
    "  - name: reader\n"
    "    allow: [SELECT]\n"
    "    on: [orders]\n"
    "users:\n"
    "  - name: alice\n"
    "    roles: [reader]\n"
    "    tenant: acme\n"
    "    tenants: [beta]\n";
constexpr const char* kPolicies =
    "CREATE TABLE orders (id int, tenant_id text);\n"
    "ALTER TABLE orders ENABLE ROW LEVEL SECURITY;\n"
    "CREATE POLICY own_tenant ON orders USING (tenant_id = current_setting('app.tenant_id'));\n";

class ConnectionExample : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = std::filesystem::temp_directory_path() / ("weftkit-connection-" + std::to_string(::getpid()));
    std::filesystem::create_directories(directory_);
    testing::write_text(path("roles.yaml"), kRoles);
    testing::write_text(path("policies.sql"), kPolicies);
    StatusOr<PolicyCompiler> compiler = PolicyCompiler::create();
    ASSERT_TRUE(compiler.is_ok()) << compiler.status().message();
    StatusOr<std::shared_ptr<const PolicyVersion>> version = compiler.value().compile({path("roles.yaml"), path("policies.sql")});
    ASSERT_TRUE(version.is_ok()) << version.status().message();
    store_ = std::make_shared<PolicyStore>(version.value());
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  std::string path(const std::string& name) const { return (directory_ / name).string(); }

  // start_auth over the configuration these variables make.
  StatusOr<EngineAuth> start(const config::EnvironmentMap& variables) const {
    config::ConfigResult loaded = config::load_config(variables);
    EXPECT_TRUE(loaded.ok()) << (loaded.errors.empty() ? "" : loaded.errors.front());
    if (!loaded.ok()) return Status(StatusCode::kInvalidArgument, "configuration");
    return start_auth(*loaded.config, store_);
  }

  // "tenant=<t> select=<allowed> insert=<allowed>" or the refusal.
  std::string session(EngineAuth& auth, const Presented& presented) const {
    StatusOr<SecurityContext> context = open_session(auth, *store_, presented);
    if (!context.is_ok()) return context.status().message();
    std::string tenant = "<none>";
    for (const auto& [name, value] : context.value().identity().settings) {
      if (name == "app.tenant_id") tenant = value;
    }
    return "tenant=" + tenant + " select=" + (context.value().allowed(Operation::kSelect, "orders") ? "yes" : "no") +
           " insert=" + (context.value().allowed(Operation::kInsert, "orders") ? "yes" : "no");
  }

  std::filesystem::path directory_;
  std::shared_ptr<PolicyStore> store_;
};

TEST_F(ConnectionExample, PasswordLoginsGetTheirTenantAsAppTenantId) {
  testing::write_text(path("users"), testing::htpasswd_line({"-B", "-C", "10"}, "alice", "alice-pw") + "\n");
  StatusOr<EngineAuth> auth = start({{"WEFTKIT_AUTH", "password"}, {"WEFTKIT_AUTH_USERS_FILE", path("users")}});
  ASSERT_TRUE(auth.is_ok()) << auth.status().message();
  EXPECT_EQ(session(auth.value(), {.login = "alice", .secret = "alice-pw", .chain_pem = "", .peer = "10.0.0.7:1"}),
            "tenant=acme select=yes insert=no");
  EXPECT_EQ(session(auth.value(), {.login = "alice@beta", .secret = "alice-pw", .chain_pem = "", .peer = "10.0.0.7:1"}),
            "tenant=beta select=yes insert=no");
  EXPECT_EQ(session(auth.value(), {.login = "alice@gamma", .secret = "alice-pw", .chain_pem = "", .peer = "10.0.0.7:1"}),
            "tenant_not_allowed: user \"alice\" may not connect to tenant \"gamma\"");
  EXPECT_EQ(session(auth.value(), {.login = "alice", .secret = "wrong", .chain_pem = "", .peer = "10.0.0.7:1"}),
            "bad_credentials: authentication failed for user \"alice\"");
}

TEST_F(ConnectionExample, TokensGetTheirTenantAndRolesCheckedAgainstTheStore) {
  const std::string secret(40, 'k');
  StatusOr<EngineAuth> auth = start({{"WEFTKIT_AUTH", "jwt"}, {"WEFTKIT_JWT_SECRET", secret}});
  ASSERT_TRUE(auth.is_ok()) << auth.status().message();
  const int64_t now = std::time(nullptr);
  auto token = [&](const std::string& extra) {
    return testing::hs256_token(secret, R"({"alg":"HS256","typ":"JWT"})",
                                R"({"sub":"alice","exp":)" + std::to_string(now + 600) + extra + "}");
  };
  EXPECT_EQ(session(auth.value(), {.login = "", .secret = token(R"(,"tenant_id":"beta")"), .chain_pem = "", .peer = ""}),
            "tenant=beta select=yes insert=no");
  EXPECT_EQ(session(auth.value(), {.login = "", .secret = token(""), .chain_pem = "", .peer = ""}),
            "tenant=acme select=yes insert=no");
  EXPECT_EQ(session(auth.value(), {.login = "", .secret = token(R"(,"tenant_id":"gamma")"), .chain_pem = "", .peer = ""}),
            "tenant_not_allowed: user \"alice\" may not connect to tenant \"gamma\"");
  EXPECT_EQ(session(auth.value(), {.login = "", .secret = token(R"(,"roles":["auditor"])"), .chain_pem = "", .peer = ""}),
            "unknown_role: the token names role \"auditor\", which roles.yaml does not define");
  // read_write is a role the store defines: requested by the token, it is held on top.
  EXPECT_EQ(session(auth.value(), {.login = "", .secret = token(R"(,"roles":["read_write"])"), .chain_pem = "", .peer = ""}),
            "tenant=acme select=yes insert=yes");
}

TEST_F(ConnectionExample, CertificatesGetTheirSubjectsTenant) {
  testing::TestPki pki;
  StatusOr<EngineAuth> auth = start({{"WEFTKIT_AUTH", "mtls"},
                                        {"WEFTKIT_MTLS_CA", pki.root_ca},
                                        {"WEFTKIT_TLS_CERT", pki.server_certificate},
                                        {"WEFTKIT_TLS_KEY", pki.server_key},
                                        {"WEFTKIT_TLS_CA", pki.root_ca}});
  ASSERT_TRUE(auth.is_ok()) << auth.status().message();
  EXPECT_EQ(session(auth.value(), {.login = "", .secret = "", .chain_pem = read_text(pki.chain("good")), .peer = ""}),
            "tenant=acme select=yes insert=no");
  EXPECT_EQ(session(auth.value(), {.login = "", .secret = "", .chain_pem = read_text(pki.chain("expired")), .peer = ""})
                .substr(0, 8),
            "expired:");
}

TEST_F(ConnectionExample, NoBackendConfiguredMeansNoLogin) {
  StatusOr<EngineAuth> auth = start({});
  ASSERT_FALSE(auth.is_ok());
  EXPECT_EQ(auth.status().message(), "WEFTKIT_AUTH is not set: no connection can log in");
}

TEST(ConnectionExampleDocs, PageShowsTheCompiledCode) {
  const std::string source = read_text(std::string(WEFTKIT_SOURCE_DIR) + "/tests/auth/connection_example.cc");
  const std::string page = read_text(std::string(WEFTKIT_SOURCE_DIR) + "/docs/auth.md");
  const std::string begin = "// --- connection example begins ---\n";
  const size_t start = source.find(begin);
  const size_t stop = source.find("// --- connection example ends ---");
  ASSERT_NE(start, std::string::npos);
  ASSERT_NE(stop, std::string::npos);
  const std::string code = source.substr(start + begin.size(), stop - start - begin.size());
  EXPECT_NE(page.find("```cpp\n" + code + "```"), std::string::npos)
      << "docs/auth.md's connection example differs from tests/auth/connection_example.cc";
}

}  // namespace
}  // namespace weftkit::auth
