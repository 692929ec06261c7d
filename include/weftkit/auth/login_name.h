// Login names as clients send them: "alice" or "alice@tenant-001", split on the last '@' so
// that user names may themselves hold an '@' (an e-mail address).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <weftkit/status.h>

namespace weftkit::auth {

struct LoginName {
  std::string user;
  std::optional<std::string> tenant;  // set when the name had an '@'
};

// kInvalidArgument for an empty name, an empty user part ("@t") or an empty tenant ("alice@").
StatusOr<LoginName> split_login_name(std::string_view login);

// Which tenants a user may connect to: the one they get when they name none, and the others
// they may name. The caller provides it (from roles.yaml's users: entries).
struct UserTenants {
  std::optional<std::string> default_tenant;
  std::vector<std::string> allowed;
};

// nullopt: the directory does not know the user (then only tenant-scoped credentials, and
// plain logins without a tenant, succeed).
using TenantLookup = std::function<std::optional<UserTenants>(std::string_view user)>;

}  // namespace weftkit::auth
