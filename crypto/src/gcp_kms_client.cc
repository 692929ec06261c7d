// Cloud KMS over HTTP (see gcp_kms_client.h).
#include "crypto/src/gcp_kms_client.h"

#include <openssl/crypto.h>

#include <optional>

#include <nlohmann/json.hpp>

#include "crypto/src/base64.h"
#include "crypto/src/crc32c.h"

namespace weftkit::crypto::detail {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kDefaultEndpoint = "https://cloudkms.googleapis.com";

void wipe(std::string& text) { OPENSSL_cleanse(text.data(), text.size()); }

Error provider_error(std::string message) { return Error(ErrorCode::kKeyProviderError, "gcp-kms: " + std::move(message)); }

bool is_name_segment(std::string_view segment) {
  if (segment.empty() || segment.size() > 63) return false;
  for (char c : segment) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
  }
  return true;
}

// Google's JSON mapping writes int64 fields (the CRC32C values) as decimal strings; numbers are
// accepted too. nullopt when absent or not a 32-bit value.
std::optional<std::uint32_t> crc_field(const Json& object, const char* name) {
  auto item = object.find(name);
  if (item == object.end()) return std::nullopt;
  std::uint64_t value = 0;
  if (item->is_number_unsigned()) {
    value = item->get<std::uint64_t>();
  } else if (item->is_string()) {
    const std::string& text = item->get_ref<const std::string&>();
    if (text.empty() || text.size() > 10) return std::nullopt;
    for (char c : text) {
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + static_cast<std::uint64_t>(c - '0');
    }
  } else {
    return std::nullopt;
  }
  if (value > 0xFFFFFFFFu) return std::nullopt;
  return static_cast<std::uint32_t>(value);
}

bool true_field(const Json& object, const char* name) {
  auto item = object.find(name);
  return item != object.end() && item->is_boolean() && item->get<bool>();
}

// The base64 field of an answer decoded into wiped memory, its copy in the JSON wiped.
std::optional<WipedBytes> bytes_field(Json& object, const char* name) {
  auto item = object.find(name);
  if (item == object.end() || !item->is_string()) return std::nullopt;
  std::string& encoded = item->get_ref<std::string&>();
  WipedBytes out(encoded.size() / 4 * 3 + 3);
  Base64Decoded decoded = decode_base64(encoded, out.bytes());
  wipe(encoded);
  if (!decoded.ok) return std::nullopt;
  out.bytes().resize(decoded.decoded_size);
  return out;
}

std::string crc_text(std::span<const std::uint8_t> bytes) { return std::to_string(crc32c(bytes)); }

// Google answers errors as {"error": {"code": 400, "message": "...", "status": "INVALID_ARGUMENT"}}.
struct GoogleError {
  std::string status;
  std::string message;
};

GoogleError google_error(const std::string& body, const std::string& token) {
  Json parsed = Json::parse(body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object() || !parsed.contains("error") || !parsed["error"].is_object()) {
    return {"", "an answer that is not Google's JSON error form"};
  }
  const Json& error = parsed["error"];
  GoogleError out;
  if (auto status = error.find("status"); status != error.end() && status->is_string()) out.status = status->get<std::string>();
  if (auto message = error.find("message"); message != error.end() && message->is_string()) out.message = message->get<std::string>();
  constexpr std::size_t kMaxText = 300;
  if (out.message.size() > kMaxText) out.message = out.message.substr(0, kMaxText) + "...";
  // Should a proxy ever echo the request's Authorization header.
  if (!token.empty()) {
    for (std::size_t at = out.message.find(token); at != std::string::npos; at = out.message.find(token, at)) {
      out.message.replace(at, token.size(), "<token>");
    }
  }
  return out;
}

}  // namespace

bool is_gcp_crypto_key_name(const std::string& name, bool with_version) {
  static constexpr std::string_view kCollections[] = {"projects", "locations", "keyRings", "cryptoKeys", "cryptoKeyVersions"};
  const std::size_t pairs = with_version ? 5 : 4;
  std::string_view rest = name;
  for (std::size_t i = 0; i < pairs; ++i) {
    const std::string prefix = std::string(kCollections[i]) + "/";
    if (!rest.starts_with(prefix)) return false;
    rest.remove_prefix(prefix.size());
    const std::size_t slash = rest.find('/');
    const bool last = i + 1 == pairs;
    if (last != (slash == std::string_view::npos)) return false;
    if (!is_name_segment(rest.substr(0, slash))) return false;
    rest.remove_prefix(last ? rest.size() : slash + 1);
  }
  return true;
}

GcpKmsClient::GcpKmsClient(const KeyProviderSettings& settings, std::string endpoint, HttpClient client,
                           std::unique_ptr<GcpTokenSource> tokens)
    : key_(settings.gcp_kms_key),
      mac_key_version_(settings.gcp_kms_mac_key_version),
      endpoint_(std::move(endpoint)),
      client_(std::move(client)),
      tokens_(std::move(tokens)) {}

Result<GcpKmsClient> GcpKmsClient::create(const KeyProviderSettings& settings) {
  if (settings.gcp_kms_key.empty()) return provider_error("the crypto key (gcp_kms_key) is not set");
  if (!is_gcp_crypto_key_name(settings.gcp_kms_key, false)) {
    return provider_error("the crypto key '" + settings.gcp_kms_key +
                          "' is not projects/PROJECT/locations/LOCATION/keyRings/RING/cryptoKeys/KEY");
  }
  if (settings.gcp_kms_mac_key_version.empty()) {
    return provider_error("the MAC key version (gcp_kms_mac_key_version, an HMAC_SHA256 key's version) that derives "
                          "the keyring authentication key is not set");
  }
  if (!is_gcp_crypto_key_name(settings.gcp_kms_mac_key_version, true)) {
    return provider_error("the MAC key version '" + settings.gcp_kms_mac_key_version +
                          "' is not projects/PROJECT/locations/LOCATION/keyRings/RING/cryptoKeys/KEY/cryptoKeyVersions/N");
  }
  std::string endpoint = settings.gcp_kms_endpoint.empty() ? std::string(kDefaultEndpoint) : settings.gcp_kms_endpoint;
  while (endpoint.ends_with('/')) endpoint.pop_back();
  if (std::string refusal = url_refusal(endpoint); !refusal.empty()) {
    return provider_error("the endpoint is refused: " + refusal);
  }
  if (const std::size_t authority = endpoint.find("://");
      authority != std::string::npos && endpoint.find('/', authority + 3) != std::string::npos) {
    return provider_error("the endpoint '" + endpoint + "' has a path; give scheme, host and port only");
  }
  Result<HttpClientOptions> options = http_client_options(settings.remote, "gcp-kms");
  if (!options.ok()) return options.error();
  Result<std::unique_ptr<GcpTokenSource>> tokens = GcpTokenSource::create(settings, options.value());
  if (!tokens.ok()) return tokens.error();
  return GcpKmsClient(settings, std::move(endpoint), HttpClient(std::move(options).value()), std::move(tokens).value());
}

Result<std::string> GcpKmsClient::call(const std::string& resource, const std::string& method, const std::string& body,
                                       bool& corrupted) const {
  const std::string url = endpoint_ + "/v1/" + resource + ":" + method;
  // A 401 with a service account's token (revoked, or expired early) is answered once with a
  // fresh token; a fixed token cannot be renewed here.
  for (int round = 0;; ++round) {
    Result<std::string> token = tokens_->token();
    if (!token.ok()) return token.error();
    HttpHeaders headers{{"Authorization", "Bearer " + token.value()}, {"Content-Type", "application/json"}};
    Result<HttpResponse> answer = client_.post(url, headers, body);
    for (auto& [name, value] : headers) wipe(value);
    if (!answer.ok()) {
      wipe(token.value());
      return answer.error();
    }
    HttpResponse& response = answer.value();
    if (response.status == 401 && round == 0 && tokens_->refused(token.value())) {
      wipe(token.value());
      wipe(response.body);
      continue;
    }
    if (response.status < 200 || response.status > 299) {
      GoogleError error = google_error(response.body, token.value());
      wipe(token.value());
      wipe(response.body);
      std::string message = "gcp-kms: " + method + " with '" + resource + "' answered HTTP " +
                            std::to_string(response.status) + ": " + (error.status.empty() ? "" : error.status + ": ") +
                            error.message;
      // Cloud KMS refuses a ciphertext that does not authenticate under this key and AAD with
      // INVALID_ARGUMENT "Decryption failed: ..."; other INVALID_ARGUMENTs (a checksum that
      // does not match, a malformed request) are not about authenticity.
      const bool refused = method == "decrypt" && response.status == 400 && error.status == "INVALID_ARGUMENT" &&
                           error.message.find("Decryption failed") != std::string::npos;
      // A checksum the service could not verify means the request was corrupted on its way.
      corrupted = response.status == 400 && error.status == "INVALID_ARGUMENT" &&
                  error.message.find("checksum") != std::string::npos;
      return Error(refused ? ErrorCode::kAuthenticationFailed : ErrorCode::kKeyProviderError, std::move(message));
    }
    wipe(token.value());
    return std::move(response.body);
  }
}

Result<std::vector<std::uint8_t>> GcpKmsClient::encrypt_once(std::span<const std::uint8_t> plaintext,
                                                             std::span<const std::uint8_t> aad, bool& corrupted) const {
  std::string encoded = encode_base64(plaintext);
  const std::string head = "{\"plaintext\":\"";
  const std::string tail = "\",\"plaintextCrc32c\":\"" + crc_text(plaintext) + "\",\"additionalAuthenticatedData\":\"" +
                           encode_base64(aad) + "\",\"additionalAuthenticatedDataCrc32c\":\"" + crc_text(aad) + "\"}";
  // Built by hand into a reserved buffer so the key's base64 leaves no unwiped copy behind.
  std::string body;
  body.reserve(head.size() + encoded.size() + tail.size());
  body.append(head).append(encoded).append(tail);
  wipe(encoded);
  Result<std::string> answer = call(key_, "encrypt", body, corrupted);
  wipe(body);
  if (!answer.ok()) return answer.error();
  Json parsed = Json::parse(answer.value(), nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) return provider_error("encrypt answered something that is not a JSON object");
  // Google: if verifiedPlaintextCrc32c or verifiedAdditionalAuthenticatedDataCrc32c is false
  // (or absent), the request was corrupted on its way and the answer must be discarded.
  corrupted = true;  // until the answer passes its integrity checks
  if (!true_field(parsed, "verifiedPlaintextCrc32c")) return provider_error("encrypt did not verify the plaintext's CRC32C");
  if (!true_field(parsed, "verifiedAdditionalAuthenticatedDataCrc32c")) {
    return provider_error("encrypt did not verify the additional authenticated data's CRC32C");
  }
  corrupted = false;
  auto name = parsed.find("name");
  if (name == parsed.end() || !name->is_string() || !name->get<std::string>().starts_with(key_ + "/cryptoKeyVersions/")) {
    return provider_error("encrypt answered for a key version that is not of '" + key_ + "'");
  }
  std::optional<std::uint32_t> crc = crc_field(parsed, "ciphertextCrc32c");
  std::optional<WipedBytes> ciphertext = bytes_field(parsed, "ciphertext");
  if (!ciphertext || ciphertext->bytes().empty()) return provider_error("encrypt answered without a base64 ciphertext");
  if (!crc || *crc != crc32c(ciphertext->bytes())) {
    corrupted = crc.has_value();
    return provider_error("encrypt answered a ciphertext whose CRC32C does not match ciphertextCrc32c (corrupted in transit)");
  }
  return std::vector<std::uint8_t>(ciphertext->bytes().begin(), ciphertext->bytes().end());
}

Result<WipedBytes> GcpKmsClient::decrypt_once(std::span<const std::uint8_t> ciphertext, std::span<const std::uint8_t> aad,
                                              bool& corrupted) const {
  std::string body = Json{{"ciphertext", encode_base64(ciphertext)},
                          {"ciphertextCrc32c", crc_text(ciphertext)},
                          {"additionalAuthenticatedData", encode_base64(aad)},
                          {"additionalAuthenticatedDataCrc32c", crc_text(aad)}}
                         .dump();
  Result<std::string> answer = call(key_, "decrypt", body, corrupted);
  if (!answer.ok()) return answer.error();
  Json parsed = Json::parse(answer.value(), nullptr, false);
  wipe(answer.value());
  if (parsed.is_discarded() || !parsed.is_object()) return provider_error("decrypt answered something that is not a JSON object");
  std::optional<std::uint32_t> crc = crc_field(parsed, "plaintextCrc32c");
  std::optional<WipedBytes> plaintext = bytes_field(parsed, "plaintext");
  if (!plaintext) return provider_error("decrypt answered without a base64 plaintext");
  if (!crc || *crc != crc32c(plaintext->bytes())) {
    corrupted = crc.has_value();
    return provider_error("decrypt answered a plaintext whose CRC32C does not match plaintextCrc32c (corrupted in transit)");
  }
  return std::move(*plaintext);
}

Result<WipedBytes> GcpKmsClient::mac_sign_once(std::span<const std::uint8_t> data, bool& corrupted) const {
  std::string body = Json{{"data", encode_base64(data)}, {"dataCrc32c", crc_text(data)}}.dump();
  Result<std::string> answer = call(mac_key_version_, "macSign", body, corrupted);
  if (!answer.ok()) return answer.error();
  Json parsed = Json::parse(answer.value(), nullptr, false);
  wipe(answer.value());
  if (parsed.is_discarded() || !parsed.is_object()) return provider_error("macSign answered something that is not a JSON object");
  if (!true_field(parsed, "verifiedDataCrc32c")) {
    corrupted = true;
    return provider_error("macSign did not verify the data's CRC32C");
  }
  auto name = parsed.find("name");
  if (name == parsed.end() || !name->is_string() || name->get<std::string>() != mac_key_version_) {
    return provider_error("macSign answered for another key version than '" + mac_key_version_ + "'");
  }
  std::optional<std::uint32_t> crc = crc_field(parsed, "macCrc32c");
  std::optional<WipedBytes> mac = bytes_field(parsed, "mac");
  if (!mac || mac->bytes().size() != 32) return provider_error("macSign answered without a base64 32-byte mac");
  if (!crc || *crc != crc32c(mac->bytes())) {
    corrupted = crc.has_value();
    return provider_error("macSign answered a mac whose CRC32C does not match macCrc32c (corrupted in transit)");
  }
  return std::move(*mac);
}

// Google: discard an answer whose integrity check fails and retry a limited number of times.
// Each attempt is a whole call (itself retried on 5xx/429), so a persistent mismatch ends after
// kIntegrityAttempts with the last attempt's error.
template <class Attempt>
auto with_integrity_retries(Attempt attempt) {
  constexpr int kIntegrityAttempts = 3;
  for (int round = 1;; ++round) {
    bool corrupted = false;
    auto result = attempt(corrupted);
    if (result.ok() || !corrupted || round == kIntegrityAttempts) return result;
  }
}

Result<std::vector<std::uint8_t>> GcpKmsClient::encrypt(std::span<const std::uint8_t> plaintext,
                                                        std::span<const std::uint8_t> aad) const {
  return with_integrity_retries([&](bool& corrupted) { return encrypt_once(plaintext, aad, corrupted); });
}

Result<WipedBytes> GcpKmsClient::decrypt(std::span<const std::uint8_t> ciphertext, std::span<const std::uint8_t> aad) const {
  return with_integrity_retries([&](bool& corrupted) { return decrypt_once(ciphertext, aad, corrupted); });
}

Result<WipedBytes> GcpKmsClient::mac_sign(std::span<const std::uint8_t> data) const {
  return with_integrity_retries([&](bool& corrupted) { return mac_sign_once(data, corrupted); });
}

}  // namespace weftkit::crypto::detail
