// SCRAM-SHA-256 (RFC 5802, RFC 7677) on the server side, as an explicit state machine an engine
// drives one message at a time from its wire protocol (PostgreSQL's SASL messages, say):
//
//   client-first  -> step() -> server-first
//   client-final  -> step() -> server-final, and the outcome (an Identity or a typed failure)
//
// Users are checked against the SCRAM verifiers of a users file. An unknown user (or one whose
// entry is not a SCRAM verifier) gets a mock exchange with a salt derived from the name, so that
// neither the messages nor their timing tell whether the user exists; it always fails at the
// end exactly as a wrong password does.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <weftkit/audit/sink.h>
#include <weftkit/status.h>
#include "weftkit/auth/auth_result.h"
#include "weftkit/auth/failure_throttle.h"
#include "weftkit/auth/login_name.h"
#include "weftkit/auth/password_file.h"

namespace weftkit::auth {

inline constexpr std::string_view kScramSha256 = "SCRAM-SHA-256";
inline constexpr std::string_view kScramSha256Plus = "SCRAM-SHA-256-PLUS";

// The tls-server-end-point channel-binding data of a server certificate (RFC 5929 section
// 4.1): the hash of its DER encoding with the hash of its signature algorithm, SHA-256 when
// that is MD5 or SHA-1. kInvalidArgument for a certificate that does not parse or whose
// signature has no single hash (Ed25519).
StatusOr<std::string> tls_server_end_point(std::string_view certificate_der);

// A users-file hash "SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>" for `password`
// with a random 16-byte salt. The password is used as its bytes (no SASLprep).
StatusOr<std::string> make_scram_verifier(std::string_view password, uint32_t iterations = 4096);
// The same with a given salt, for reproducible verifiers.
StatusOr<std::string> make_scram_verifier(std::string_view password, std::string_view salt, uint32_t iterations);

struct ScramServerOptions {
  std::shared_ptr<const PasswordFile> users;  // required (an empty file fails everyone)
  TenantLookup tenants = {};
  // The user the wire protocol named (PostgreSQL's startup message: libpq leaves SCRAM's n=
  // empty). Empty: the client-first message's n= is the login name.
  std::string login_name = {};
  std::string source_address = {};
  // The mechanism the client chose among those offered: SCRAM-SHA-256, or SCRAM-SHA-256-PLUS
  // (then the client must bind to the channel).
  std::string mechanism = std::string(kScramSha256);
  // tls_server_end_point() of this connection's server certificate, when the connection is TLS
  // (and so SCRAM-SHA-256-PLUS was offered); nullopt otherwise.
  std::optional<std::string> channel_binding = {};
  FailureThrottle* throttle = nullptr;  // optional; shared with the password backend
  // Tests only: the server's part of the nonce (printable, no ','). Empty: 18 random bytes.
  std::string server_nonce = {};
  // Given: the exchange's outcome is recorded as an auth event (the login name the client
  // claimed, never a proof or verifier) when step() returns it.
  std::shared_ptr<audit::AuditSink> audit_sink = {};
};

enum class ScramState : uint8_t { kExpectClientFirst, kExpectClientFinal, kSucceeded, kFailed };

struct ScramStep {
  // To send to the client: server-first, server-final ("v=..."), or on failure "e=..." (the
  // RFC's server-error, which an engine may send or replace with its protocol's own error).
  std::string server_message;
  // Set once the exchange is over: the Identity, or why it failed.
  std::optional<AuthResult> outcome;
};

class ScramServer {
 public:
  explicit ScramServer(ScramServerOptions options);
  ~ScramServer();
  ScramServer(const ScramServer&) = delete;
  ScramServer& operator=(const ScramServer&) = delete;

  // The next client message. After the exchange ended, any further message fails.
  ScramStep step(std::string_view client_message);
  ScramState state() const { return state_; }

  // The mechanisms to offer: SCRAM-SHA-256-PLUS first when the connection can bind.
  static std::vector<std::string> mechanisms(bool channel_binding_available);

 private:
  struct Exchange;
  ScramStep advance(std::string_view client_message);
  ScramStep fail(AuthFailure failure, std::string_view server_error);
  ScramStep on_client_first(std::string_view message);
  ScramStep on_client_final(std::string_view message);

  ScramServerOptions options_;
  ScramState state_ = ScramState::kExpectClientFirst;
  std::unique_ptr<Exchange> exchange_;
  std::string claimed_login_;  // for the audit event: the login name as far as it was given
};

}  // namespace weftkit::auth
