// `weftkit-policyc auth hash|password|jwt|cert`: the operator's view of the auth library. Each
// check builds the backend an engine would (from the WEFTKIT_* variables, overridden by the
// command line) and prints its answer as one JSON object; nothing here verifies anything itself.
// With WEFTKIT_AUDIT=true each check is also recorded in the audit log, by the backend itself.
#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include <weftkit/auth/from_config.h>
#include <weftkit/auth/mtls.h>
#include <weftkit/auth/password_authenticator.h>
#include <weftkit/auth/scram.h>
#include <weftkit/config.h>
#include "tools/weftkit-policyc/audit_setup.h"
#include "tools/weftkit-policyc/auth_command_line.h"
#include "tools/weftkit-policyc/auth_roles.h"
#include "tools/weftkit-policyc/command_line.h"
#include "tools/weftkit-policyc/commands.h"

namespace weftkit::policy::cli {
namespace {

// The address an identity made here carries: there is no peer, and throttling is per process.
constexpr std::string_view kSourceAddress = "weftkit-policyc";

int usage_error(const std::string& message) {
  std::cerr << "weftkit-policyc: error: " << message << "\n\n" << auth_usage_text();
  return kExitUsage;
}

int setup_error(const std::string& message) {
  std::cerr << "weftkit-policyc: error: " << message << "\n";
  return kExitPolicyErrors;
}

// One line of stdin without its newline; nullopt when stdin holds nothing at all.
std::optional<std::string> read_stdin_line() {
  std::string line;
  if (!std::getline(std::cin, line) && line.empty()) return std::nullopt;
  return line;
}

// The WEFTKIT_* configuration, checked as `config` checks it. The verbs use their variables
// whatever WEFTKIT_AUTH says, so "set but not used" warnings about them would be wrong here.
std::optional<config::AuthConfig> load_auth_config(const std::vector<std::string_view>& used_variables) {
  config::ConfigResult result = config::load_config(config::process_environment());
  for (const std::string& warning : result.warnings) {
    bool about_used = false;
    for (std::string_view name : used_variables) {
      about_used = about_used || warning.starts_with(std::string(name) + " is set but not used");
    }
    if (!about_used) std::cerr << "weftkit-policyc: warning: " << warning << "\n";
  }
  if (!result.ok()) {
    for (const std::string& error : result.errors) std::cerr << "weftkit-policyc: error: " << error << "\n";
    return std::nullopt;
  }
  return result.config->auth;
}

const char* method_name(AuthMethod method) {
  switch (method) {
    case AuthMethod::kPassword: return "password";
    case AuthMethod::kJwt: return "jwt";
    case AuthMethod::kMtls: return "mtls";
  }
  return "password";
}

// The accepted identity: the roles of the user's roles.yaml entry, then those the credential
// itself asked for (a token's roles claim).
int print_outcome(const auth::AuthResult& result, const AuthRoles& roles) {
  if (!result.ok()) {
    const auth::AuthFailure& failure = result.failure();
    nlohmann::ordered_json out = {{"error", std::string(auth::failure_name(failure.kind))},
                                  {"message", failure.message}};
    std::cout << out.dump() << "\n";
    return kExitPolicyErrors;
  }
  const Identity& identity = result.identity();
  std::vector<std::string> held = roles.roles_of(identity.user);
  for (const std::string& role : identity.roles) {
    if (std::find(held.begin(), held.end(), role) == held.end()) held.push_back(role);
  }
  // The backends already gave a login that named no tenant the user's default one.
  const std::optional<std::string>& tenant = identity.tenant;
  nlohmann::ordered_json out = {{"user", identity.user},
                                {"tenant", tenant ? nlohmann::ordered_json(*tenant) : nlohmann::ordered_json(nullptr)},
                                {"roles", held},
                                {"auth_method", method_name(identity.auth_method)}};
  std::cout << out.dump() << "\n";
  return kExitOk;
}

std::optional<AuthRoles> load_roles(const AuthCommandLine& line) {
  LoadedAuthRoles loaded = load_auth_roles(line.files);
  std::cerr << loaded.diagnostics;
  return std::move(loaded.roles);
}

int64_t now_of(const AuthCommandLine& line) { return line.now ? *line.now : static_cast<int64_t>(std::time(nullptr)); }

int run_hash(const AuthCommandLine& line) {
  std::optional<std::string> password = read_stdin_line();
  if (!password || password->empty()) return usage_error("'auth hash' reads the password on stdin; none was given");
  StatusOr<std::string> verifier = auth::make_scram_verifier(*password, line.iterations);
  if (!verifier.is_ok()) return setup_error(verifier.status().message());
  std::cout << verifier.value() << "\n";
  return kExitOk;
}

int run_password(const AuthCommandLine& line, const std::shared_ptr<audit::AuditSink>& sink) {
  std::optional<config::AuthConfig> auth_config = load_auth_config({"WEFTKIT_AUTH_USERS_FILE"});
  if (!auth_config) return kExitPolicyErrors;
  if (line.users_file) auth_config->users_file = *line.users_file;
  if (auth_config->users_file.empty()) {
    return usage_error("'auth password' needs --users-file F (or WEFTKIT_AUTH_USERS_FILE)");
  }
  std::optional<std::string> password = read_stdin_line();
  if (!password) return usage_error("'auth password' reads the password on stdin; none was given");
  std::optional<AuthRoles> roles = load_roles(line);
  if (!roles) return kExitPolicyErrors;
  auth::PasswordAuthenticator authenticator(auth::PasswordAuthenticatorOptions{.tenants = roles->tenant_lookup(), .audit_sink = sink});
  auth::PasswordFileLoad users = auth::load_users_from_config(*auth_config, authenticator);
  // The loader's lines already read "FILE:LINE: warning: ..." (and never quote a hash).
  for (const std::string& warning : users.warnings) std::cerr << warning << "\n";
  if (!users.ok()) {
    for (const std::string& error : users.errors) std::cerr << error << "\n";
    return kExitPolicyErrors;
  }
  return print_outcome(authenticator.authenticate(*line.login, *password, kSourceAddress), *roles);
}

// --jwks takes a path as well as a URI; the library reads file:// key sets and fetches
// https:// ones (checked against WEFTKIT_JWT_CA, or the system's CAs).
std::string jwks_uri(const std::string& given) {
  if (given.find("://") != std::string::npos) return given;
  return "file://" + std::filesystem::absolute(given).lexically_normal().string();
}

int run_jwt(const AuthCommandLine& line, const std::shared_ptr<audit::AuditSink>& sink) {
  std::optional<config::AuthConfig> auth_config = load_auth_config(
      {"WEFTKIT_JWT_JWKS_URI", "WEFTKIT_JWT_ISSUER", "WEFTKIT_JWT_AUDIENCE", "WEFTKIT_JWT_LEEWAY",
       "WEFTKIT_JWT_ROLES_CLAIM", "WEFTKIT_JWT_CA", "WEFTKIT_JWT_SECRET"});
  if (!auth_config) return kExitPolicyErrors;
  if (line.jwks) auth_config->jwt_jwks_uri = jwks_uri(*line.jwks);
  if (line.issuer) auth_config->jwt_issuer = *line.issuer;
  if (line.audience) auth_config->jwt_audience = *line.audience;
  if (auth_config->jwt_jwks_uri.empty() && !auth_config->jwt_secret) {
    return usage_error("'auth jwt' needs --jwks JWKS.json|file://URI (or WEFTKIT_JWT_JWKS_URI or WEFTKIT_JWT_SECRET)");
  }
  if (!auth_config->jwt_jwks_uri.empty() && !auth_config->jwt_jwks_uri.starts_with("file://") &&
      !auth_config->jwt_jwks_uri.starts_with("https://")) {
    return usage_error("option '--jwks' takes a file path, a file:// URI or an https:// URI");
  }
  std::string token = *line.token;
  if (token == "-") {
    std::optional<std::string> read = read_stdin_line();
    if (!read) return usage_error("'auth jwt -' reads the token on stdin; none was given");
    token = std::move(*read);
  }
  std::optional<AuthRoles> roles = load_roles(line);
  if (!roles) return kExitPolicyErrors;
  StatusOr<std::unique_ptr<auth::JwtVerifier>> verifier =
      auth::jwt_verifier_from_config(*auth_config, roles->role_exists(), roles->tenant_lookup(), sink);
  if (!verifier.is_ok()) return setup_error("the key set: " + verifier.status().message());
  return print_outcome(verifier.value()->verify(token, now_of(line), kSourceAddress), *roles);
}

int run_cert(const AuthCommandLine& line, const std::shared_ptr<audit::AuditSink>& sink) {
  std::optional<config::AuthConfig> auth_config =
      load_auth_config({"WEFTKIT_MTLS_CA", "WEFTKIT_MTLS_CRL", "WEFTKIT_MTLS_TENANT_ATTRIBUTE"});
  if (!auth_config) return kExitPolicyErrors;
  if (line.ca) auth_config->mtls_ca = *line.ca;
  if (line.crl) auth_config->mtls_crl = *line.crl;
  if (auth_config->mtls_ca.empty()) return usage_error("'auth cert' needs --ca CA.pem (or WEFTKIT_MTLS_CA)");
  std::ifstream file(*line.chain, std::ios::binary);
  std::stringstream chain;
  chain << file.rdbuf();
  if (!file) return setup_error("cannot read the certificate chain '" + *line.chain + "'");
  std::optional<AuthRoles> roles = load_roles(line);
  if (!roles) return kExitPolicyErrors;
  StatusOr<auth::MtlsVerifier> verifier = auth::mtls_verifier_from_config(*auth_config, roles->tenant_lookup(), sink);
  if (!verifier.is_ok()) return setup_error(verifier.status().message());
  return print_outcome(verifier.value().verify_pem(chain.str(), now_of(line), kSourceAddress), *roles);
}

}  // namespace

int run_auth(const std::vector<std::string>& arguments) {
  ParsedAuthCommandLine parsed = parse_auth_command_line(arguments);
  if (!parsed.command_line) return usage_error(parsed.usage_error);
  const AuthCommandLine& line = *parsed.command_line;
  if (line.help) {
    std::cout << auth_usage_text();
    return kExitOk;
  }
  if (line.subcommand == "hash") return run_hash(line);  // no authentication, nothing to record
  // A bad audit setting is a usage error: the operator asked for a record that cannot be made.
  CliAudit audit = open_cli_audit();
  if (audit.failed) return kExitUsage;
  int code = kExitOk;
  if (line.subcommand == "password") code = run_password(line, audit.writer);
  else if (line.subcommand == "jwt") code = run_jwt(line, audit.writer);
  else code = run_cert(line, audit.writer);
  return finish_cli_audit(audit, code);
}

}  // namespace weftkit::policy::cli
