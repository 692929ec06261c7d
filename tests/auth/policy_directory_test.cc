// The login backends' user directory read from a policy store: every login asks the serving
// version, so publishing new roles files changes who may connect to which tenant at once.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "tests/auth/tool_output.h"
#include "weftkit/auth/password_authenticator.h"
#include "weftkit/auth/policy_directory.h"

namespace weftkit::auth {
namespace {

// A version that only has a user directory (the rest of a version is not asked by logins).
class DirectoryVersion final : public PolicyVersion {
 public:
  DirectoryVersion(std::map<std::string, DirectoryUser, std::less<>> users, std::vector<std::string> roles)
      : users_(std::move(users)), roles_(std::move(roles)) {}
  std::string describe() const override { return "directory"; }
  StatusOr<ResolvedPrincipal> resolve(const Identity&) const override {
    return Status(StatusCode::kInternal, "not asked by logins");
  }
  uint32_t resource_class(std::string_view) const override { return 0; }
  StatusOr<std::unique_ptr<const StatementRowFilter>> row_filter(const ResolvedPrincipal&, const Identity&,
                                                                 std::string_view, const StatementShape&) const override {
    return Status(StatusCode::kInternal, "not asked by logins");
  }
  std::string explain(const ResolvedPrincipal&, const Identity&, Operation, std::string_view) const override { return ""; }
  std::optional<DirectoryUser> find_user(std::string_view user) const override {
    auto found = users_.find(user);
    if (found == users_.end()) return std::nullopt;
    return found->second;
  }
  bool role_exists(std::string_view role) const override {
    return std::find(roles_.begin(), roles_.end(), role) != roles_.end();
  }

 private:
  std::map<std::string, DirectoryUser, std::less<>> users_;
  std::vector<std::string> roles_;
};

std::string tenant_of(const AuthResult& result) {
  if (!result.ok()) return std::string(failure_name(result.failure().kind));
  return result.identity().tenant.value_or("<none>");
}

TEST(PolicyDirectory, TenantsComeFromTheServingVersionAndChangeWhenANewOneIsPublished) {
  auto store = std::make_shared<PolicyStore>(std::make_shared<DirectoryVersion>(
      std::map<std::string, DirectoryUser, std::less<>>{
          {"alice", DirectoryUser{.default_tenant = "tenant-001", .other_tenants = {"tenant-002"}, .roles = {}}}},
      std::vector<std::string>{"analyst"}));
  PasswordAuthenticator authenticator(PasswordAuthenticatorOptions{.tenants = tenant_lookup_from(store)});
  ASSERT_TRUE(authenticator.load_users_text(testing::htpasswd_line({"-B", "-C", "10"}, "alice", "alice-pw") + "\n", "users").ok());

  EXPECT_EQ(tenant_of(authenticator.authenticate("alice", "alice-pw", "10.0.0.1")), "tenant-001");
  EXPECT_EQ(tenant_of(authenticator.authenticate("alice@tenant-002", "alice-pw", "10.0.0.1")), "tenant-002");
  EXPECT_EQ(tenant_of(authenticator.authenticate("alice@tenant-003", "alice-pw", "10.0.0.1")), "tenant_not_allowed");

  // roles.yaml edited and reloaded: alice moves to tenant-003 only.
  store->publish(std::make_shared<DirectoryVersion>(
      std::map<std::string, DirectoryUser, std::less<>>{
          {"alice", DirectoryUser{.default_tenant = "tenant-003", .other_tenants = {}, .roles = {}}}},
      std::vector<std::string>{}));
  EXPECT_EQ(tenant_of(authenticator.authenticate("alice", "alice-pw", "10.0.0.1")), "tenant-003");
  EXPECT_EQ(tenant_of(authenticator.authenticate("alice@tenant-002", "alice-pw", "10.0.0.1")), "tenant_not_allowed");
}

TEST(PolicyDirectory, RoleNamesComeFromTheServingVersion) {
  auto store = std::make_shared<PolicyStore>(
      std::make_shared<DirectoryVersion>(std::map<std::string, DirectoryUser, std::less<>>{}, std::vector<std::string>{"analyst"}));
  std::function<bool(std::string_view)> role_exists = role_exists_in(store);
  EXPECT_TRUE(role_exists("analyst"));
  EXPECT_FALSE(role_exists("auditor"));
  store->publish(std::make_shared<DirectoryVersion>(std::map<std::string, DirectoryUser, std::less<>>{},
                                                    std::vector<std::string>{"auditor"}));
  EXPECT_FALSE(role_exists("analyst"));
  EXPECT_TRUE(role_exists("auditor"));
}

}  // namespace
}  // namespace weftkit::auth
