// The password backend: checks a login name and password against the current users file,
// with throttling of repeated failures; the users file can be reloaded at any time, and a
// reload that fails leaves the serving users untouched.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include <weftkit/audit/sink.h>
#include "weftkit/auth/auth_result.h"
#include "weftkit/auth/failure_throttle.h"
#include "weftkit/auth/login_name.h"
#include "weftkit/auth/password_file.h"

namespace weftkit::auth {

struct PasswordAuthenticatorOptions {
  TenantLookup tenants = {};  // empty: nobody has tenants beyond tenant-scoped entries
  uint32_t failures_per_minute = FailureThrottle::kDefaultFailuresPerMinute;
  std::function<FailureThrottle::Clock::time_point()> clock = {};  // tests only
  // Given: every authenticate() records an auth event (identity, tenant, result, reason; never
  // the password). Only the sink interface is used: the audit library need not be linked.
  std::shared_ptr<audit::AuditSink> audit_sink = {};
};

class PasswordAuthenticator {
 public:
  explicit PasswordAuthenticator(PasswordAuthenticatorOptions options = {});

  // Serves the file's users when it loads without error; otherwise keeps the current ones.
  PasswordFileLoad load_users_file(const std::string& path);
  PasswordFileLoad load_users_text(std::string_view text, std::string_view origin);
  std::shared_ptr<const PasswordFile> users() const;

  // Thread-safe. `source_address` is the peer's address, for throttling and the identity.
  AuthResult authenticate(std::string_view login, std::string_view password, std::string_view source_address);

  const TenantLookup& tenants() const { return options_.tenants; }
  FailureThrottle& throttle() { return throttle_; }

 private:
  PasswordFileLoad publish(PasswordFileLoad load);
  AuthResult check(std::string_view login, std::string_view password, std::string_view source_address);

  const PasswordAuthenticatorOptions options_;
  FailureThrottle throttle_;
  mutable std::mutex users_mutex_;
  std::shared_ptr<const PasswordFile> users_;
};

}  // namespace weftkit::auth
