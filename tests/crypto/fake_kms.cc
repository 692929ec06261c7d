// The fake AWS KMS (see fake_kms.h). Signature checking is written here from the Signature
// Version 4 specification with OpenSSL's SHA-256 and HMAC called directly; nothing of the
// project's signer is reused, so a mistake in the signer cannot hide itself.
#include "tests/crypto/fake_kms.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <algorithm>
#include <ctime>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "tests/crypto/test_support.h"

namespace weftkit::crypto::testing {
namespace {

using Json = nlohmann::json;

constexpr int kThrottled = -400;  // a queued failure answered as KMS throttles

FakeReply kms_error(int status, const std::string& type, const std::string& message) {
  return {status, Json{{"__type", type}, {"message", message}}.dump()};
}

std::string sha256_hex(const std::string& data) {
  std::vector<std::uint8_t> digest(SHA256_DIGEST_LENGTH);
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest.data());
  return to_hex(digest);
}

std::vector<std::uint8_t> hmac(const std::vector<std::uint8_t>& key, const std::string& message) {
  std::vector<std::uint8_t> out(32);
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
       message.size(), out.data(), &size);
  return out;
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t at = text.find(separator); at != std::string::npos; at = text.find(separator, start)) {
    parts.push_back(text.substr(start, at - start));
    start = at + 1;
  }
  parts.push_back(text.substr(start));
  return parts;
}

// Header values in the canonical request: trimmed, inner runs of spaces collapsed.
std::string canonical_value(const std::string& value) {
  std::string out;
  bool space = false;
  for (char c : value) {
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// The AAD the fake binds a ciphertext to: its sorted context, length-prefixed.
std::string context_aad(const Json& context) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const auto& [key, value] : context.items()) pairs.emplace_back(key, value.get<std::string>());
  std::sort(pairs.begin(), pairs.end());
  std::string aad;
  for (const auto& [key, value] : pairs) aad += std::to_string(key.size()) + ":" + key + std::to_string(value.size()) + ":" + value;
  return aad;
}

bool is_string_map(const Json& value) {
  if (!value.is_object()) return false;
  return std::all_of(value.begin(), value.end(), [](const Json& item) { return item.is_string(); });
}

bool has_only(const Json& body, std::initializer_list<std::string> allowed) {
  if (!body.is_object()) return false;
  for (const auto& [name, value] : body.items()) {
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) return false;
  }
  return true;
}

}  // namespace

FakeKms::FakeKms(FakeKmsSettings settings)
    : settings_(std::move(settings)), encryption_key_(random_bytes(32)), hmac_key_(random_bytes(32)) {
  server_ = std::make_unique<FakeHttpServer>([this](const FakeRequest& request) { return handle(request); }, settings_.tls);
}

void FakeKms::queue_failures(std::vector<int> statuses) {
  std::lock_guard lock(mutex_);
  failures_.insert(failures_.end(), statuses.begin(), statuses.end());
}

void FakeKms::queue_throttling(int times) {
  std::lock_guard lock(mutex_);
  for (int i = 0; i < times; ++i) failures_.push_back(kThrottled);
}

void FakeKms::answer_garbage(std::string body) {
  std::lock_guard lock(mutex_);
  garbage_ = std::move(body);
}

void FakeKms::stop_answering() {
  std::lock_guard lock(mutex_);
  silent_ = true;
}

FakeRequest FakeKms::last_request() const {
  std::lock_guard lock(mutex_);
  return last_;
}

std::vector<std::string> FakeKms::actions() const {
  std::lock_guard lock(mutex_);
  return actions_;
}

std::string FakeKms::signature_problem(const FakeRequest& request) const {
  const std::string* authorization = request.header("authorization");
  if (authorization == nullptr || request.header_count("authorization") != 1) return "no Authorization header";
  const std::string algorithm = "AWS4-HMAC-SHA256 ";
  if (!authorization->starts_with(algorithm)) return "not AWS4-HMAC-SHA256";
  std::string credential, signed_headers, signature;
  for (std::string part : split(authorization->substr(algorithm.size()), ',')) {
    part = canonical_value(part);
    if (part.starts_with("Credential=")) credential = part.substr(11);
    if (part.starts_with("SignedHeaders=")) signed_headers = part.substr(14);
    if (part.starts_with("Signature=")) signature = part.substr(10);
  }
  std::vector<std::string> scope = split(credential, '/');
  if (scope.size() != 5) return "a malformed Credential";
  if (scope[0] != settings_.access_key_id) return "an unknown access key id";
  if (scope[2] != settings_.region || scope[3] != "kms" || scope[4] != "aws4_request") return "a credential scope for another region or service";
  const std::string* amz_date = request.header("x-amz-date");
  if (amz_date == nullptr || amz_date->size() != 16 || amz_date->substr(0, 8) != scope[1]) return "an X-Amz-Date that does not match the scope";
  std::tm when{};
  if (strptime(amz_date->c_str(), "%Y%m%dT%H%M%SZ", &when) == nullptr) return "an unreadable X-Amz-Date";
  if (std::abs(std::difftime(timegm(&when), std::time(nullptr))) > 300) return "an X-Amz-Date more than 5 minutes away";

  std::vector<std::string> names = split(signed_headers, ';');
  if (!std::is_sorted(names.begin(), names.end())) return "SignedHeaders not sorted";
  for (const char* required : {"content-type", "host", "x-amz-date", "x-amz-target"}) {
    if (std::find(names.begin(), names.end(), required) == names.end()) return std::string(required) + " is not signed";
  }
  if (!settings_.session_token.empty()) {
    const std::string* token = request.header("x-amz-security-token");
    if (token == nullptr || *token != settings_.session_token) return "the session token is missing or wrong";
    if (std::find(names.begin(), names.end(), "x-amz-security-token") == names.end()) return "x-amz-security-token is not signed";
  }
  std::string canonical_headers;
  for (const std::string& name : names) {
    std::string joined;
    int seen = 0;
    for (const auto& [header, value] : request.headers) {
      if (header != name) continue;
      if (seen++ > 0) joined += ',';
      joined += canonical_value(value);
    }
    if (seen == 0) return "signed header " + name + " was not sent";
    canonical_headers += name + ":" + joined + "\n";
  }
  const std::string canonical_request =
      request.method + "\n" + request.target + "\n\n" + canonical_headers + "\n" + signed_headers + "\n" + sha256_hex(request.body);
  const std::string string_to_sign =
      "AWS4-HMAC-SHA256\n" + *amz_date + "\n" + scope[1] + "/" + scope[2] + "/kms/aws4_request\n" + sha256_hex(canonical_request);
  const std::string secret = "AWS4" + settings_.secret_access_key;
  std::vector<std::uint8_t> key(secret.begin(), secret.end());
  for (const std::string& step : {scope[1], scope[2], std::string("kms"), std::string("aws4_request")}) key = hmac(key, step);
  // AWS prints what it expected, canonical request included (signed header values and all).
  if (to_hex(hmac(key, string_to_sign)) != signature) {
    return "a signature that does not match)\n\nThe Canonical String for this request should have been\n'" + canonical_request +
           "'\n\nThe String-to-Sign should have been\n'" + string_to_sign + "'";
  }
  return "";
}

std::string FakeKms::last_reply_body() const {
  std::lock_guard lock(mutex_);
  return last_reply_body_;
}

FakeReply FakeKms::handle(const FakeRequest& request) {
  std::lock_guard lock(mutex_);
  FakeReply reply = respond(request);
  last_reply_body_ = reply.body;
  return reply;
}

FakeReply FakeKms::respond(const FakeRequest& request) {
  last_ = request;
  if (silent_) return {0, "", true};
  if (!failures_.empty()) {
    int status = failures_.front();
    failures_.pop_front();
    if (status == kThrottled) return kms_error(400, "ThrottlingException", "Rate exceeded");
    if (status == 400) return kms_error(400, "ValidationException", "fake kms: queued failure 400");
    return kms_error(status, status == 429 ? "ThrottlingException" : "KMSInternalException",
                     "fake kms: queued failure " + std::to_string(status));
  }
  if (!garbage_.empty()) return {200, garbage_};
  if (request.method != "POST" || request.target != "/") return kms_error(404, "UnknownOperationException", "");
  if (const std::string* key_id = request.header("authorization");
      key_id != nullptr && key_id->find("Credential=" + settings_.access_key_id + "/") == std::string::npos) {
    return kms_error(400, "UnrecognizedClientException", "The security token included in the request is invalid.");
  }
  if (std::string problem = signature_problem(request); !problem.empty()) {
    return kms_error(400, "InvalidSignatureException",
                     "The request signature we calculated does not match the signature you provided (fake kms: " + problem + ")");
  }
  const std::string* content_type = request.header("content-type");
  if (content_type == nullptr || *content_type != "application/x-amz-json-1.1") {
    return kms_error(400, "SerializationException", "fake kms: Content-Type must be application/x-amz-json-1.1");
  }
  const std::string* target = request.header("x-amz-target");
  const std::string action = target == nullptr ? "" : *target;
  actions_.push_back(action);
  if (action == "TrentService.Encrypt") return encrypt(request.body);
  if (action == "TrentService.Decrypt") return decrypt(request.body);
  if (action == "TrentService.GenerateMac") return generate_mac(request.body);
  return kms_error(400, "UnknownOperationException", "");
}

FakeReply FakeKms::encrypt(const std::string& text) {
  Json body = Json::parse(text, nullptr, false);
  if (body.is_discarded() || !has_only(body, {"KeyId", "Plaintext", "EncryptionContext"}) || !body["KeyId"].is_string() ||
      !body["Plaintext"].is_string() || !is_string_map(body.value("EncryptionContext", Json::object()))) {
    return kms_error(400, "ValidationException", "fake kms: Encrypt takes KeyId, Plaintext and EncryptionContext");
  }
  if (body["KeyId"] != settings_.key_arn) return kms_error(400, "NotFoundException", "Key '" + body["KeyId"].get<std::string>() + "' does not exist");
  std::vector<std::uint8_t> plaintext;
  if (!from_base64(body["Plaintext"].get<std::string>(), plaintext) || plaintext.empty() || plaintext.size() > 4096) {
    return kms_error(400, "ValidationException", "fake kms: Plaintext must be base64 of 1 to 4096 bytes");
  }
  const std::string aad = context_aad(body.value("EncryptionContext", Json::object()));
  std::vector<std::uint8_t> blob(12 + plaintext.size() + 16);
  if (RAND_bytes(blob.data(), 12) != 1) throw std::runtime_error("RAND_bytes failed");
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  int length = 0;
  bool ok = EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, encryption_key_.data(), blob.data()) == 1 &&
            EVP_EncryptUpdate(ctx, nullptr, &length, reinterpret_cast<const unsigned char*>(aad.data()), static_cast<int>(aad.size())) == 1 &&
            EVP_EncryptUpdate(ctx, blob.data() + 12, &length, plaintext.data(), static_cast<int>(plaintext.size())) == 1 &&
            EVP_EncryptFinal_ex(ctx, blob.data() + 12 + length, &length) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, blob.data() + 12 + plaintext.size()) == 1;
  EVP_CIPHER_CTX_free(ctx);
  if (!ok) return kms_error(500, "KMSInternalException", "fake kms: AES-GCM failed");
  return {200, Json{{"CiphertextBlob", base64(blob)}, {"KeyId", settings_.key_arn}, {"EncryptionAlgorithm", "SYMMETRIC_DEFAULT"}}.dump()};
}

FakeReply FakeKms::decrypt(const std::string& text) {
  Json body = Json::parse(text, nullptr, false);
  if (body.is_discarded() || !has_only(body, {"KeyId", "CiphertextBlob", "EncryptionContext"}) ||
      !body["CiphertextBlob"].is_string() || !is_string_map(body.value("EncryptionContext", Json::object()))) {
    return kms_error(400, "ValidationException", "fake kms: Decrypt takes CiphertextBlob, EncryptionContext and KeyId");
  }
  if (!body.contains("KeyId") || body["KeyId"] != settings_.key_arn) {
    return kms_error(400, "IncorrectKeyException", "The key ID in the request does not identify a KMS key that can perform this operation.");
  }
  std::vector<std::uint8_t> blob;
  if (!from_base64(body["CiphertextBlob"].get<std::string>(), blob) || blob.size() < 29) {
    return kms_error(400, "InvalidCiphertextException", "");
  }
  const std::string aad = context_aad(body.value("EncryptionContext", Json::object()));
  std::vector<std::uint8_t> plaintext(blob.size() - 28);
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  int length = 0;
  bool ok = EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, encryption_key_.data(), blob.data()) == 1 &&
            EVP_DecryptUpdate(ctx, nullptr, &length, reinterpret_cast<const unsigned char*>(aad.data()), static_cast<int>(aad.size())) == 1 &&
            EVP_DecryptUpdate(ctx, plaintext.data(), &length, blob.data() + 12, static_cast<int>(plaintext.size())) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16, blob.data() + blob.size() - 16) == 1 &&
            EVP_DecryptFinal_ex(ctx, plaintext.data() + length, &length) == 1;
  EVP_CIPHER_CTX_free(ctx);
  // Real KMS says nothing more than the exception's name here.
  if (!ok) return kms_error(400, "InvalidCiphertextException", "");
  return {200, Json{{"Plaintext", base64(plaintext)}, {"KeyId", settings_.key_arn}, {"EncryptionAlgorithm", "SYMMETRIC_DEFAULT"}}.dump()};
}

FakeReply FakeKms::generate_mac(const std::string& text) {
  Json body = Json::parse(text, nullptr, false);
  if (body.is_discarded() || !has_only(body, {"KeyId", "MacAlgorithm", "Message"}) || !body["Message"].is_string()) {
    return kms_error(400, "ValidationException", "fake kms: GenerateMac takes KeyId, MacAlgorithm and Message");
  }
  if (body["KeyId"] != settings_.hmac_key_arn) return kms_error(400, "InvalidKeyUsageException", "fake kms: not an HMAC key");
  if (body["MacAlgorithm"] != "HMAC_SHA_256") return kms_error(400, "InvalidKeyUsageException", "fake kms: the key's algorithm is HMAC_SHA_256");
  std::vector<std::uint8_t> message;
  if (!from_base64(body["Message"].get<std::string>(), message) || message.empty() || message.size() > 4096) {
    return kms_error(400, "ValidationException", "fake kms: Message must be base64 of 1 to 4096 bytes");
  }
  std::vector<std::uint8_t> mac(32);
  unsigned int size = 0;
  HMAC(EVP_sha256(), hmac_key_.data(), 32, message.data(), message.size(), mac.data(), &size);
  return {200, Json{{"Mac", base64(mac)}, {"KeyId", settings_.hmac_key_arn}, {"MacAlgorithm", "HMAC_SHA_256"}}.dump()};
}

}  // namespace weftkit::crypto::testing
