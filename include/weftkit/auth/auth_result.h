// What every authentication backend answers: the Identity a SecurityContext is built from, or
// a typed failure whose name is stable (for logs, metrics and the CLI's JSON) and whose message
// never holds a password, token or secret.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include <weftkit/policy_version.h>

namespace weftkit::auth {

enum class AuthFailureKind : uint8_t {
  kBadCredentials,        // unknown user or wrong password: the two are never told apart
  kTenantNotAllowed,      // the credential is good but the tenant asked for is not the user's
  kExpired,
  kNotYetValid,
  kBadSignature,
  kUnknownKey,
  kAlgorithmNotAllowed,
  kMalformed,             // a message, login name or token that does not parse
  kUntrustedCertificate,
  kRevoked,
  kMissingClaim,
  kUnknownRole,
  kThrottled,             // too many recent failures for this user from this address
  kChannelBindingMismatch,
  kWrongIssuer,           // a JWT from an issuer other than the configured one
  kWrongAudience,         // a JWT meant for another audience
  kInternal,              // an environment failure (randomness, OpenSSL); never an accept
};

// "bad_credentials", "tenant_not_allowed", ...: stable, snake_case.
std::string_view failure_name(AuthFailureKind kind);

struct AuthFailure {
  AuthFailureKind kind = AuthFailureKind::kInternal;
  std::string message;
};

class AuthResult {
 public:
  AuthResult(Identity identity) : value_(std::move(identity)) {}  // NOLINT: implicit, as StatusOr
  AuthResult(AuthFailure failure) : value_(std::move(failure)) {}  // NOLINT

  bool ok() const { return std::holds_alternative<Identity>(value_); }
  // identity() only when ok(), failure() only when not.
  const Identity& identity() const { return std::get<Identity>(value_); }
  const AuthFailure& failure() const { return std::get<AuthFailure>(value_); }

 private:
  std::variant<Identity, AuthFailure> value_;
};

}  // namespace weftkit::auth
