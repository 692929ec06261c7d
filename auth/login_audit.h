// The auth event every backend reports for each authentication it decides (private to
// weftkit_auth). Backends depend on the audit sink interface only, never on the writer.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <weftkit/audit/sink.h>
#include "weftkit/auth/auth_result.h"

namespace weftkit::auth {

// Who an attempt claimed to be before its outcome was known: the user part of a login name, a
// token's sub, a certificate's subject CN. Unverified on failure, and recorded as such.
struct LoginClaim {
  std::string identity;
  std::optional<std::string> tenant;
};

// Whether `sink` takes auth events at all: backends ask before gathering the claim, so an
// unaudited login costs nothing.
inline bool audits_logins(const audit::AuditSink* sink) {
  return sink != nullptr && sink->wants(audit::EventKind::kAuth);
}

// Records one "LOGIN" event: on success the identity's user and tenant, on failure the claim and
// the failure's stable name as the reason (never its message: that is for the caller only).
// `method`: "password", "scram-sha-256", "scram-sha-256-plus", "jwt" or "mtls".
void report_login(audit::AuditSink& sink, const LoginClaim& claim, const AuthResult& result,
                  std::string_view source_address, std::string_view method);

// The claim of a login name ("alice@tenant-001"): its user and tenant; a name that does not
// split is kept whole (it is the client's text, not a secret).
LoginClaim claim_of_login(std::string_view login);

}  // namespace weftkit::auth
