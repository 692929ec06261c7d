// The structs behind the auth C API's opaque handles (include/weftkit/auth/weftkit_auth.h) and
// what its translation units share. Private to auth/c_api/.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <weftkit/auth/auth_result.h>
#include <weftkit/auth/jwt.h>
#include <weftkit/auth/mtls.h>
#include <weftkit/auth/password_authenticator.h>
#include <weftkit/auth/tls_server.h>
#include <weftkit/auth/weftkit_auth.h>
#include <weftkit/config.h>
#include <weftkit/detail/c_api_bridge.h>
#include <weftkit/policy_runtime.h>

struct weftkit_auth_config {
  weftkit::config::Config config;
};

namespace weftkit::auth::c_api {

// One configured backend. Shared by the authenticator handle and the SCRAM exchanges begun
// from it, so that either may be freed first: an exchange points at the users and throttle.
struct Backend {
  config::AuthConfig config;
  AuthMethod method = AuthMethod::kPassword;
  std::shared_ptr<const PolicyStore> directory;  // null: no user directory
  // null: logins are not recorded. The writer of a weftkit_audit_log, shared so that the log's
  // handle may be closed first.
  std::shared_ptr<audit::AuditSink> audit_sink;
  std::unique_ptr<PasswordAuthenticator> password;
  std::unique_ptr<JwtVerifier> jwt;
  std::optional<MtlsVerifier> mtls;
};

// WEFTKIT_INVALID_ARGUMENT naming the backend that would have been needed.
weftkit_status wrong_backend(const Backend& backend, AuthMethod needed, weftkit_error** error) noexcept;

// A new result handle for the caller (throws std::bad_alloc, caught by guarded()).
weftkit_auth_result* make_result(AuthResult outcome, AuthMethod method);

// An optional C string as a view: NULL is empty.
inline std::string_view view_of(const char* text) {
  return text == nullptr ? std::string_view() : std::string_view(text);
}

}  // namespace weftkit::auth::c_api

struct weftkit_authenticator {
  std::shared_ptr<weftkit::auth::c_api::Backend> backend;
};

struct weftkit_auth_result {
  weftkit::auth::AuthResult outcome;
  weftkit::AuthMethod method;
  // Views into outcome's identity, built once so that weftkit_auth_result_identity hands out
  // pointers that live as long as the result.
  std::vector<const char*> roles;
  std::vector<weftkit_setting> settings;
};

struct weftkit_tls_server {
  std::unique_ptr<weftkit::auth::TlsServerContext> context;
};
