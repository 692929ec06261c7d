// Vault transit over HTTP (see vault_transit.h).
#include "crypto/src/vault_transit.h"

#include <openssl/crypto.h>

#include <nlohmann/json.hpp>

#include "crypto/src/base64.h"

namespace weftkit::crypto::detail {
namespace {

using Json = nlohmann::json;

void wipe(std::string& text) { OPENSSL_cleanse(text.data(), text.size()); }

// Mount paths may nest ("secret/transit"); key names may not. Either is put into the URL as
// is, so only characters that need no escaping are accepted, and no empty or dot segment.
bool is_plain_path(const std::string& text, bool allow_slash) {
  if (text.empty() || text.front() == '/' || text.back() == '/') return false;
  std::size_t segment_start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '/') {
      std::string_view segment(text.data() + segment_start, i - segment_start);
      if (segment.empty() || segment == "." || segment == "..") return false;
      if (i < text.size() && !allow_slash) return false;
      segment_start = i + 1;
      continue;
    }
    const char c = text[i];
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                       c == '_' || c == '.';
    if (!plain) return false;
  }
  return true;
}

// Vault answers errors as {"errors": ["..."]}. Its text is kept short and the token removed,
// should a proxy or plugin ever echo it.
std::string vault_error_text(const std::string& body, const std::string& token) {
  Json parsed = Json::parse(body, nullptr, false);
  std::string text;
  if (!parsed.is_discarded() && parsed.is_object() && parsed.contains("errors") && parsed["errors"].is_array()) {
    for (const Json& item : parsed["errors"]) {
      if (!item.is_string()) continue;
      if (!text.empty()) text += "; ";
      text += item.get<std::string>();
    }
    if (text.empty()) text = "no error text";
  } else {
    text = "an answer that is not Vault's JSON error form";
  }
  constexpr std::size_t kMaxText = 300;
  if (text.size() > kMaxText) text = text.substr(0, kMaxText) + "...";
  if (!token.empty()) {
    for (std::size_t at = text.find(token); at != std::string::npos; at = text.find(token, at)) {
      text.replace(at, token.size(), "<token>");
    }
  }
  return text;
}

}  // namespace

VaultTransit::VaultTransit(const KeyProviderSettings& settings, HttpClient client)
    : address_(settings.vault_addr),
      token_(settings.vault_token),
      mount_(settings.vault_mount),
      key_(settings.vault_transit_key),
      namespace_(settings.vault_namespace),
      client_(std::move(client)) {
  while (!address_.empty() && address_.back() == '/') address_.pop_back();
}

VaultTransit::~VaultTransit() { wipe(token_); }

Result<VaultTransit> VaultTransit::create(const KeyProviderSettings& settings) {
  if (settings.vault_addr.empty()) return Error(ErrorCode::kKeyProviderError, "vault: the Vault address is not set");
  if (settings.vault_token.empty()) return Error(ErrorCode::kKeyProviderError, "vault: the Vault token is not set");
  if (settings.vault_token.find_first_of("\r\n") != std::string::npos) {
    return Error(ErrorCode::kKeyProviderError, "vault: the Vault token holds a line break");
  }
  if (settings.vault_namespace.find_first_of("\r\n") != std::string::npos) {
    return Error(ErrorCode::kKeyProviderError, "vault: the Vault namespace holds a line break");
  }
  if (!is_plain_path(settings.vault_transit_key, false)) {
    return Error(ErrorCode::kKeyProviderError, "vault: the transit key name '" + settings.vault_transit_key +
                                                  "' is empty or not made of letters, digits, '-', '_' and '.'");
  }
  if (!is_plain_path(settings.vault_mount, true)) {
    return Error(ErrorCode::kKeyProviderError, "vault: the transit mount '" + settings.vault_mount +
                                                  "' is empty or not a plain path (letters, digits, '-', '_', '.', '/')");
  }
  if (std::string refusal = url_refusal(settings.vault_addr); !refusal.empty()) {
    return Error(ErrorCode::kKeyProviderError, "vault: the address is refused: " + refusal);
  }
  Result<HttpClientOptions> options = http_client_options(settings.remote, "vault");
  if (!options.ok()) return options.error();
  return VaultTransit(settings, HttpClient(std::move(options).value()));
}

Result<std::string> VaultTransit::call(const std::string& operation, const std::string& body, const char* field,
                                       const std::string& suffix) const {
  std::string path = "/v1/" + mount_ + "/" + operation + "/" + key_ + suffix;
  HttpHeaders headers{{"X-Vault-Token", token_}, {"Content-Type", "application/json"}};
  if (!namespace_.empty()) headers.emplace_back("X-Vault-Namespace", namespace_);
  Result<HttpResponse> answer = client_.post(address_ + path, headers, body);
  for (auto& [name, value] : headers) wipe(value);
  if (!answer.ok()) return answer.error();
  HttpResponse& response = answer.value();
  if (response.status < 200 || response.status > 299) {
    std::string message = "vault: " + operation + " with transit key '" + key_ + "' (POST " + path + ") answered HTTP " +
                          std::to_string(response.status) + ": " + vault_error_text(response.body, token_);
    wipe(response.body);
    // Transit answers a ciphertext whose GCM tag fails with 400 "cipher: message authentication
    // failed": the stored bytes are not authentic, which every provider reports the same way.
    const bool refused = operation == "decrypt" && response.status == 400 &&
                         message.find("message authentication failed") != std::string::npos;
    return Error(refused ? ErrorCode::kAuthenticationFailed : ErrorCode::kKeyProviderError, std::move(message));
  }
  Json parsed = Json::parse(response.body, nullptr, false);
  wipe(response.body);
  std::string value;
  bool found = false;
  if (!parsed.is_discarded() && parsed.is_object()) {
    auto data = parsed.find("data");
    if (data != parsed.end() && data->is_object()) {
      auto item = data->find(field);
      if (item != data->end() && item->is_string()) {
        std::string& stored = item->get_ref<std::string&>();
        value = stored;
        wipe(stored);
        found = true;
      }
    }
  }
  if (!found) {
    return Error(ErrorCode::kKeyProviderError, "vault: " + operation + " (POST " + path + ") answered HTTP " +
                                                   std::to_string(response.status) + " without a string data." + field +
                                                   (parsed.is_discarded() ? " (the answer is not JSON)" : ""));
  }
  return value;
}

Result<std::string> VaultTransit::encrypt(std::span<const std::uint8_t> plaintext) const {
  std::string encoded = encode_base64(plaintext);
  // Built by hand into a reserved buffer (base64 needs no JSON escaping) so no copy of the
  // key's base64 is left behind in a JSON object or a reallocated string.
  constexpr std::string_view kOpen = "{\"plaintext\":\"", kClose = "\"}";
  std::string body;
  body.reserve(kOpen.size() + encoded.size() + kClose.size());
  body.append(kOpen).append(encoded).append(kClose);
  wipe(encoded);
  Result<std::string> ciphertext = call("encrypt", body, "ciphertext");
  wipe(body);
  if (ciphertext.ok() && !ciphertext.value().starts_with("vault:v")) {
    return Error(ErrorCode::kKeyProviderError, "vault: encrypt answered a ciphertext that does not start with 'vault:v'");
  }
  return ciphertext;
}

Result<WipedBytes> VaultTransit::decrypt(const std::string& ciphertext) const {
  std::string body = Json{{"ciphertext", ciphertext}}.dump();
  Result<std::string> encoded = call("decrypt", body, "plaintext");
  if (!encoded.ok()) return encoded.error();
  // Base64 of n bytes is at most 4 * ceil(n / 3) characters: size the buffer from the text.
  WipedBytes plaintext(encoded.value().size() / 4 * 3 + 3);
  Base64Decoded decoded = decode_base64(encoded.value(), plaintext.bytes());
  wipe(encoded.value());
  if (!decoded.ok) return Error(ErrorCode::kKeyProviderError, "vault: decrypt answered a plaintext that is not base64: " + decoded.problem);
  plaintext.bytes().resize(decoded.decoded_size);  // shrinking never reallocates
  return plaintext;
}

Result<WipedBytes> VaultTransit::hmac_sha256(std::span<const std::uint8_t> input, std::uint32_t key_version) const {
  std::string body = Json{{"input", encode_base64(input)}, {"key_version", key_version}}.dump();
  Result<std::string> mac = call("hmac", body, "hmac", "/sha2-256");
  if (!mac.ok()) return mac.error();
  // "vault:v<version>:<base64 of the MAC>"; the version must be the one asked for, or the
  // keyring's authentication key would silently change.
  const std::string expected_prefix = "vault:v" + std::to_string(key_version) + ":";
  std::string& text = mac.value();
  if (!text.starts_with(expected_prefix)) {
    wipe(text);
    return Error(ErrorCode::kKeyProviderError, "vault: hmac answered a value that does not start with '" +
                                                   expected_prefix + "'");
  }
  WipedBytes out(32);
  Base64Decoded decoded = decode_base64(std::string_view(text).substr(expected_prefix.size()), out.bytes());
  wipe(text);
  if (!decoded.ok || decoded.decoded_size != 32) {
    return Error(ErrorCode::kKeyProviderError, "vault: hmac answered a value that is not base64 of 32 bytes");
  }
  return out;
}

}  // namespace weftkit::crypto::detail
