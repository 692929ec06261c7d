// AWS KMS over HTTP (see kms_client.h).
#include "crypto/src/kms_client.h"

#include <curl/curl.h>
#include <openssl/crypto.h>

#include <ctime>
#include <memory>

#include <nlohmann/json.hpp>

#include "crypto/src/base64.h"

namespace weftkit::crypto::detail {
namespace {

using Json = nlohmann::json;

void wipe(std::string& text) { OPENSSL_cleanse(text.data(), text.size()); }

bool has_line_break(const std::string& text) { return text.find_first_of("\r\n") != std::string::npos; }

bool is_region(const std::string& text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

// The Host header libcurl would send for url (host, and the port when the URL names one);
// sent explicitly so the header signed is the header sent.
std::string host_header(const std::string& url) {
  std::unique_ptr<CURLU, void (*)(CURLU*)> parsed(curl_url(), curl_url_cleanup);
  if (!parsed || curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) return "";
  char* host = nullptr;
  char* port = nullptr;
  std::string result;
  if (curl_url_get(parsed.get(), CURLUPART_HOST, &host, 0) == CURLUE_OK) result = host;
  if (curl_url_get(parsed.get(), CURLUPART_PORT, &port, 0) == CURLUE_OK) result += std::string(":") + port;
  curl_free(host);
  curl_free(port);
  return result;
}

std::string amz_date_now() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[17];
  std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &utc);
  return text;
}

// KMS answers errors as {"__type": "...Exception", "message": "..."} (sometimes "Message").
struct KmsError {
  std::string type;
  std::string text;
};

// AWS's InvalidSignatureException message goes on to print the canonical request it expected,
// which holds the signed headers' values (the session token among them): only the first line
// is kept, and any credential that still appears is removed.
KmsError kms_error(const std::string& body, const AwsCredentials& credentials) {
  Json parsed = Json::parse(body, nullptr, false);
  KmsError error;
  if (parsed.is_discarded() || !parsed.is_object()) return {"", "an answer that is not KMS's JSON error form"};
  if (auto type = parsed.find("__type"); type != parsed.end() && type->is_string()) {
    error.type = type->get<std::string>();
    // "com.amazonaws.kms#NotFoundException" and "NotFoundException" name the same error.
    if (std::size_t hash = error.type.rfind('#'); hash != std::string::npos) error.type = error.type.substr(hash + 1);
  }
  for (const char* field : {"message", "Message"}) {
    if (auto text = parsed.find(field); text != parsed.end() && text->is_string()) error.text = text->get<std::string>();
  }
  if (std::size_t line_end = error.text.find('\n'); line_end != std::string::npos) error.text.resize(line_end);
  constexpr std::size_t kMaxText = 300;
  if (error.text.size() > kMaxText) error.text = error.text.substr(0, kMaxText) + "...";
  for (const std::string* secret : {&credentials.secret_access_key, &credentials.session_token}) {
    if (secret->empty()) continue;
    for (std::size_t at = error.text.find(*secret); at != std::string::npos; at = error.text.find(*secret, at)) {
      error.text.replace(at, secret->size(), "<redacted>");
    }
  }
  return error;
}

std::string json_string(const std::string& text) { return Json(text).dump(); }

std::string context_json(const EncryptionContext& context) {
  Json object = Json::object();
  for (const auto& [key, value] : context) object[key] = value;
  return object.dump();
}

// A field of a 2xx answer that must be base64 of exactly `size` bytes (any size when 0).
Result<WipedBytes> base64_field(const std::string& action, std::string& body, const char* field, std::size_t size) {
  Json parsed = Json::parse(body, nullptr, false);
  wipe(body);
  std::string encoded;
  if (!parsed.is_discarded() && parsed.is_object()) {
    if (auto item = parsed.find(field); item != parsed.end() && item->is_string()) {
      std::string& stored = item->get_ref<std::string&>();
      encoded = stored;
      wipe(stored);
    }
  }
  if (encoded.empty()) {
    return Error(ErrorCode::kKeyProviderError, "kms: " + action + " answered without a string " + field +
                                                   (parsed.is_discarded() ? " (the answer is not JSON)" : ""));
  }
  WipedBytes out(encoded.size() / 4 * 3 + 3);
  Base64Decoded decoded = decode_base64(encoded, out.bytes());
  wipe(encoded);
  if (!decoded.ok || (size != 0 && decoded.decoded_size != size)) {
    return Error(ErrorCode::kKeyProviderError, "kms: " + action + " answered a " + field + " that is not base64" +
                                                   (size != 0 ? " of " + std::to_string(size) + " bytes" : ""));
  }
  out.bytes().resize(decoded.decoded_size);
  return out;
}

}  // namespace

KmsClient::KmsClient(const KeyProviderSettings& settings, std::string endpoint, std::string host, HttpClient client)
    : region_(settings.kms_region),
      key_id_(settings.kms_key_arn),
      hmac_key_id_(settings.kms_hmac_key_arn),
      endpoint_(std::move(endpoint)),
      host_(std::move(host)),
      credentials_{settings.aws_access_key_id, settings.aws_secret_access_key, settings.aws_session_token},
      client_(std::move(client)) {}

KmsClient::~KmsClient() {
  wipe(credentials_.secret_access_key);
  wipe(credentials_.session_token);
}

Result<KmsClient> KmsClient::create(const KeyProviderSettings& settings) {
  if (!is_region(settings.kms_region)) {
    return Error(ErrorCode::kKeyProviderError, "kms: the region '" + settings.kms_region +
                                                  "' is empty or not made of lowercase letters, digits and '-'");
  }
  if (settings.kms_key_arn.empty()) return Error(ErrorCode::kKeyProviderError, "kms: the KMS key (kms_key_arn) is not set");
  if (settings.kms_hmac_key_arn.empty()) {
    return Error(ErrorCode::kKeyProviderError,
                 "kms: the HMAC key (kms_hmac_key_arn, a KMS key of spec HMAC_256) that derives the keyring "
                 "authentication key is not set");
  }
  if (settings.aws_access_key_id.empty() || settings.aws_secret_access_key.empty()) {
    return Error(ErrorCode::kKeyProviderError, "kms: the AWS access key id and secret access key are not set");
  }
  if (has_line_break(settings.aws_access_key_id) || has_line_break(settings.aws_secret_access_key) ||
      has_line_break(settings.aws_session_token)) {
    return Error(ErrorCode::kKeyProviderError, "kms: an AWS credential holds a line break");
  }
  std::string endpoint = settings.kms_endpoint.empty() ? "https://kms." + settings.kms_region + ".amazonaws.com/"
                                                        : settings.kms_endpoint;
  if (std::string refusal = url_refusal(endpoint); !refusal.empty()) {
    return Error(ErrorCode::kKeyProviderError, "kms: the endpoint is refused: " + refusal);
  }
  std::string host = host_header(endpoint);
  if (host.empty()) return Error(ErrorCode::kKeyProviderError, "kms: the endpoint '" + endpoint + "' names no host");
  // KMS's API lives at "/": an endpoint with a path would be signed for one path and sent to another.
  if (const std::size_t authority = endpoint.find("://"); authority != std::string::npos) {
    const std::size_t path = endpoint.find('/', authority + 3);
    if (path != std::string::npos && endpoint.substr(path) != "/") {
      return Error(ErrorCode::kKeyProviderError, "kms: the endpoint '" + endpoint + "' has a path; give scheme, host and port only");
    }
    if (path == std::string::npos) endpoint += "/";
  }
  Result<HttpClientOptions> options = http_client_options(settings.remote, "kms");
  if (!options.ok()) return options.error();
  // KMS throttles with HTTP 400 and __type ThrottlingException (not 429): transient, so it is
  // retried with the same backoff as a 5xx.
  options.value().retry_answer = [](const HttpResponse& response) {
    return response.status == 400 && kms_error(response.body, AwsCredentials{}).type == "ThrottlingException";
  };
  return KmsClient(settings, std::move(endpoint), std::move(host), HttpClient(std::move(options).value()));
}

Result<KmsClient::Answer> KmsClient::call(const std::string& action, const std::string& body) const {
  HttpRequest request;
  request.method = "POST";
  request.path = "/";
  request.headers = {{"Host", host_},
                     {"Content-Type", "application/x-amz-json-1.1"},
                     {"X-Amz-Target", "TrentService." + action}};
  // The signer hashes the body; it does not keep it.
  request.body = body;
  SigV4Options options;
  options.region = region_;
  options.service = "kms";
  options.amz_date = amz_date_now();
  Result<SigV4Result> signed_request = sign_sigv4(request, credentials_, options);
  wipe(request.body);
  if (!signed_request.ok()) return Error(ErrorCode::kKeyProviderError, "kms: signing failed: " + signed_request.error().message());
  HttpHeaders headers = request.headers;
  for (const auto& header : signed_request.value().added_headers) headers.push_back(header);
  headers.emplace_back("Authorization", signed_request.value().authorization);
  wipe(signed_request.value().authorization);
  for (auto& [name, value] : signed_request.value().added_headers) wipe(value);
  Result<HttpResponse> answer = client_.post(endpoint_, headers, body);
  for (auto& [name, value] : headers) wipe(value);
  if (!answer.ok()) return answer.error();
  HttpResponse& response = answer.value();
  if (response.status < 200 || response.status > 299) {
    KmsError error = kms_error(response.body, credentials_);
    wipe(response.body);
    std::string message = "kms: " + action + " with key '" + (action == "GenerateMac" ? hmac_key_id_ : key_id_) +
                          "' answered HTTP " + std::to_string(response.status) + ": " +
                          (error.type.empty() ? "" : error.type + ": ") + error.text;
    // A ciphertext KMS refuses under this context is a wrong binding or a tampered blob.
    const bool refused = action == "Decrypt" && error.type == "InvalidCiphertextException";
    return Error(refused ? ErrorCode::kAuthenticationFailed : ErrorCode::kKeyProviderError, std::move(message));
  }
  return Answer{std::move(response.body)};
}

Result<std::vector<std::uint8_t>> KmsClient::encrypt(std::span<const std::uint8_t> plaintext,
                                                     const EncryptionContext& context) const {
  std::string encoded = encode_base64(plaintext);
  const std::string head = "{\"KeyId\":" + json_string(key_id_) + ",\"EncryptionContext\":" + context_json(context) +
                           ",\"Plaintext\":\"";
  // Built by hand into a reserved buffer so the key's base64 leaves no unwiped copy behind.
  std::string body;
  body.reserve(head.size() + encoded.size() + 2);
  body.append(head).append(encoded).append("\"}");
  wipe(encoded);
  Result<Answer> answer = call("Encrypt", body);
  wipe(body);
  if (!answer.ok()) return answer.error();
  Result<WipedBytes> blob = base64_field("Encrypt", answer.value().body, "CiphertextBlob", 0);
  if (!blob.ok()) return blob.error();
  return std::vector<std::uint8_t>(blob.value().bytes().begin(), blob.value().bytes().end());
}

Result<WipedBytes> KmsClient::decrypt(std::span<const std::uint8_t> blob, const EncryptionContext& context) const {
  // KeyId makes KMS refuse a ciphertext of any other key instead of using whichever key it names.
  std::string body = "{\"KeyId\":" + json_string(key_id_) + ",\"EncryptionContext\":" + context_json(context) +
                     ",\"CiphertextBlob\":\"" + encode_base64(blob) + "\"}";
  Result<Answer> answer = call("Decrypt", body);
  if (!answer.ok()) return answer.error();
  return base64_field("Decrypt", answer.value().body, "Plaintext", 0);
}

Result<WipedBytes> KmsClient::generate_mac(std::span<const std::uint8_t> message) const {
  std::string body = "{\"KeyId\":" + json_string(hmac_key_id_) + ",\"MacAlgorithm\":\"HMAC_SHA_256\",\"Message\":\"" +
                     encode_base64(message) + "\"}";
  Result<Answer> answer = call("GenerateMac", body);
  if (!answer.ok()) return answer.error();
  return base64_field("GenerateMac", answer.value().body, "Mac", 32);
}

}  // namespace weftkit::crypto::detail
