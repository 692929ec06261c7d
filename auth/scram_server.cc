// The SCRAM-SHA-256 server state machine. Every failure path after client-first looks the same
// for known and unknown users; only a real user with the right proof reaches server-final.

#include "auth/base64.h"
#include "auth/credential_choice.h"
#include "auth/crypto_primitives.h"
#include "auth/login_audit.h"
#include "auth/scram_messages.h"
#include "weftkit/auth/scram.h"

namespace weftkit::auth {
namespace {

// The per-process key of mock salts: the same unknown name always gets the same salt (as a real
// user's does), and nobody outside the process can tell a mock salt from a real one.
const std::string& mock_salt_key() {
  static const std::string key = random_bytes(32).value_or(std::string());
  return key;
}

}  // namespace

struct ScramServer::Exchange {
  ClientFirst first;
  CredentialChoice choice;
  bool mock = false;  // unknown user, or an entry that is not a SCRAM verifier
  ScramVerifier verifier;
  std::string server_first;
  std::string combined_nonce;
};

ScramServer::ScramServer(ScramServerOptions options)
    : options_(std::move(options)), claimed_login_(options_.login_name) {}
ScramServer::~ScramServer() = default;

std::vector<std::string> ScramServer::mechanisms(bool channel_binding_available) {
  if (channel_binding_available) return {std::string(kScramSha256Plus), std::string(kScramSha256)};
  return {std::string(kScramSha256)};
}

ScramStep ScramServer::fail(AuthFailure failure, std::string_view server_error) {
  state_ = ScramState::kFailed;
  if (exchange_ && options_.throttle != nullptr && failure.kind == AuthFailureKind::kBadCredentials) {
    options_.throttle->record_failure(exchange_->choice.login.user, options_.source_address);
  }
  exchange_.reset();
  return ScramStep{"e=" + std::string(server_error), AuthResult(std::move(failure))};
}

ScramStep ScramServer::step(std::string_view client_message) {
  // A message after the end is refused again, but the login was already recorded once.
  const bool over = state_ == ScramState::kSucceeded || state_ == ScramState::kFailed;
  ScramStep answer = advance(client_message);
  if (!over && answer.outcome && audits_logins(options_.audit_sink.get())) {
    const std::string method = options_.mechanism == kScramSha256Plus ? "scram-sha-256-plus" : "scram-sha-256";
    report_login(*options_.audit_sink, claim_of_login(claimed_login_), *answer.outcome, options_.source_address,
                 method);
  }
  return answer;
}

ScramStep ScramServer::advance(std::string_view client_message) {
  switch (state_) {
    case ScramState::kExpectClientFirst: return on_client_first(client_message);
    case ScramState::kExpectClientFinal: return on_client_final(client_message);
    case ScramState::kSucceeded:
    case ScramState::kFailed: break;
  }
  return fail(AuthFailure{AuthFailureKind::kMalformed, "the SCRAM exchange is already over"}, "other-error");
}

ScramStep ScramServer::on_client_first(std::string_view message) {
  if (options_.users == nullptr) return fail({AuthFailureKind::kInternal, "no users file is loaded"}, "other-error");
  const bool plus = options_.mechanism == kScramSha256Plus;
  if (!plus && options_.mechanism != kScramSha256) {
    return fail({AuthFailureKind::kMalformed, "unknown SASL mechanism \"" + options_.mechanism + "\""}, "other-error");
  }
  if (plus && !options_.channel_binding) {
    return fail({AuthFailureKind::kChannelBindingMismatch, "SCRAM-SHA-256-PLUS needs a TLS connection"},
                "server-does-support-channel-binding");
  }
  auto parsed = parse_client_first(message);
  if (auto* error = std::get_if<ScramParseError>(&parsed)) {
    return fail({AuthFailureKind::kMalformed, error->message}, error->server_error);
  }
  ClientFirst& first = std::get<ClientFirst>(parsed);
  switch (first.flag) {
    case ChannelBindingFlag::kRequired:
      if (!plus) {
        return fail({AuthFailureKind::kChannelBindingMismatch, "channel binding was asked for with SCRAM-SHA-256"},
                    "other-error");
      }
      if (first.channel_binding_name != "tls-server-end-point") {
        return fail({AuthFailureKind::kChannelBindingMismatch, "only tls-server-end-point channel binding is supported"},
                    "unsupported-channel-binding-type");
      }
      break;
    case ChannelBindingFlag::kSupportedNotUsed:
      // The client could bind and thinks we cannot: someone removed -PLUS from our offer.
      if (options_.channel_binding) {
        return fail({AuthFailureKind::kChannelBindingMismatch,
                     "the client supports channel binding but believes the server does not (a downgrade)"},
                    "server-does-support-channel-binding");
      }
      [[fallthrough]];
    case ChannelBindingFlag::kNotSupported:
      if (plus) {
        return fail({AuthFailureKind::kChannelBindingMismatch, "SCRAM-SHA-256-PLUS was chosen without channel binding"},
                    "other-error");
      }
      break;
  }

  const std::string login = options_.login_name.empty() ? first.user : options_.login_name;
  claimed_login_ = login;
  StatusOr<LoginName> split = split_login_name(login);
  if (!split.is_ok()) return fail({AuthFailureKind::kMalformed, split.status().message()}, "other-error");
  if (options_.throttle != nullptr && !options_.throttle->allows(split.value().user, options_.source_address)) {
    return fail({AuthFailureKind::kThrottled, "too many failed logins for user \"" + split.value().user + "\" from " +
                                                  options_.source_address + "; try again in a minute"},
                "other-error");
  }

  auto exchange = std::make_unique<Exchange>();
  exchange->choice = choose_credential(*options_.users, std::move(split).value());
  // The mock material is made for every user, known or not, so that the work before
  // server-first (and so its timing) does not depend on whether the user exists.
  std::optional<std::string> salt = hmac_sha256(mock_salt_key(), login);
  std::optional<std::string> keys = random_bytes(2 * kSha256Size);
  if (mock_salt_key().empty() || !salt || !keys) {
    return fail({AuthFailureKind::kInternal, "no random bytes for the exchange"}, "other-error");
  }
  const PasswordEntry* entry = exchange->choice.entry;
  if (entry != nullptr && entry->scram) {
    exchange->verifier = *entry->scram;
  } else {
    exchange->mock = true;
    exchange->verifier = ScramVerifier{options_.users->mock_scram_iterations(), salt->substr(0, 16),
                                       keys->substr(0, kSha256Size), keys->substr(kSha256Size)};
  }
  std::string server_nonce = options_.server_nonce;
  if (server_nonce.empty()) {
    std::optional<std::string> random = random_bytes(18);
    if (!random) return fail({AuthFailureKind::kInternal, "no random bytes for the nonce"}, "other-error");
    server_nonce = base64_encode(*random);
  }
  exchange->combined_nonce = first.nonce + server_nonce;
  exchange->server_first = "r=" + exchange->combined_nonce + ",s=" + base64_encode(exchange->verifier.salt) +
                           ",i=" + std::to_string(exchange->verifier.iterations);
  exchange->first = std::move(first);
  exchange_ = std::move(exchange);
  state_ = ScramState::kExpectClientFinal;
  return ScramStep{exchange_->server_first, std::nullopt};
}

ScramStep ScramServer::on_client_final(std::string_view message) {
  auto parsed = parse_client_final(message);
  if (auto* error = std::get_if<ScramParseError>(&parsed)) {
    return fail({AuthFailureKind::kMalformed, error->message}, error->server_error);
  }
  const ClientFinal& final_message = std::get<ClientFinal>(parsed);
  Exchange& exchange = *exchange_;

  std::string expected_binding = exchange.first.gs2_header;
  if (exchange.first.flag == ChannelBindingFlag::kRequired) expected_binding += *options_.channel_binding;
  if (!constant_time_equal(final_message.channel_binding, expected_binding)) {
    return fail({AuthFailureKind::kChannelBindingMismatch, "the channel binding does not match this connection"},
                "channel-bindings-dont-match");
  }
  if (final_message.nonce != exchange.combined_nonce) {
    return fail({AuthFailureKind::kMalformed, "client-final message's nonce does not match the exchange's"},
                "other-error");
  }
  if (final_message.proof.size() != kSha256Size) {
    return fail({AuthFailureKind::kMalformed, "client-final message's proof is not 32 bytes"}, "invalid-encoding");
  }

  // ClientKey = ClientProof XOR HMAC(StoredKey, AuthMessage); the proof holds when H(ClientKey)
  // is the StoredKey. A mock exchange does the same work and fails.
  const std::string auth_message = exchange.first.bare + "," + exchange.server_first + "," + final_message.without_proof;
  std::optional<std::string> client_signature = hmac_sha256(exchange.verifier.stored_key, auth_message);
  std::optional<std::string> server_signature = hmac_sha256(exchange.verifier.server_key, auth_message);
  if (!client_signature || !server_signature) {
    return fail({AuthFailureKind::kInternal, "OpenSSL could not compute the SCRAM signatures"}, "other-error");
  }
  std::string client_key(kSha256Size, '\0');
  for (size_t i = 0; i < kSha256Size; ++i) client_key[i] = static_cast<char>(final_message.proof[i] ^ (*client_signature)[i]);
  std::optional<std::string> stored_key = sha256(client_key);
  const bool proven = stored_key && constant_time_equal(*stored_key, exchange.verifier.stored_key);
  if (!proven || exchange.mock) return fail(bad_credentials(exchange.choice.login), "invalid-proof");

  if (options_.throttle != nullptr) options_.throttle->record_success(exchange.choice.login.user, options_.source_address);
  auto tenant = resolve_tenant(exchange.choice, options_.tenants);
  if (AuthFailure* refused = std::get_if<AuthFailure>(&tenant)) return fail(std::move(*refused), "other-error");
  Identity identity;
  identity.user = exchange.choice.login.user;
  identity.tenant = std::get<std::optional<std::string>>(std::move(tenant));
  identity.source_address = options_.source_address;
  identity.auth_method = AuthMethod::kPassword;
  state_ = ScramState::kSucceeded;
  exchange_.reset();
  return ScramStep{"v=" + base64_encode(*server_signature), AuthResult(std::move(identity))};
}

}  // namespace weftkit::auth
