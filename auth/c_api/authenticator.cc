// The auth C API's authenticator: the backend WEFTKIT_AUTH selects, with the runtime store as
// its optional user directory, and the password, JWT and mTLS logins through it.
#include <string>

#include <weftkit/auth/from_config.h>
#include <weftkit/detail/audit_c_bridge.h>

#include "auth/c_api/handles.h"
#include "auth/c_api/store_directory.h"

using weftkit::AuthMethod;
using weftkit::c_api::fail;
using weftkit::c_api::guarded;
using weftkit::c_api::report;

namespace weftkit::auth::c_api {

namespace {

std::string_view method_name(AuthMethod method) {
  switch (method) {
    case AuthMethod::kPassword:
      return "password";
    case AuthMethod::kJwt:
      return "jwt";
    case AuthMethod::kMtls:
      return "mtls";
  }
  return "unknown";
}

// Every problem of a users file, with its file:line, in one message.
weftkit_status users_file_errors(const PasswordFileLoad& load, weftkit_error** error) {
  std::string message = "the users file was not loaded:";
  for (const std::string& problem : load.errors) message += "\n" + problem;
  return fail(WEFTKIT_INVALID_ARGUMENT, message, error);
}

weftkit_status make_backend(Backend& backend, weftkit_error** error) {
  const StoreDirectory directory = directory_of(backend.directory);
  switch (backend.method) {
    case AuthMethod::kPassword: {
      backend.password = std::make_unique<PasswordAuthenticator>(
          PasswordAuthenticatorOptions{.tenants = directory.tenants, .audit_sink = backend.audit_sink});
      PasswordFileLoad load = load_users_from_config(backend.config, *backend.password);
      if (!load.ok()) return users_file_errors(load, error);
      return WEFTKIT_OK;
    }
    case AuthMethod::kJwt: {
      StatusOr<std::unique_ptr<JwtVerifier>> verifier =
          jwt_verifier_from_config(backend.config, directory.role_exists, directory.tenants, backend.audit_sink);
      if (!verifier.is_ok()) return report(verifier.status(), error);
      backend.jwt = std::move(verifier).value();
      return WEFTKIT_OK;
    }
    case AuthMethod::kMtls: {
      StatusOr<MtlsVerifier> verifier = mtls_verifier_from_config(backend.config, directory.tenants, backend.audit_sink);
      if (!verifier.is_ok()) return report(verifier.status(), error);
      backend.mtls.emplace(std::move(verifier).value());
      return WEFTKIT_OK;
    }
  }
  return fail(WEFTKIT_INTERNAL, "unknown authentication backend", error);
}

AuthMethod method_of(config::AuthMode mode) {
  switch (mode) {
    case config::AuthMode::kPassword:
      return AuthMethod::kPassword;
    case config::AuthMode::kJwt:
      return AuthMethod::kJwt;
    case config::AuthMode::kMtls:
      return AuthMethod::kMtls;
  }
  return AuthMethod::kPassword;
}

// The result handle of a login, answered by `backend`.
weftkit_status hand_out(AuthResult outcome, const Backend& backend, weftkit_auth_result** result) {
  *result = make_result(std::move(outcome), backend.method);
  return WEFTKIT_OK;
}

}  // namespace

weftkit_status wrong_backend(const Backend& backend, AuthMethod needed, weftkit_error** error) noexcept {
  return guarded(error, [&] {
    return fail(WEFTKIT_INVALID_ARGUMENT,
                "the authenticator's backend is " + std::string(method_name(backend.method)) + " (WEFTKIT_AUTH), not " +
                    std::string(method_name(needed)),
                error);
  });
}

}  // namespace weftkit::auth::c_api

using weftkit::auth::c_api::Backend;
using weftkit::auth::c_api::view_of;
using weftkit::auth::c_api::wrong_backend;

namespace {

// Both creation functions; `log` may be null. `name` is the C function, for messages.
weftkit_status create(std::string_view name, const weftkit_auth_config* config, const weftkit_store* directory,
                      const weftkit_audit_log* log, weftkit_authenticator** out, weftkit_error** error) {
  return guarded(error, [&]() -> weftkit_status {
    if (out != nullptr) *out = nullptr;
    if (config == nullptr || out == nullptr) {
      return fail(WEFTKIT_INVALID_ARGUMENT, std::string(name) + ": config and out must not be NULL", error);
    }
    if (!config->config.auth.mode) {
      return fail(WEFTKIT_INVALID_ARGUMENT, "WEFTKIT_AUTH is not set: no authentication backend is configured", error);
    }
    auto backend = std::make_shared<Backend>();
    backend->config = config->config.auth;
    backend->method = weftkit::auth::c_api::method_of(*config->config.auth.mode);
    if (directory != nullptr) backend->directory = weftkit::c_api::shared_store_of(*directory);
    if (log != nullptr) backend->audit_sink = weftkit::audit::c_api::shared_sink_of(*log);
    if (weftkit_status status = weftkit::auth::c_api::make_backend(*backend, error); status != WEFTKIT_OK)
      return status;
    *out = new weftkit_authenticator{std::move(backend)};
    return WEFTKIT_OK;
  });
}

}  // namespace

extern "C" {

weftkit_status weftkit_authenticator_create(const weftkit_auth_config* config, const weftkit_store* directory,
                                            weftkit_authenticator** out, weftkit_error** error) {
  return create("weftkit_authenticator_create", config, directory, nullptr, out, error);
}

weftkit_status weftkit_authenticator_create_audited(const weftkit_auth_config* config, const weftkit_store* directory,
                                                    const struct weftkit_audit_log* audit_log, weftkit_authenticator** out,
                                                    weftkit_error** error) {
  return create("weftkit_authenticator_create_audited", config, directory, audit_log, out, error);
}

void weftkit_authenticator_free(weftkit_authenticator* authenticator) { delete authenticator; }

weftkit_status weftkit_authenticator_reload_users(weftkit_authenticator* authenticator, weftkit_error** error) {
  return guarded(error, [&]() -> weftkit_status {
    if (authenticator == nullptr) {
      return fail(WEFTKIT_INVALID_ARGUMENT, "weftkit_authenticator_reload_users: authenticator must not be NULL",
                  error);
    }
    Backend& backend = *authenticator->backend;
    if (!backend.password) return wrong_backend(backend, weftkit::AuthMethod::kPassword, error);
    weftkit::auth::PasswordFileLoad load = weftkit::auth::load_users_from_config(backend.config, *backend.password);
    if (!load.ok()) return weftkit::auth::c_api::users_file_errors(load, error);
    return WEFTKIT_OK;
  });
}

weftkit_status weftkit_auth_password(weftkit_authenticator* authenticator, const char* login, const char* password,
                                     const char* source_address, weftkit_auth_result** result, weftkit_error** error) {
  return guarded(error, [&]() -> weftkit_status {
    if (result != nullptr) *result = nullptr;
    if (authenticator == nullptr || login == nullptr || password == nullptr || result == nullptr) {
      return fail(WEFTKIT_INVALID_ARGUMENT,
                  "weftkit_auth_password: authenticator, login, password and result must not be NULL", error);
    }
    Backend& backend = *authenticator->backend;
    if (!backend.password) return wrong_backend(backend, weftkit::AuthMethod::kPassword, error);
    return weftkit::auth::c_api::hand_out(backend.password->authenticate(login, password, view_of(source_address)),
                                          backend, result);
  });
}

weftkit_status weftkit_auth_jwt(const weftkit_authenticator* authenticator, const char* token, int64_t now,
                                const char* source_address, weftkit_auth_result** result, weftkit_error** error) {
  return guarded(error, [&]() -> weftkit_status {
    if (result != nullptr) *result = nullptr;
    if (authenticator == nullptr || token == nullptr || result == nullptr) {
      return fail(WEFTKIT_INVALID_ARGUMENT, "weftkit_auth_jwt: authenticator, token and result must not be NULL",
                  error);
    }
    const Backend& backend = *authenticator->backend;
    if (!backend.jwt) return wrong_backend(backend, weftkit::AuthMethod::kJwt, error);
    return weftkit::auth::c_api::hand_out(backend.jwt->verify(token, now, view_of(source_address)), backend, result);
  });
}

weftkit_status weftkit_auth_mtls_pem(const weftkit_authenticator* authenticator, const char* chain_pem, size_t length,
                                     int64_t now, const char* source_address, weftkit_auth_result** result,
                                     weftkit_error** error) {
  return guarded(error, [&]() -> weftkit_status {
    if (result != nullptr) *result = nullptr;
    if (authenticator == nullptr || (chain_pem == nullptr && length > 0) || result == nullptr) {
      return fail(WEFTKIT_INVALID_ARGUMENT,
                  "weftkit_auth_mtls_pem: authenticator, chain_pem and result must not be NULL", error);
    }
    const Backend& backend = *authenticator->backend;
    if (!backend.mtls) return wrong_backend(backend, weftkit::AuthMethod::kMtls, error);
    const std::string_view chain = length == 0 ? std::string_view() : std::string_view(chain_pem, length);
    return weftkit::auth::c_api::hand_out(backend.mtls->verify_pem(chain, now, view_of(source_address)), backend,
                                          result);
  });
}

weftkit_status weftkit_auth_mtls_peer(const weftkit_authenticator* authenticator, struct ssl_st* connection,
                                      int64_t now, const char* source_address, weftkit_auth_result** result,
                                      weftkit_error** error) {
  return guarded(error, [&]() -> weftkit_status {
    if (result != nullptr) *result = nullptr;
    if (authenticator == nullptr || connection == nullptr || result == nullptr) {
      return fail(WEFTKIT_INVALID_ARGUMENT,
                  "weftkit_auth_mtls_peer: authenticator, connection and result must not be NULL", error);
    }
    const Backend& backend = *authenticator->backend;
    if (!backend.mtls) return wrong_backend(backend, weftkit::AuthMethod::kMtls, error);
    return weftkit::auth::c_api::hand_out(backend.mtls->verify_peer(connection, now, view_of(source_address)), backend,
                                          result);
  });
}

}  // extern "C"
