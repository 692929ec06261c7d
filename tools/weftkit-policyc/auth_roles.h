// What the auth verbs need from roles files: each user's roles, default tenant and other
// allowed tenants, and which role names exist.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <weftkit/auth/login_name.h>
#include "compiler/ir/policy_program.h"

namespace weftkit::policy::cli {

class AuthRoles {
 public:
  // No roles files: nobody has roles or tenants, and every role name is taken as given.
  AuthRoles() = default;
  AuthRoles(PolicyProgram program, std::map<std::string, std::vector<std::string>, std::less<>> extra_tenants);

  bool has_files() const { return program_.has_value(); }
  // The roles of the user's users: entry, as written (empty for an unknown user).
  std::vector<std::string> roles_of(std::string_view user) const;
  std::optional<std::string> default_tenant_of(std::string_view user) const;
  bool role_exists(std::string_view role) const;
  auth::TenantLookup tenant_lookup() const;

 private:
  std::optional<PolicyProgram> program_;
  std::map<std::string, std::vector<std::string>, std::less<>> extra_tenants_;  // user -> tenants:
};

struct LoadedAuthRoles {
  std::optional<AuthRoles> roles;
  std::string diagnostics;  // rendered, clang style; errors when roles is empty
};

// Compiles the roles files as `check` does; any error means no roles.
LoadedAuthRoles load_auth_roles(const std::vector<std::string>& files);

}  // namespace weftkit::policy::cli
