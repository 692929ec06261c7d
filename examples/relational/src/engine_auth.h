// Authentication of a connection as WEFTKIT_AUTH says, driven over the PostgreSQL protocol:
//   password: SCRAM-SHA-256 (AuthenticationSASL, -PLUS with channel binding over TLS) for users
//             whose users-file entry is a SCRAM verifier, else a cleartext password
//             (AuthenticationCleartextPassword), which needs TLS unless development mode allows it;
//   jwt:      the bearer token sent as the cleartext password (same TLS rule);
//   mtls:     the client certificate of the TLS connection.
// The kernel's backends decide; this file only moves their messages and records nothing itself
// (the backends record every login in the audit sink they were given).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <weftkit/audit/sink.h>
#include <weftkit/auth/jwt.h>
#include <weftkit/auth/mtls.h>
#include <weftkit/auth/password_authenticator.h>
#include <weftkit/config.h>
#include <weftkit/policy_runtime.h>

#include "byte_stream.h"
#include "sql_error.h"

namespace relational {

struct EngineAuth {
  weftkit::config::AuthMode mode = weftkit::config::AuthMode::kPassword;
  std::unique_ptr<weftkit::auth::PasswordAuthenticator> passwords;
  std::unique_ptr<weftkit::auth::JwtVerifier> tokens;
  std::optional<weftkit::auth::MtlsVerifier> certificates;
  weftkit::auth::TenantLookup tenants;
  std::shared_ptr<weftkit::audit::AuditSink> audit_sink;
  bool cleartext_without_tls = false;  // the loopback-only development flag
};

// Builds the backend WEFTKIT_AUTH names, with roles.yaml's users (tenants, role names) read
// from the store's serving version on every login.
weftkit::StatusOr<EngineAuth> start_auth(const weftkit::config::Config& config,
                                         const std::shared_ptr<const weftkit::PolicyStore>& store,
                                         std::shared_ptr<weftkit::audit::AuditSink> audit_sink,
                                         bool cleartext_without_tls);

// Runs the exchange for the startup packet's `login` ("alice" or "alice@tenant-001"). On
// success the Identity (its user and tenant as the backend vouched for them); otherwise the
// error to send the client (28P01 for a wrong password, 28000 otherwise).
SqlResult<weftkit::Identity> authenticate_connection(EngineAuth& auth, ByteStream& stream, const std::string& login,
                                                     const std::string& peer);

}  // namespace relational
