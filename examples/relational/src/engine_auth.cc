// Connection authentication (see engine_auth.h).
#include "engine_auth.h"

#include <openssl/x509.h>

#include <ctime>

#include <weftkit/auth/from_config.h>
#include <weftkit/auth/login_name.h>
#include <weftkit/auth/policy_directory.h>
#include <weftkit/auth/scram.h>

#include "wire_messages.h"

namespace relational {
namespace {

using namespace std::chrono_literals;
namespace auth = weftkit::auth;

constexpr auto kAuthMessageTimeout = 15s;

SqlError password_failed(const std::string& login) {
  return {"28P01", "password authentication failed for user \"" + login + "\""};
}

SqlError failed(const std::string& login, std::string_view method) {
  return {"28000", std::string(method) + " authentication failed for user \"" + login + "\""};
}

// The client's next authentication message ('p'), as its body.
std::optional<std::string> read_password_message(ByteStream& stream) {
  if (!stream.flush()) return std::nullopt;
  std::optional<FrontendMessage> message = read_message(stream, 64 * 1024, kAuthMessageTimeout);
  if (!message || message->type != 'p') return std::nullopt;
  return std::move(message->body);
}

// A cleartext secret (password or token) from PasswordMessage: the body up to its NUL.
std::optional<std::string> ask_cleartext(ByteStream& stream) {
  stream.write(authentication_message(3));
  std::optional<std::string> body = read_password_message(stream);
  if (!body) return std::nullopt;
  BodyReader reader(*body);
  return reader.cstring();
}

bool uses_scram(const auth::PasswordFile& users, const std::string& login) {
  const auth::PasswordEntry* entry = users.find(login);
  if (entry == nullptr) {
    if (weftkit::StatusOr<auth::LoginName> name = auth::split_login_name(login); name.is_ok()) {
      entry = users.find(name.value().user);
    }
  }
  // An unknown user gets what most users get (the file's common scheme), so the method offered
  // does not tell whether the user exists.
  if (entry == nullptr) entry = users.dummy();
  return entry != nullptr && entry->scheme == auth::HashScheme::kScramSha256;
}

std::optional<std::string> channel_binding_of(ByteStream& stream) {
  if (!stream.is_tls()) return std::nullopt;
  X509* certificate = SSL_get_certificate(stream.ssl());
  if (certificate == nullptr) return std::nullopt;
  unsigned char* der = nullptr;
  const int size = i2d_X509(certificate, &der);
  if (size <= 0) return std::nullopt;
  std::string bytes(reinterpret_cast<char*>(der), static_cast<size_t>(size));
  OPENSSL_free(der);
  weftkit::StatusOr<std::string> binding = auth::tls_server_end_point(bytes);
  if (!binding.is_ok()) return std::nullopt;
  return binding.value();
}

SqlResult<weftkit::Identity> scram_exchange(EngineAuth& engine, ByteStream& stream, const std::string& login,
                                            const std::string& peer) {
  std::optional<std::string> binding = channel_binding_of(stream);
  stream.write(authentication_sasl(auth::ScramServer::mechanisms(binding.has_value())));
  std::optional<std::string> initial = read_password_message(stream);
  if (!initial) return password_failed(login);
  BodyReader reader(*initial);
  std::optional<std::string> mechanism = reader.cstring();
  std::optional<int32_t> length = reader.int32();
  if (!mechanism || !length || *length < 0 || static_cast<size_t>(*length) != reader.rest().size()) {
    return SqlError{"08P01", "malformed SASLInitialResponse"};
  }
  if (*mechanism != auth::kScramSha256 && !(binding && *mechanism == auth::kScramSha256Plus)) {
    return SqlError{"28000", "SASL authentication mechanism not supported"};
  }
  auth::ScramServer server({.users = engine.passwords->users(),
                            .tenants = engine.tenants,
                            .login_name = login,
                            .source_address = peer,
                            .mechanism = *mechanism,
                            .channel_binding = *mechanism == auth::kScramSha256Plus ? binding : std::nullopt,
                            .throttle = &engine.passwords->throttle(),
                            .audit_sink = engine.audit_sink});
  auth::ScramStep first = server.step(reader.rest());
  if (first.outcome) return password_failed(login);
  stream.write(authentication_message(11, first.server_message));
  std::optional<std::string> final_message = read_password_message(stream);
  if (!final_message) return password_failed(login);
  auth::ScramStep last = server.step(*final_message);
  if (!last.outcome || !last.outcome->ok()) return password_failed(login);
  stream.write(authentication_message(12, last.server_message));
  return last.outcome->identity();
}

// The startup packet's user must be the one the token or certificate vouches for (and its
// tenant, when the login names one): a client cannot log in as one user with another's proof.
SqlStatus check_login_matches(const weftkit::Identity& identity, const std::string& login, std::string_view method) {
  weftkit::StatusOr<auth::LoginName> name = auth::split_login_name(login);
  if (!name.is_ok() || name.value().user != identity.user ||
      (name.value().tenant && name.value().tenant != identity.tenant)) {
    return failed(login, method);
  }
  return std::nullopt;
}

}  // namespace

weftkit::StatusOr<EngineAuth> start_auth(const weftkit::config::Config& config,
                                         const std::shared_ptr<const weftkit::PolicyStore>& store,
                                         std::shared_ptr<weftkit::audit::AuditSink> audit_sink,
                                         bool cleartext_without_tls) {
  using weftkit::config::AuthMode;
  if (!config.auth.mode) {
    return weftkit::Status(weftkit::StatusCode::kInvalidArgument, "WEFTKIT_AUTH is not set: no connection could log in");
  }
  EngineAuth engine;
  engine.mode = *config.auth.mode;
  engine.tenants = auth::tenant_lookup_from(store);
  engine.audit_sink = audit_sink;
  engine.cleartext_without_tls = cleartext_without_tls;
  switch (engine.mode) {
    case AuthMode::kPassword: {
      engine.passwords = std::make_unique<auth::PasswordAuthenticator>(
          auth::PasswordAuthenticatorOptions{.tenants = engine.tenants, .audit_sink = audit_sink});
      auth::PasswordFileLoad users = auth::load_users_from_config(config.auth, *engine.passwords);
      if (!users.ok()) {
        std::string message;
        for (const std::string& error : users.errors) message += (message.empty() ? "" : "\n") + error;
        return weftkit::Status(weftkit::StatusCode::kInvalidArgument, message);
      }
      break;
    }
    case AuthMode::kJwt: {
      auto tokens = auth::jwt_verifier_from_config(config.auth, auth::role_exists_in(store), engine.tenants, audit_sink);
      if (!tokens.is_ok()) return tokens.status();
      engine.tokens = std::move(tokens).value();
      break;
    }
    case AuthMode::kMtls: {
      auto certificates = auth::mtls_verifier_from_config(config.auth, engine.tenants, audit_sink);
      if (!certificates.is_ok()) return certificates.status();
      engine.certificates.emplace(std::move(certificates).value());
      break;
    }
  }
  return engine;
}

SqlResult<weftkit::Identity> authenticate_connection(EngineAuth& engine, ByteStream& stream, const std::string& login,
                                                     const std::string& peer) {
  using weftkit::config::AuthMode;
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  const bool may_send_cleartext = stream.is_tls() || engine.cleartext_without_tls;
  switch (engine.mode) {
    case AuthMode::kPassword: {
      std::shared_ptr<const auth::PasswordFile> users = engine.passwords->users();
      if (users && uses_scram(*users, login)) return scram_exchange(engine, stream, login, peer);
      if (!may_send_cleartext) {
        return SqlError{"28000", "password authentication for user \"" + login + "\" requires an SSL connection"};
      }
      std::optional<std::string> password = ask_cleartext(stream);
      if (!password) return password_failed(login);
      auth::AuthResult result = engine.passwords->authenticate(login, *password, peer);
      if (!result.ok()) return password_failed(login);
      return result.identity();
    }
    case AuthMode::kJwt: {
      if (!may_send_cleartext) return SqlError{"28000", "token authentication requires an SSL connection"};
      std::optional<std::string> token = ask_cleartext(stream);
      if (!token) return failed(login, "token");
      auth::AuthResult result = engine.tokens->verify(*token, now, peer);
      if (!result.ok()) return failed(login, "token");
      if (auto error = check_login_matches(result.identity(), login, "token")) return *error;
      return result.identity();
    }
    case AuthMode::kMtls: {
      if (!stream.is_tls()) return SqlError{"28000", "certificate authentication requires an SSL connection"};
      auth::AuthResult result = engine.certificates->verify_peer(stream.ssl(), now, peer);
      if (!result.ok()) return failed(login, "certificate");
      if (auto error = check_login_matches(result.identity(), login, "certificate")) return *error;
      return result.identity();
    }
  }
  return failed(login, "password");
}

}  // namespace relational
