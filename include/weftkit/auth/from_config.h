// Building the auth backends from the checked WEFTKIT_* configuration, so an engine does not
// repeat which variable feeds which option.
#pragma once

#include <weftkit/status.h>
#include "weftkit/auth/jwt.h"
#include "weftkit/auth/password_authenticator.h"
#include "weftkit/config.h"

namespace weftkit::auth {

// Loads WEFTKIT_AUTH_USERS_FILE into `authenticator` (all or nothing, as load_users_file).
PasswordFileLoad load_users_from_config(const config::AuthConfig& auth, PasswordAuthenticator& authenticator);

// Issuer, audience, leeway, roles claim and HS256 secret from the WEFTKIT_JWT_* variables.
// `role_exists` and `tenants`: the user directory (policy_directory.h builds both from a store);
// `audit_sink`: where verify() records auth events (JwtOptions::audit_sink).
JwtOptions jwt_options_from_config(const config::AuthConfig& auth, std::function<bool(std::string_view)> role_exists,
                                   TenantLookup tenants = {}, std::shared_ptr<audit::AuditSink> audit_sink = {});

// A verifier over the key set of WEFTKIT_JWT_JWKS_URI: a file:// set read once, or an https://
// set fetched now (verified against WEFTKIT_JWT_CA, or the system's CA store) and refetched on
// an unknown kid at most once per 10 s (a RefreshingKeySet); an error when the first fetch or
// parse fails. Over no keys when only a secret is configured.
StatusOr<std::unique_ptr<JwtVerifier>> jwt_verifier_from_config(const config::AuthConfig& auth,
                                                                  std::function<bool(std::string_view)> role_exists,
                                                                  TenantLookup tenants = {}, std::shared_ptr<audit::AuditSink> audit_sink = {});

}  // namespace weftkit::auth
