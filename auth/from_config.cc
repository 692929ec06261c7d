// WEFTKIT_* settings to backend options.
#include "weftkit/auth/from_config.h"

#include "weftkit/auth/jwks_source.h"

namespace weftkit::auth {

PasswordFileLoad load_users_from_config(const config::AuthConfig& auth, PasswordAuthenticator& authenticator) {
  if (auth.users_file.empty()) {
    PasswordFileLoad load;
    load.errors.push_back("WEFTKIT_AUTH_USERS_FILE is not set");
    return load;
  }
  return authenticator.load_users_file(auth.users_file);
}

JwtOptions jwt_options_from_config(const config::AuthConfig& auth, std::function<bool(std::string_view)> role_exists,
                                   TenantLookup tenants, std::shared_ptr<audit::AuditSink> audit_sink) {
  JwtOptions options;
  options.issuer = auth.jwt_issuer;
  options.audience = auth.jwt_audience;
  options.leeway_seconds = auth.jwt_leeway_seconds;
  options.roles_claim = auth.jwt_roles_claim;
  if (auth.jwt_secret) options.hs256_secret = auth.jwt_secret->reveal();
  options.role_exists = std::move(role_exists);
  options.tenants = std::move(tenants);
  options.audit_sink = std::move(audit_sink);
  return options;
}

StatusOr<std::unique_ptr<JwtVerifier>> jwt_verifier_from_config(const config::AuthConfig& auth,
                                                                  std::function<bool(std::string_view)> role_exists,
                                                                  TenantLookup tenants,
                                                                  std::shared_ptr<audit::AuditSink> audit_sink) {
  JwtOptions options = jwt_options_from_config(auth, std::move(role_exists), std::move(tenants), std::move(audit_sink));
  if (auth.jwt_jwks_uri.empty()) {
    StatusOr<JsonWebKeySet> none = JsonWebKeySet::parse("{\"keys\":[]}");
    return std::make_unique<JwtVerifier>(std::move(none).value(), std::move(options));
  }
  if (auth.jwt_jwks_uri.starts_with("https://")) {
    JwksHttpsOptions fetch{.uri = auth.jwt_jwks_uri, .ca_file = auth.jwt_ca};
    StatusOr<std::shared_ptr<RefreshingKeySet>> cache =
        RefreshingKeySet::create([fetch] { return fetch_jwks_https(fetch); },
                                 RefreshingKeySetOptions{.source = uri_for_messages(auth.jwt_jwks_uri)});
    if (!cache.is_ok()) return cache.status();
    return std::make_unique<JwtVerifier>(std::move(cache).value(), std::move(options));
  }
  constexpr std::string_view kFile = "file://";
  if (!std::string_view(auth.jwt_jwks_uri).starts_with(kFile)) {
    return Status(StatusCode::kInvalidArgument, "WEFTKIT_JWT_JWKS_URI must be an https:// or file:// URI");
  }
  StatusOr<JsonWebKeySet> keys = JsonWebKeySet::load(auth.jwt_jwks_uri.substr(kFile.size()));
  if (!keys.is_ok()) return keys.status();
  return std::make_unique<JwtVerifier>(std::move(keys).value(), std::move(options));
}

}  // namespace weftkit::auth
