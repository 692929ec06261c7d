// One auth event per decided authentication, the same fields for every backend.
#include "auth/login_audit.h"

#include <utility>

#include "weftkit/auth/login_name.h"

namespace weftkit::auth {

void report_login(audit::AuditSink& sink, const LoginClaim& claim, const AuthResult& result,
                  std::string_view source_address, std::string_view method) {
  audit::AuditEvent event;
  event.kind = audit::EventKind::kAuth;
  event.operation = "LOGIN";
  event.source_ip = std::string(source_address);
  event.auth_method = std::string(method);
  if (result.ok()) {
    event.identity = result.identity().user;
    event.tenant = result.identity().tenant.value_or("");
    event.result = "success";
  } else {
    event.identity = claim.identity;
    event.tenant = claim.tenant.value_or("");
    event.result = "failure";
    // The name only: messages may quote the client's input, and the name is what alerts match.
    event.reason = std::string(failure_name(result.failure().kind));
  }
  sink.record(std::move(event));
}

LoginClaim claim_of_login(std::string_view login) {
  StatusOr<LoginName> split = split_login_name(login);
  if (!split.is_ok()) return LoginClaim{std::string(login), std::nullopt};
  return LoginClaim{std::move(split.value().user), std::move(split.value().tenant)};
}

}  // namespace weftkit::auth
