// Parsing of SCRAM's two client messages (RFC 5802 section 7), strictly: attributes in their
// required order, no empty nonce, saslname escapes checked.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace weftkit::auth {

enum class ChannelBindingFlag { kNotSupported /* n */, kSupportedNotUsed /* y */, kRequired /* p= */ };

struct ClientFirst {
  ChannelBindingFlag flag = ChannelBindingFlag::kNotSupported;
  std::string channel_binding_name;  // with kRequired
  std::string gs2_header;            // "n,," etc.: repeated (base64) in client-final's c=
  std::string bare;                  // client-first-message-bare, part of the AuthMessage
  std::string user;                  // n=, unescaped
  std::string nonce;                 // r=
};

struct ClientFinal {
  std::string channel_binding;  // c=, decoded
  std::string nonce;            // r=
  std::string without_proof;    // client-final-message-without-proof
  std::string proof;            // p=, decoded
};

// Why a message was refused, and the server-error value RFC 5802 names for it.
struct ScramParseError {
  std::string message;
  std::string server_error;  // "invalid-encoding", "extensions-not-supported", ...
};

std::variant<ClientFirst, ScramParseError> parse_client_first(std::string_view message);
std::variant<ClientFinal, ScramParseError> parse_client_final(std::string_view message);

}  // namespace weftkit::auth
