// Connections to identities to contexts.
#include "examples/embed/connection.h"

namespace weftkit::embed {

std::string connection_label(const Connection& connection) {
  return connection.tenant ? connection.user + "@" + *connection.tenant : connection.user;
}

const char* auth_method_name(AuthMethod method) {
  switch (method) {
    case AuthMethod::kPassword: return "password";
    case AuthMethod::kJwt: return "jwt";
    case AuthMethod::kMtls: return "mtls";
  }
  return "?";
}

StatusOr<SecurityContext> connect(const PolicyStore& store, const Connection& connection) {
  Identity identity;
  identity.user = connection.user;
  identity.tenant = connection.tenant;
  identity.roles = connection.requested_roles;
  // No tenant, no setting: a policy that reads app.tenant_id then fails the statement, as
  // current_setting() does in PostgreSQL for an unset name.
  if (connection.tenant) identity.settings.emplace_back("app.tenant_id", *connection.tenant);
  identity.source_address = connection.source_address;
  identity.auth_method = connection.auth_method;
  return SecurityContext::build(store, std::move(identity));
}

}  // namespace weftkit::embed
