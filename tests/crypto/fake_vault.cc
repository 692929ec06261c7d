// The fake Vault transit engine (see fake_vault.h). Its cryptography is OpenSSL EVP called
// directly, not the project's own wrappers, so the provider is checked against an independent
// implementation.
#include "tests/crypto/fake_vault.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <nlohmann/json.hpp>

#include <stdexcept>

#include "tests/crypto/test_support.h"

namespace weftkit::crypto::testing {
namespace {

using Json = nlohmann::json;

FakeReply vault_error(int status, std::vector<std::string> errors) {
  return {status, Json{{"errors", errors}}.dump()};
}

FakeReply vault_data(Json data) {
  // Real answers carry these fields around "data"; the provider must ignore them.
  return {200, Json{{"request_id", "5e3f7c1a-0000-4000-8000-000000000000"},
                    {"lease_id", ""},
                    {"renewable", false},
                    {"lease_duration", 0},
                    {"data", std::move(data)},
                    {"wrap_info", nullptr},
                    {"warnings", nullptr},
                    {"auth", nullptr}}
                  .dump()};
}

// Only the listed fields, with these JSON types; Vault ignores unknown fields, but the provider
// should never send any.
bool has_only(const Json& body, std::initializer_list<std::string> allowed) {
  if (!body.is_object()) return false;
  for (const auto& [name, value] : body.items()) {
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) return false;
  }
  return true;
}

// "vault:v<N>:<base64>" → N and the bytes; N 0 when malformed.
std::uint32_t parse_versioned(const std::string& text, std::vector<std::uint8_t>& bytes) {
  if (!text.starts_with("vault:v")) return 0;
  std::size_t colon = text.find(':', 7);
  if (colon == std::string::npos || colon == 7) return 0;
  std::uint32_t version = 0;
  for (std::size_t i = 7; i < colon; ++i) {
    if (text[i] < '0' || text[i] > '9') return 0;
    version = version * 10 + static_cast<std::uint32_t>(text[i] - '0');
  }
  return from_base64(text.substr(colon + 1), bytes) ? version : 0;
}

}  // namespace

FakeVault::FakeVault(FakeVaultSettings settings) : settings_(std::move(settings)) {
  rotate();
  server_ = std::make_unique<FakeHttpServer>([this](const FakeRequest& request) { return handle(request); }, settings_.tls);
}

void FakeVault::queue_failures(std::vector<int> statuses) {
  std::lock_guard lock(mutex_);
  failures_.insert(failures_.end(), statuses.begin(), statuses.end());
}

void FakeVault::answer_garbage(std::string body) {
  std::lock_guard lock(mutex_);
  garbage_ = std::move(body);
}

void FakeVault::stop_answering() {
  std::lock_guard lock(mutex_);
  silent_ = true;
}

void FakeVault::rotate() {
  std::lock_guard lock(mutex_);
  encryption_keys_.push_back(random_bytes(32));
  hmac_keys_.push_back(random_bytes(32));
}

FakeRequest FakeVault::last_request() const {
  std::lock_guard lock(mutex_);
  return last_;
}

std::vector<std::string> FakeVault::paths() const {
  std::lock_guard lock(mutex_);
  return paths_;
}

FakeReply FakeVault::handle(const FakeRequest& request) {
  std::lock_guard lock(mutex_);
  last_ = request;
  paths_.push_back(request.target);
  if (silent_) return {0, "", true};
  if (!failures_.empty()) {
    int status = failures_.front();
    failures_.pop_front();
    return vault_error(status, {status == 429 ? "rate limit quota exceeded" : "fake vault: queued failure " + std::to_string(status)});
  }
  if (!garbage_.empty()) return {200, garbage_};

  // Vault checks the token before it routes the request.
  const std::string* token = request.header("x-vault-token");
  if (token == nullptr || *token != settings_.token || request.header_count("x-vault-token") != 1) {
    return vault_error(403, {"permission denied"});
  }
  if (request.header("authorization") != nullptr) return vault_error(400, {"fake vault: unexpected Authorization header"});
  const std::string* name_space = request.header("x-vault-namespace");
  const std::string expected_namespace = settings_.namespace_name;
  if ((name_space == nullptr) != expected_namespace.empty() || (name_space != nullptr && *name_space != expected_namespace)) {
    return vault_error(404, {"fake vault: no handler for route in this namespace"});
  }
  if (request.method != "POST") return vault_error(405, {"unsupported operation"});
  const std::string prefix = "/v1/" + settings_.mount + "/";
  if (!request.target.starts_with(prefix)) return vault_error(404, {"no handler for route \"" + request.target + "\""});
  const std::string rest = request.target.substr(prefix.size());
  if (rest == "encrypt/" + settings_.key) return encrypt(request.body);
  if (rest == "decrypt/" + settings_.key) return decrypt(request.body);
  if (rest == "hmac/" + settings_.key + "/sha2-256") return hmac(request.body);
  if (rest.starts_with("encrypt/") || rest.starts_with("decrypt/") || rest.starts_with("hmac/")) {
    return vault_error(400, {"encryption key not found"});
  }
  return vault_error(404, {});
}

FakeReply FakeVault::encrypt(const std::string& text) {
  Json body = Json::parse(text, nullptr, false);
  if (body.is_discarded() || !has_only(body, {"plaintext"}) || !body["plaintext"].is_string()) {
    return vault_error(400, {"fake vault: encrypt takes exactly {\"plaintext\": <base64>}"});
  }
  std::vector<std::uint8_t> plaintext;
  if (!from_base64(body["plaintext"].get<std::string>(), plaintext)) return vault_error(400, {"failed to base64-decode plaintext"});
  const std::uint32_t version = static_cast<std::uint32_t>(encryption_keys_.size());
  std::vector<std::uint8_t> sealed(12 + plaintext.size() + 16);
  if (RAND_bytes(sealed.data(), 12) != 1) throw std::runtime_error("RAND_bytes failed");
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  int length = 0;
  bool ok = EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, encryption_keys_.back().data(), sealed.data()) == 1 &&
            EVP_EncryptUpdate(ctx, sealed.data() + 12, &length, plaintext.data(), static_cast<int>(plaintext.size())) == 1 &&
            EVP_EncryptFinal_ex(ctx, sealed.data() + 12 + length, &length) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, sealed.data() + 12 + plaintext.size()) == 1;
  EVP_CIPHER_CTX_free(ctx);
  if (!ok) return vault_error(500, {"fake vault: AES-GCM failed"});
  return vault_data({{"ciphertext", "vault:v" + std::to_string(version) + ":" + base64(sealed)}, {"key_version", version}});
}

FakeReply FakeVault::decrypt(const std::string& text) {
  Json body = Json::parse(text, nullptr, false);
  if (body.is_discarded() || !has_only(body, {"ciphertext"}) || !body["ciphertext"].is_string()) {
    return vault_error(400, {"fake vault: decrypt takes exactly {\"ciphertext\": \"vault:v<N>:...\"}"});
  }
  std::vector<std::uint8_t> sealed;
  const std::uint32_t version = parse_versioned(body["ciphertext"].get<std::string>(), sealed);
  if (version == 0 || version > encryption_keys_.size() || sealed.size() < 28) {
    return vault_error(400, {"invalid ciphertext: no prefix"});
  }
  std::vector<std::uint8_t> plaintext(sealed.size() - 28);
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  int length = 0;
  bool ok = EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, encryption_keys_[version - 1].data(), sealed.data()) == 1 &&
            EVP_DecryptUpdate(ctx, plaintext.data(), &length, sealed.data() + 12, static_cast<int>(plaintext.size())) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16, sealed.data() + sealed.size() - 16) == 1 &&
            EVP_DecryptFinal_ex(ctx, plaintext.data() + length, &length) == 1;
  EVP_CIPHER_CTX_free(ctx);
  if (!ok) return vault_error(400, {"cipher: message authentication failed"});
  return vault_data({{"plaintext", base64(plaintext)}});
}

FakeReply FakeVault::hmac(const std::string& text) {
  Json body = Json::parse(text, nullptr, false);
  if (body.is_discarded() || !has_only(body, {"input", "key_version"}) || !body["input"].is_string() ||
      (body.contains("key_version") && !body["key_version"].is_number_unsigned())) {
    return vault_error(400, {"fake vault: hmac takes {\"input\": <base64>, \"key_version\": <n>}"});
  }
  std::vector<std::uint8_t> input;
  if (!from_base64(body["input"].get<std::string>(), input)) return vault_error(400, {"unable to decode input as base64"});
  std::uint32_t version = body.contains("key_version") ? body["key_version"].get<std::uint32_t>()
                                                       : static_cast<std::uint32_t>(hmac_keys_.size());
  if (version == 0 || version > hmac_keys_.size()) return vault_error(400, {"invalid key version"});
  std::vector<std::uint8_t> mac(32);
  unsigned int size = 0;
  HMAC(EVP_sha256(), hmac_keys_[version - 1].data(), 32, input.data(), input.size(), mac.data(), &size);
  return vault_data({{"hmac", "vault:v" + std::to_string(version) + ":" + base64(mac)}});
}

}  // namespace weftkit::crypto::testing
