// What the auth verbs need from roles files: each user's roles, default tenant and other
// allowed tenants, and which role names exist — read from a policy store serving the compiled
// files, through the same directory functions an engine uses (weftkit/auth/policy_directory.h).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <weftkit/auth/login_name.h>
#include <weftkit/policy_runtime.h>

namespace weftkit::policy::cli {

class AuthRoles {
 public:
  // No roles files: nobody has roles or tenants, and every role name is taken as given.
  AuthRoles() = default;
  explicit AuthRoles(std::shared_ptr<const PolicyStore> store) : store_(std::move(store)) {}

  // The roles of the user's users: entry, as written (empty for an unknown user).
  std::vector<std::string> roles_of(std::string_view user) const;
  std::function<bool(std::string_view)> role_exists() const;
  auth::TenantLookup tenant_lookup() const;

 private:
  std::shared_ptr<const PolicyStore> store_;  // null without roles files
};

struct LoadedAuthRoles {
  std::optional<AuthRoles> roles;
  std::string diagnostics;  // rendered, clang style; errors when roles is empty
};

// Compiles the roles files as `check` does; any error means no roles.
LoadedAuthRoles load_auth_roles(const std::vector<std::string>& files);

}  // namespace weftkit::policy::cli
