// SCRAM message grammar (RFC 5802 section 7), the subset a server receives.
#include "auth/scram_messages.h"

#include <vector>

#include "auth/base64.h"

namespace weftkit::auth {
namespace {

ScramParseError invalid(std::string message) { return ScramParseError{std::move(message), "invalid-encoding"}; }

// printable = %x21-2B / %x2D-7E: visible ASCII without ','.
bool is_printable_nonce(std::string_view nonce) {
  if (nonce.empty()) return false;
  for (char c : nonce) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x21 || byte > 0x7e || c == ',') return false;
  }
  return true;
}

// saslname: '=' only as "=2C" (',') or "=3D" ('='), no ',' and no NUL.
std::optional<std::string> unescape_saslname(std::string_view text) {
  std::string name;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\0' || text[i] == ',') return std::nullopt;
    if (text[i] != '=') {
      name.push_back(text[i]);
      continue;
    }
    const std::string_view escape = text.substr(i + 1, 2);
    if (escape == "2C") name.push_back(',');
    else if (escape == "3D") name.push_back('=');
    else return std::nullopt;
    i += 2;
  }
  return name;
}

std::vector<std::string_view> split_commas(std::string_view text) {
  std::vector<std::string_view> parts;
  while (true) {
    const size_t comma = text.find(',');
    parts.push_back(text.substr(0, comma));
    if (comma == std::string_view::npos) return parts;
    text.remove_prefix(comma + 1);
  }
}

}  // namespace

std::variant<ClientFirst, ScramParseError> parse_client_first(std::string_view message) {
  ClientFirst first;
  // gs2-header = gs2-cbind-flag "," [ authzid ] ","
  const size_t flag_end = message.find(',');
  if (flag_end == std::string_view::npos) return invalid("client-first message has no GS2 header");
  const std::string_view flag = message.substr(0, flag_end);
  if (flag == "n") {
    first.flag = ChannelBindingFlag::kNotSupported;
  } else if (flag == "y") {
    first.flag = ChannelBindingFlag::kSupportedNotUsed;
  } else if (flag.starts_with("p=") && flag.size() > 2) {
    first.flag = ChannelBindingFlag::kRequired;
    first.channel_binding_name = std::string(flag.substr(2));
  } else {
    return invalid("client-first message has an invalid channel-binding flag");
  }
  const size_t authzid_end = message.find(',', flag_end + 1);
  if (authzid_end == std::string_view::npos) return invalid("client-first message has an incomplete GS2 header");
  if (authzid_end != flag_end + 1) {
    // Acting as another user is not something this server offers.
    return ScramParseError{"authorization identities (a=) are not supported", "other-error"};
  }
  first.gs2_header = std::string(message.substr(0, authzid_end + 1));
  first.bare = std::string(message.substr(authzid_end + 1));

  const std::vector<std::string_view> attributes = split_commas(first.bare);
  size_t next = 0;
  if (next < attributes.size() && attributes[next].starts_with("m=")) {
    return ScramParseError{"mandatory SCRAM extensions are not supported", "extensions-not-supported"};
  }
  if (next >= attributes.size() || !attributes[next].starts_with("n=")) {
    return invalid("client-first message has no user name attribute (n=)");
  }
  std::optional<std::string> user = unescape_saslname(attributes[next].substr(2));
  if (!user) return invalid("client-first message has an invalid user name encoding");
  first.user = std::move(*user);
  ++next;
  if (next >= attributes.size() || !attributes[next].starts_with("r=")) {
    return invalid("client-first message has no nonce attribute (r=)");
  }
  first.nonce = std::string(attributes[next].substr(2));
  if (!is_printable_nonce(first.nonce)) return invalid("client-first message has an empty or invalid nonce");
  // Optional extensions may follow; each must still look like an attribute.
  for (++next; next < attributes.size(); ++next) {
    if (attributes[next].size() < 2 || attributes[next][1] != '=') {
      return invalid("client-first message has a malformed attribute");
    }
  }
  return first;
}

std::variant<ClientFinal, ScramParseError> parse_client_final(std::string_view message) {
  ClientFinal final_message;
  // The proof is the last attribute: everything before ",p=" is signed in the AuthMessage.
  const size_t proof_at = message.rfind(",p=");
  if (proof_at == std::string_view::npos) return invalid("client-final message has no proof attribute (p=)");
  final_message.without_proof = std::string(message.substr(0, proof_at));
  std::optional<std::string> proof = base64_decode(message.substr(proof_at + 3));
  if (!proof) return invalid("client-final message's proof is not valid base64");
  final_message.proof = std::move(*proof);

  const std::vector<std::string_view> attributes = split_commas(final_message.without_proof);
  if (attributes.empty() || !attributes[0].starts_with("c=")) {
    return invalid("client-final message has no channel-binding attribute (c=)");
  }
  std::optional<std::string> binding = base64_decode(attributes[0].substr(2));
  if (!binding) return invalid("client-final message's channel binding is not valid base64");
  final_message.channel_binding = std::move(*binding);
  if (attributes.size() < 2 || !attributes[1].starts_with("r=")) {
    return invalid("client-final message has no nonce attribute (r=)");
  }
  final_message.nonce = std::string(attributes[1].substr(2));
  for (size_t i = 2; i < attributes.size(); ++i) {
    if (attributes[i].size() < 2 || attributes[i][1] != '=') return invalid("client-final message has a malformed attribute");
  }
  return final_message;
}

}  // namespace weftkit::auth
