// The example of docs/auth.md's "How an engine authenticates a connection", compiled and run
// here so that it cannot rot (a test also checks the page shows exactly the code between the
// markers).
// --- connection example begins ---
#include <ctime>
#include <memory>
#include <optional>
#include <string>

#include <weftkit/auth/from_config.h>
#include <weftkit/auth/mtls.h>
#include <weftkit/auth/password_authenticator.h>
#include <weftkit/auth/policy_directory.h>
#include <weftkit/config.h>
#include <weftkit/policy_runtime.h>

// Set up once per engine process, after the policy store: the backend WEFTKIT_AUTH names, with
// roles.yaml's users (tenants, role names) read from the store's serving version.
struct EngineAuth {
  weftkit::config::AuthMode mode = weftkit::config::AuthMode::kPassword;
  std::unique_ptr<weftkit::auth::PasswordAuthenticator> passwords;  // WEFTKIT_AUTH=password
  std::unique_ptr<weftkit::auth::JwtVerifier> tokens;               // WEFTKIT_AUTH=jwt
  std::optional<weftkit::auth::MtlsVerifier> certificates;          // WEFTKIT_AUTH=mtls
};

weftkit::StatusOr<EngineAuth> start_auth(const weftkit::config::Config& config,
                                         const std::shared_ptr<const weftkit::PolicyStore>& store) {
  using namespace weftkit::auth;
  using weftkit::config::AuthMode;
  if (!config.auth.mode) {
    return weftkit::Status(weftkit::StatusCode::kInvalidArgument, "WEFTKIT_AUTH is not set: no connection can log in");
  }
  EngineAuth auth;
  auth.mode = *config.auth.mode;
  switch (auth.mode) {
    case AuthMode::kPassword: {
      auth.passwords = std::make_unique<PasswordAuthenticator>(
          PasswordAuthenticatorOptions{.tenants = tenant_lookup_from(store)});
      PasswordFileLoad users = load_users_from_config(config.auth, *auth.passwords);
      if (!users.ok()) return weftkit::Status(weftkit::StatusCode::kInvalidArgument, users.errors.front());
      break;
    }
    case AuthMode::kJwt: {
      auto tokens = jwt_verifier_from_config(config.auth, role_exists_in(store), tenant_lookup_from(store));
      if (!tokens.is_ok()) return tokens.status();
      auth.tokens = std::move(tokens).value();
      break;
    }
    case AuthMode::kMtls: {
      auto certificates = mtls_verifier_from_config(config.auth, tenant_lookup_from(store));
      if (!certificates.is_ok()) return certificates.status();
      auth.certificates.emplace(std::move(certificates).value());
      break;
    }
  }
  return auth;
}

// What a connection presented, as its wire protocol carried it.
struct Presented {
  std::string login;      // "alice" or "alice@tenant-002" (password)
  std::string secret;     // the password, or the bearer token (jwt)
  std::string chain_pem;  // the client's certificate chain (mtls; or use verify_peer on the SSL*)
  std::string peer;       // "10.0.0.7:51234": throttling and the audit trail
};

// Per connection: who it is, then its SecurityContext. The tenant becomes the session setting
// app.tenant_id, which the policies read with current_setting('app.tenant_id').
weftkit::StatusOr<weftkit::SecurityContext> open_session(EngineAuth& auth, const weftkit::PolicyStore& store,
                                                         const Presented& presented) {
  using namespace weftkit::auth;
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  std::optional<AuthResult> result;
  switch (auth.mode) {
    case weftkit::config::AuthMode::kPassword:
      result = auth.passwords->authenticate(presented.login, presented.secret, presented.peer);
      break;
    case weftkit::config::AuthMode::kJwt:
      result = auth.tokens->verify(presented.secret, now, presented.peer);
      break;
    case weftkit::config::AuthMode::kMtls:
      result = auth.certificates->verify_pem(presented.chain_pem, now, presented.peer);
      break;
  }
  if (!result->ok()) {
    // The typed reason for the engine's log and metrics; the client gets its protocol's
    // generic "authentication failed".
    const AuthFailure& failure = result->failure();
    return weftkit::Status(weftkit::StatusCode::kPermissionDenied,
                           std::string(failure_name(failure.kind)) + ": " + failure.message);
  }
  weftkit::Identity identity = result->identity();
  if (identity.tenant) identity.settings.emplace_back("app.tenant_id", *identity.tenant);
  return weftkit::SecurityContext::build(store, std::move(identity));
}
// --- connection example ends ---
