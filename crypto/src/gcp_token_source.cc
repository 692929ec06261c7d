// Access tokens for Cloud KMS (see gcp_token_source.h).
#include "crypto/src/gcp_token_source.h"

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/pem.h>

#include <ctime>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "crypto/src/gcp_jwt_assertion.h"

namespace weftkit::crypto::detail {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kScope = "https://www.googleapis.com/auth/cloudkms";
// A token is not used in its last minute: a call may take that long with its retries.
constexpr std::chrono::seconds kExpiryMargin{60};

void wipe(std::string& text) { OPENSSL_cleanse(text.data(), text.size()); }

Error provider_error(std::string message) { return Error(ErrorCode::kKeyProviderError, "gcp-kms: " + std::move(message)); }

bool has_line_break(const std::string& text) { return text.find_first_of("\r\n") != std::string::npos; }

// The JSON string field, or empty.
std::string string_field(const Json& object, const char* name) {
  auto item = object.find(name);
  return item != object.end() && item->is_string() ? item->get<std::string>() : std::string();
}

}  // namespace

GcpTokenSource::~GcpTokenSource() {
  wipe(fixed_token_);
  wipe(cached_);
  EVP_PKEY_free(private_key_);
}

Result<std::unique_ptr<GcpTokenSource>> GcpTokenSource::create(const KeyProviderSettings& settings,
                                                               HttpClientOptions options) {
  std::unique_ptr<GcpTokenSource> source(new GcpTokenSource(std::move(options)));
  if (!settings.gcp_access_token.empty()) {
    if (has_line_break(settings.gcp_access_token)) return provider_error("the access token holds a line break");
    source->fixed_token_ = settings.gcp_access_token;
    return source;
  }
  const std::string& path = settings.gcp_credentials_file;
  if (path.empty()) {
    return provider_error("no credentials: set an access token (WEFTKIT_GCP_ACCESS_TOKEN) or a service-account key "
                          "file (GOOGLE_APPLICATION_CREDENTIALS)");
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) return provider_error("cannot read the service-account key file '" + path + "'");
  std::stringstream contents;
  contents << file.rdbuf();
  std::string text = contents.str();
  Json parsed = Json::parse(text, nullptr, false);
  wipe(text);
  if (parsed.is_discarded() || !parsed.is_object()) return provider_error("the file '" + path + "' is not JSON");
  const std::string type = string_field(parsed, "type");
  if (type != "service_account") {
    return provider_error("the file '" + path + "' is not a service-account key (type is '" + type +
                          "', expected 'service_account')");
  }
  source->client_email_ = string_field(parsed, "client_email");
  source->token_uri_ = string_field(parsed, "token_uri");
  source->key_id_ = string_field(parsed, "private_key_id");
  std::string pem = string_field(parsed, "private_key");
  if (auto key = parsed.find("private_key"); key != parsed.end() && key->is_string()) wipe(key->get_ref<std::string&>());
  if (source->client_email_.empty() || source->token_uri_.empty() || pem.empty()) {
    wipe(pem);
    return provider_error("the service-account key file '" + path + "' lacks client_email, token_uri or private_key");
  }
  std::unique_ptr<BIO, int (*)(BIO*)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  source->private_key_ = bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr;
  wipe(pem);
  if (source->private_key_ == nullptr || EVP_PKEY_base_id(source->private_key_) != EVP_PKEY_RSA) {
    return provider_error("the private_key of '" + path + "' is not a PEM RSA private key");
  }
  if (std::string refusal = url_refusal(source->token_uri_); !refusal.empty()) {
    return provider_error("the token_uri of '" + path + "' is refused: " + refusal);
  }
  return source;
}

Result<std::string> GcpTokenSource::token() {
  if (!fixed_token_.empty()) return fixed_token_;
  std::lock_guard lock(mutex_);
  if (!cached_.empty() && std::chrono::steady_clock::now() < cached_until_) return cached_;
  return exchange();
}

bool GcpTokenSource::refused(const std::string& token) {
  if (!fixed_token_.empty()) return false;
  std::lock_guard lock(mutex_);
  if (cached_ == token) {
    wipe(cached_);
    cached_.clear();
  }
  return true;
}

int GcpTokenSource::exchanges() const {
  std::lock_guard lock(mutex_);
  return exchanges_;
}

Result<std::string> GcpTokenSource::exchange() {
  JwtAssertionClaims claims{key_id_, client_email_, std::string(kScope), token_uri_, static_cast<std::int64_t>(std::time(nullptr))};
  Result<std::string> assertion = sign_jwt_assertion(private_key_, claims);
  if (!assertion.ok()) return assertion.error();
  // The assertion is base64url, which needs no form encoding; the grant type's ':' do.
  std::string body = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=" + assertion.value();
  wipe(assertion.value());
  const auto requested = std::chrono::steady_clock::now();
  Result<HttpResponse> answer =
      client_.post(token_uri_, {{"Content-Type", "application/x-www-form-urlencoded"}}, body);
  wipe(body);
  if (!answer.ok()) return answer.error();
  HttpResponse& response = answer.value();
  Json parsed = Json::parse(response.body, nullptr, false);
  wipe(response.body);
  const bool is_object = !parsed.is_discarded() && parsed.is_object();
  if (response.status < 200 || response.status > 299) {
    // OAuth errors are {"error": "invalid_grant", "error_description": "..."}; neither holds a secret.
    std::string reason = is_object ? string_field(parsed, "error") : "";
    std::string description = is_object ? string_field(parsed, "error_description") : "";
    if (description.size() > 200) description = description.substr(0, 200) + "...";
    return provider_error("the token endpoint '" + token_uri_ + "' answered HTTP " + std::to_string(response.status) +
                          (reason.empty() ? std::string(" (not an OAuth error answer)") : ": " + reason) +
                          (description.empty() ? "" : ": " + description));
  }
  std::string token = is_object ? string_field(parsed, "access_token") : "";
  if (is_object) {
    if (auto item = parsed.find("access_token"); item != parsed.end() && item->is_string()) wipe(item->get_ref<std::string&>());
  }
  auto expires_in = is_object ? parsed.find("expires_in") : parsed.end();
  if (token.empty() || has_line_break(token) || expires_in == parsed.end() || !expires_in->is_number_integer() ||
      expires_in->get<std::int64_t>() <= 0) {
    wipe(token);
    return provider_error("the token endpoint '" + token_uri_ +
                          "' answered without an access_token and a positive expires_in");
  }
  ++exchanges_;
  wipe(cached_);
  cached_ = std::move(token);
  // Counted from when the request left, so a slow answer shortens the cache rather than
  // stretching it past the real expiry.
  cached_until_ = requested + std::chrono::seconds(expires_in->get<std::int64_t>()) - kExpiryMargin;
  return cached_;
}

}  // namespace weftkit::crypto::detail
