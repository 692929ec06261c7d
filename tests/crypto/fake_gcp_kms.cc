// The fake Cloud KMS (see fake_gcp_kms.h). Its CRC32C, JWT parsing and RS256 verification are
// written here with OpenSSL called directly; nothing of the provider's code is reused, so a
// mistake there cannot hide itself.
#include "tests/crypto/fake_gcp_kms.h"

#include <openssl/bio.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

#include <algorithm>
#include <ctime>
#include <fstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "tests/crypto/test_support.h"

namespace weftkit::crypto::testing {
namespace {

using Json = nlohmann::json;

// Bitwise CRC32C, independent of the provider's table-driven one.
std::uint32_t crc32c_bitwise(const std::vector<std::uint8_t>& bytes) {
  std::uint32_t crc = 0xFFFFFFFFu;
  for (std::uint8_t byte : bytes) {
    crc ^= byte;
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1u)));
  }
  return ~crc;
}

std::string crc_string(const std::vector<std::uint8_t>& bytes) { return std::to_string(crc32c_bitwise(bytes)); }

FakeReply google_error(int status, const std::string& name, const std::string& message) {
  return {status, Json{{"error", {{"code", status}, {"message", message}, {"status", name}}}}.dump()};
}

FakeReply invalid(const std::string& message) { return google_error(400, "INVALID_ARGUMENT", message); }

// A base64 field of body, or nullopt; `required` fields must be present.
bool bytes_field(const Json& body, const char* name, std::vector<std::uint8_t>& out) {
  auto item = body.find(name);
  return item != body.end() && item->is_string() && from_base64(item->get<std::string>(), out);
}

// Google's clients send int64 fields as decimal strings.
bool crc_matches(const Json& body, const char* name, const std::vector<std::uint8_t>& bytes) {
  auto item = body.find(name);
  return item != body.end() && item->is_string() && item->get<std::string>() == crc_string(bytes);
}

bool has_only(const Json& body, std::initializer_list<std::string> allowed) {
  if (!body.is_object()) return false;
  for (const auto& [name, value] : body.items()) {
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) return false;
  }
  return true;
}

std::string pem_of(EVP_PKEY* key) {
  std::unique_ptr<BIO, int (*)(BIO*)> bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

void write_account(const std::string& path, EVP_PKEY* key, const std::string& email, const std::string& token_uri) {
  Json account = {{"type", "service_account"},
                  {"project_id", "weftkit-test"},
                  {"private_key_id", "fake-key-id-1"},
                  {"private_key", pem_of(key)},
                  {"client_email", email},
                  {"client_id", "1234567890"},
                  {"token_uri", token_uri}};
  std::ofstream(path) << account.dump(2);
}

bool from_base64url(std::string text, std::vector<std::uint8_t>& out) {
  for (char& c : text) {
    if (c == '-') c = '+';
    else if (c == '_') c = '/';
    else if (c == '=' || c == '+' || c == '/') return false;  // base64url, unpadded
  }
  while (text.size() % 4 != 0) text += '=';
  return from_base64(text, out);
}

std::string form_value(const std::string& body, const std::string& name) {
  for (std::size_t start = 0; start <= body.size();) {
    std::size_t end = body.find('&', start);
    if (end == std::string::npos) end = body.size();
    const std::string pair = body.substr(start, end - start);
    if (pair.starts_with(name + "=")) return pair.substr(name.size() + 1);
    start = end + 1;
  }
  return "";
}

bool aes_gcm(bool encrypt, const std::vector<std::uint8_t>& key, const std::vector<std::uint8_t>& aad,
             const std::vector<std::uint8_t>& in, std::vector<std::uint8_t>& out) {
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  int length = 0;
  bool ok = false;
  if (encrypt) {
    out.assign(12 + in.size() + 16, 0);
    if (RAND_bytes(out.data(), 12) != 1) throw std::runtime_error("RAND_bytes failed");
    ok = EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, key.data(), out.data()) == 1 &&
         EVP_EncryptUpdate(ctx, nullptr, &length, aad.data(), static_cast<int>(aad.size())) == 1 &&
         EVP_EncryptUpdate(ctx, out.data() + 12, &length, in.data(), static_cast<int>(in.size())) == 1 &&
         EVP_EncryptFinal_ex(ctx, out.data() + 12 + length, &length) == 1 &&
         EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, out.data() + 12 + in.size()) == 1;
  } else if (in.size() >= 29) {
    out.assign(in.size() - 28, 0);
    std::vector<std::uint8_t> tag(in.end() - 16, in.end());
    ok = EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, key.data(), in.data()) == 1 &&
         EVP_DecryptUpdate(ctx, nullptr, &length, aad.data(), static_cast<int>(aad.size())) == 1 &&
         EVP_DecryptUpdate(ctx, out.data(), &length, in.data() + 12, static_cast<int>(out.size())) == 1 &&
         EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16, tag.data()) == 1 &&
         EVP_DecryptFinal_ex(ctx, out.data() + length, &length) == 1;
  }
  EVP_CIPHER_CTX_free(ctx);
  return ok;
}

}  // namespace

FakeGcpKms::FakeGcpKms(FakeGcpKmsSettings settings)
    : settings_(std::move(settings)), encryption_key_(random_bytes(32)), hmac_key_(random_bytes(32)) {
  account_key_ = EVP_RSA_gen(2048);
  if (account_key_ == nullptr) throw std::runtime_error("RSA key generation failed");
  server_ = std::make_unique<FakeHttpServer>([this](const FakeRequest& request) { return handle(request); }, settings_.tls);
}

FakeGcpKms::~FakeGcpKms() {
  server_.reset();
  EVP_PKEY_free(account_key_);
}

void FakeGcpKms::write_service_account(const std::string& path) const {
  write_account(path, account_key_, settings_.client_email, token_uri());
}

void FakeGcpKms::write_foreign_service_account(const std::string& path, const std::string& email,
                                               const std::string& token_uri) {
  EVP_PKEY* key = EVP_RSA_gen(2048);
  write_account(path, key, email, token_uri);
  EVP_PKEY_free(key);
}

void FakeGcpKms::queue_failures(std::vector<int> statuses) {
  std::lock_guard lock(mutex_);
  failures_.insert(failures_.end(), statuses.begin(), statuses.end());
}

void FakeGcpKms::corrupt_next(GcpCorruption corruption, int times) {
  std::lock_guard lock(mutex_);
  pending_corruption_ = corruption;
  corruptions_left_ = times;
}

void FakeGcpKms::answer_garbage(std::string body) {
  std::lock_guard lock(mutex_);
  garbage_ = std::move(body);
}

void FakeGcpKms::stop_answering() {
  std::lock_guard lock(mutex_);
  silent_ = true;
}

void FakeGcpKms::revoke_tokens() {
  std::lock_guard lock(mutex_);
  tokens_.clear();
}

int FakeGcpKms::tokens_issued() const {
  std::lock_guard lock(mutex_);
  return issued_;
}

std::vector<std::string> FakeGcpKms::methods() const {
  std::lock_guard lock(mutex_);
  return methods_;
}

FakeRequest FakeGcpKms::last_request() const {
  std::lock_guard lock(mutex_);
  return last_;
}

std::string FakeGcpKms::assertion_problem(const std::string& assertion) const {
  const std::size_t first = assertion.find('.');
  const std::size_t second = first == std::string::npos ? first : assertion.find('.', first + 1);
  if (second == std::string::npos) return "not a JWT";
  std::vector<std::uint8_t> header_bytes, claims_bytes, signature;
  if (!from_base64url(assertion.substr(0, first), header_bytes) ||
      !from_base64url(assertion.substr(first + 1, second - first - 1), claims_bytes) ||
      !from_base64url(assertion.substr(second + 1), signature)) {
    return "a JWT part that is not base64url";
  }
  Json header = Json::parse(header_bytes, nullptr, false);
  Json claims = Json::parse(claims_bytes, nullptr, false);
  if (!header.is_object() || header.value("alg", "") != "RS256") return "not RS256";
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  const std::string signed_part = assertion.substr(0, second);
  if (EVP_DigestVerifyInit(context.get(), nullptr, EVP_sha256(), nullptr, account_key_) != 1 ||
      EVP_DigestVerify(context.get(), signature.data(), signature.size(),
                       reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size()) != 1) {
    return "Invalid JWT Signature.";
  }
  if (!claims.is_object()) return "claims are not an object";
  if (claims.value("iss", "") != settings_.client_email) return "unknown iss";
  if (claims.value("aud", "") != token_uri()) return "aud is not the token endpoint";
  if (claims.value("scope", "") != "https://www.googleapis.com/auth/cloudkms") return "scope is not cloudkms";
  if (!claims.contains("iat") || !claims["iat"].is_number_integer() || !claims.contains("exp") ||
      !claims["exp"].is_number_integer()) {
    return "iat and exp must be integers";
  }
  const std::int64_t iat = claims["iat"], exp = claims["exp"], now = std::time(nullptr);
  if (std::abs(iat - now) > 300 || exp <= iat || exp - iat > 3600) return "iat/exp outside the allowed hour";
  return "";
}

FakeReply FakeGcpKms::handle(const FakeRequest& request) {
  std::lock_guard lock(mutex_);
  last_ = request;
  if (silent_) return {0, "", true};
  if (!failures_.empty()) {
    const int status = failures_.front();
    failures_.pop_front();
    return google_error(status, status == 429 ? "RESOURCE_EXHAUSTED" : status >= 500 ? "UNAVAILABLE" : "FAILED_PRECONDITION",
                        "fake gcp-kms: queued failure " + std::to_string(status));
  }
  if (request.method != "POST") return google_error(404, "NOT_FOUND", "fake gcp-kms: POST only");
  if (request.target == "/token") return token(request);
  if (!garbage_.empty()) return {200, garbage_};
  const std::string* authorization = request.header("authorization");
  const bool known = authorization != nullptr && request.header_count("authorization") == 1 &&
                     authorization->starts_with("Bearer ") &&
                     (authorization->substr(7) == settings_.fixed_token || tokens_.count(authorization->substr(7)) == 1);
  if (!known) {
    return google_error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth 2 access token.");
  }
  const std::string* content_type = request.header("content-type");
  if (content_type == nullptr || !content_type->starts_with("application/json")) return invalid("fake gcp-kms: JSON only");
  const std::string key_prefix = "/v1/" + settings_.key + ":";
  std::string method;
  if (request.target == key_prefix + "encrypt" || request.target == key_prefix + "decrypt") {
    method = request.target.substr(key_prefix.size() - 1);
  } else if (request.target == "/v1/" + settings_.mac_key_version + ":macSign") {
    method = ":macSign";
  } else {
    return google_error(404, "NOT_FOUND", "fake gcp-kms: no such resource or method");
  }
  methods_.push_back(method);
  corruption_ = corruptions_left_ > 0 ? pending_corruption_ : GcpCorruption::kNone;
  if (corruptions_left_ > 0) --corruptions_left_;
  std::string body = request.body;
  FakeReply reply = method == ":encrypt" ? encrypt(body) : method == ":decrypt" ? decrypt(body) : mac_sign(body);
  corruption_ = GcpCorruption::kNone;
  return reply;
}

FakeReply FakeGcpKms::token(const FakeRequest& request) {
  const std::string* content_type = request.header("content-type");
  if (content_type == nullptr || *content_type != "application/x-www-form-urlencoded") {
    return {400, Json{{"error", "invalid_request"}, {"error_description", "form body expected"}}.dump()};
  }
  if (form_value(request.body, "grant_type") != "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer") {
    return {400, Json{{"error", "unsupported_grant_type"}, {"error_description", "Invalid grant_type"}}.dump()};
  }
  if (std::string problem = assertion_problem(form_value(request.body, "assertion")); !problem.empty()) {
    return {400, Json{{"error", "invalid_grant"}, {"error_description", problem}}.dump()};
  }
  const std::string issued = "ya29.fake-issued-" + to_hex(random_bytes(16));
  tokens_.insert(issued);
  ++issued_;
  return {200, Json{{"access_token", issued}, {"expires_in", settings_.token_lifetime_seconds}, {"token_type", "Bearer"}}.dump()};
}

FakeReply FakeGcpKms::encrypt(const std::string& text) {
  Json body = Json::parse(text, nullptr, false);
  std::vector<std::uint8_t> plaintext, aad;
  if (body.is_discarded() ||
      !has_only(body, {"plaintext", "plaintextCrc32c", "additionalAuthenticatedData", "additionalAuthenticatedDataCrc32c"}) ||
      !bytes_field(body, "plaintext", plaintext) || !bytes_field(body, "additionalAuthenticatedData", aad)) {
    return invalid("fake gcp-kms: encrypt takes plaintext, additionalAuthenticatedData and their CRC32Cs");
  }
  if (corruption_ == GcpCorruption::kRequestInTransit && !plaintext.empty()) plaintext[0] ^= 1;
  // The strict fake insists on the integrity fields real Cloud KMS only recommends.
  if (!crc_matches(body, "plaintextCrc32c", plaintext)) return invalid("The checksum in field plaintext_crc32c did not match the data in field plaintext.");
  if (!crc_matches(body, "additionalAuthenticatedDataCrc32c", aad)) {
    return invalid("The checksum in field additional_authenticated_data_crc32c did not match the data in field additional_authenticated_data.");
  }
  if (plaintext.empty() || plaintext.size() > 65536) return invalid("fake gcp-kms: plaintext must be 1 to 64 KiB");
  std::vector<std::uint8_t> ciphertext;
  if (!aes_gcm(true, encryption_key_, aad, plaintext, ciphertext)) return google_error(500, "INTERNAL", "fake gcp-kms: AES-GCM failed");
  std::string crc = crc_string(ciphertext);
  if (corruption_ == GcpCorruption::kCiphertextCrc) crc = std::to_string(crc32c_bitwise(ciphertext) ^ 1u);
  if (corruption_ == GcpCorruption::kCiphertextBytes) ciphertext[ciphertext.size() / 2] ^= 0x40;
  return {200, Json{{"name", settings_.key + "/cryptoKeyVersions/1"},
                    {"ciphertext", base64(ciphertext)},
                    {"ciphertextCrc32c", crc},
                    {"verifiedPlaintextCrc32c", corruption_ != GcpCorruption::kUnverifiedPlaintext},
                    {"verifiedAdditionalAuthenticatedDataCrc32c", corruption_ != GcpCorruption::kUnverifiedAad},
                    {"protectionLevel", "SOFTWARE"}}
                   .dump()};
}

FakeReply FakeGcpKms::decrypt(const std::string& text) {
  Json body = Json::parse(text, nullptr, false);
  std::vector<std::uint8_t> ciphertext, aad;
  if (body.is_discarded() ||
      !has_only(body, {"ciphertext", "ciphertextCrc32c", "additionalAuthenticatedData", "additionalAuthenticatedDataCrc32c"}) ||
      !bytes_field(body, "ciphertext", ciphertext) || !bytes_field(body, "additionalAuthenticatedData", aad)) {
    return invalid("fake gcp-kms: decrypt takes ciphertext, additionalAuthenticatedData and their CRC32Cs");
  }
  if (corruption_ == GcpCorruption::kRequestInTransit && !ciphertext.empty()) ciphertext[0] ^= 1;
  if (!crc_matches(body, "ciphertextCrc32c", ciphertext)) return invalid("The checksum in field ciphertext_crc32c did not match the data in field ciphertext.");
  if (!crc_matches(body, "additionalAuthenticatedDataCrc32c", aad)) {
    return invalid("The checksum in field additional_authenticated_data_crc32c did not match the data in field additional_authenticated_data.");
  }
  std::vector<std::uint8_t> plaintext;
  // Cloud KMS says no more than this for a ciphertext that does not authenticate.
  if (!aes_gcm(false, encryption_key_, aad, ciphertext, plaintext)) return invalid("Decryption failed: the ciphertext is invalid.");
  std::string crc = crc_string(plaintext);
  if (corruption_ == GcpCorruption::kPlaintextCrc) crc = std::to_string(crc32c_bitwise(plaintext) ^ 1u);
  return {200, Json{{"plaintext", base64(plaintext)}, {"plaintextCrc32c", crc}, {"usedPrimary", true},
                    {"protectionLevel", "SOFTWARE"}}
                   .dump()};
}

FakeReply FakeGcpKms::mac_sign(const std::string& text) {
  Json body = Json::parse(text, nullptr, false);
  std::vector<std::uint8_t> data;
  if (body.is_discarded() || !has_only(body, {"data", "dataCrc32c"}) || !bytes_field(body, "data", data)) {
    return invalid("fake gcp-kms: macSign takes data and dataCrc32c");
  }
  if (corruption_ == GcpCorruption::kRequestInTransit && !data.empty()) data[0] ^= 1;
  if (!crc_matches(body, "dataCrc32c", data)) return invalid("The checksum in field data_crc32c did not match the data in field data.");
  std::vector<std::uint8_t> mac(32);
  unsigned int size = 0;
  HMAC(EVP_sha256(), hmac_key_.data(), 32, data.data(), data.size(), mac.data(), &size);
  std::string crc = crc_string(mac);
  if (corruption_ == GcpCorruption::kMacCrc) crc = std::to_string(crc32c_bitwise(mac) ^ 1u);
  return {200, Json{{"name", settings_.mac_key_version}, {"mac", base64(mac)}, {"macCrc32c", crc},
                    {"verifiedDataCrc32c", true}, {"protectionLevel", "SOFTWARE"}}
                   .dump()};
}

}  // namespace weftkit::crypto::testing
