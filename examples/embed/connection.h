// What the example engine knows of a client connection once it has authenticated it, and the
// SecurityContext it builds from that. The tenant comes with the connection (a password user's
// default tenant, a JWT's tenant_id claim, an mTLS subject) and becomes the session setting
// app.tenant_id, which examples/policies.sql reads with current_setting().
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <weftkit/policy_runtime.h>

namespace weftkit::embed {

struct Connection {
  std::string user;
  std::optional<std::string> tenant;
  AuthMethod auth_method = AuthMethod::kPassword;
  std::string source_address;
  std::vector<std::string> requested_roles;  // on top of the user's roles.yaml entry
};

// "alice@tenant-001", or the bare user name without a tenant.
std::string connection_label(const Connection& connection);
const char* auth_method_name(AuthMethod method);

StatusOr<SecurityContext> connect(const PolicyStore& store, const Connection& connection);

}  // namespace weftkit::embed
