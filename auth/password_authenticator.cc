// Login by password: split the name, throttle, verify (a dummy for unknown users), then decide
// the tenant; the order keeps tenant answers from revealing anything before the password did.
#include "weftkit/auth/password_authenticator.h"

#include "auth/credential_choice.h"
#include "auth/login_audit.h"
#include "auth/password_hash.h"

namespace weftkit::auth {

PasswordAuthenticator::PasswordAuthenticator(PasswordAuthenticatorOptions options)
    : options_(std::move(options)),
      throttle_(options_.failures_per_minute, options_.clock),
      users_(std::make_shared<PasswordFile>()) {}

PasswordFileLoad PasswordAuthenticator::load_users_file(const std::string& path) {
  return publish(PasswordFile::load(path));
}

PasswordFileLoad PasswordAuthenticator::load_users_text(std::string_view text, std::string_view origin) {
  return publish(PasswordFile::parse(text, origin));
}

PasswordFileLoad PasswordAuthenticator::publish(PasswordFileLoad load) {
  if (load.ok()) {
    std::lock_guard lock(users_mutex_);
    users_ = load.file;
  }
  return load;
}

std::shared_ptr<const PasswordFile> PasswordAuthenticator::users() const {
  std::lock_guard lock(users_mutex_);
  return users_;
}

AuthResult PasswordAuthenticator::authenticate(std::string_view login, std::string_view password,
                                               std::string_view source_address) {
  AuthResult result = check(login, password, source_address);
  if (audits_logins(options_.audit_sink.get())) {
    report_login(*options_.audit_sink, claim_of_login(login), result, source_address, "password");
  }
  return result;
}

AuthResult PasswordAuthenticator::check(std::string_view login, std::string_view password,
                                        std::string_view source_address) {
  StatusOr<LoginName> split = split_login_name(login);
  if (!split.is_ok()) return AuthFailure{AuthFailureKind::kMalformed, split.status().message()};
  const std::string user = split.value().user;
  if (!throttle_.allows(user, source_address)) {
    return AuthFailure{AuthFailureKind::kThrottled, "too many failed logins for user \"" + user + "\" from " +
                                                        std::string(source_address) + "; try again in a minute"};
  }
  const std::shared_ptr<const PasswordFile> users = this->users();
  const CredentialChoice choice = choose_credential(*users, std::move(split).value());
  bool matches = false;
  if (choice.entry != nullptr) {
    matches = verify_password(*choice.entry, password);
  } else if (const PasswordEntry* dummy = users->dummy()) {
    (void)verify_password(*dummy, password);  // the same cost as a known user's wrong password
  }
  if (!matches) {
    throttle_.record_failure(user, source_address);
    return bad_credentials(choice.login);
  }
  throttle_.record_success(user, source_address);
  auto tenant = resolve_tenant(choice, options_.tenants);
  if (AuthFailure* refused = std::get_if<AuthFailure>(&tenant)) return std::move(*refused);
  Identity identity;
  identity.user = choice.login.user;
  identity.tenant = std::get<std::optional<std::string>>(std::move(tenant));
  identity.source_address = std::string(source_address);
  identity.auth_method = AuthMethod::kPassword;
  return identity;
}

}  // namespace weftkit::auth
