// RFC 5802's client computation: SaltedPassword, ClientKey, StoredKey, proofs and signatures.
#include "tests/auth/scram_test_client.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <vector>

namespace weftkit::auth::testing {
namespace {

std::string hmac(std::string_view key, std::string_view data) {
  unsigned char out[32];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), out, &length);
  return std::string(reinterpret_cast<char*>(out), length);
}

std::string attribute(std::string_view message, std::string_view name) {
  const std::string prefix = std::string(name) + "=";
  size_t start = 0;
  while (start <= message.size()) {
    size_t end = message.find(',', start);
    if (end == std::string_view::npos) end = message.size();
    std::string_view part = message.substr(start, end - start);
    if (part.starts_with(prefix)) return std::string(part.substr(prefix.size()));
    start = end + 1;
  }
  ADD_FAILURE() << "no " << name << "= in " << message;
  return "";
}

}  // namespace

std::string b64(std::string_view bytes) {
  std::vector<unsigned char> out(bytes.size() / 3 * 4 + 8);
  const int length = EVP_EncodeBlock(out.data(), reinterpret_cast<const unsigned char*>(bytes.data()),
                                     static_cast<int>(bytes.size()));
  return std::string(reinterpret_cast<char*>(out.data()), static_cast<size_t>(length));
}

std::string unb64(std::string_view text) {
  std::vector<unsigned char> out(text.size() / 4 * 3 + 3);
  const int length =
      EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (length < 0) return "";
  size_t padding = text.ends_with("==") ? 2 : text.ends_with("=") ? 1 : 0;
  return std::string(reinterpret_cast<char*>(out.data()), static_cast<size_t>(length) - padding);
}

std::string ScramTestClient::client_final(std::string_view server_first) {
  const std::string nonce = attribute(server_first, "r");
  const std::string salt = unb64(attribute(server_first, "s"));
  const int iterations = std::stoi(attribute(server_first, "i"));
  unsigned char salted[32];
  PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), reinterpret_cast<const unsigned char*>(salt.data()),
                    static_cast<int>(salt.size()), iterations, EVP_sha256(), sizeof salted, salted);
  const std::string salted_password(reinterpret_cast<char*>(salted), sizeof salted);
  const std::string client_key = hmac(salted_password, "Client Key");
  unsigned char stored[32];
  SHA256(reinterpret_cast<const unsigned char*>(client_key.data()), client_key.size(), stored);
  const std::string stored_key(reinterpret_cast<char*>(stored), sizeof stored);
  const std::string without_proof = "c=" + b64(gs2_header + binding_data) + ",r=" + nonce;
  const std::string auth_message = client_first_bare() + "," + std::string(server_first) + "," + without_proof;
  const std::string client_signature = hmac(stored_key, auth_message);
  std::string proof(32, '\0');
  for (size_t i = 0; i < 32; ++i) proof[i] = static_cast<char>(client_key[i] ^ client_signature[i]);
  expected_server_final = "v=" + b64(hmac(hmac(salted_password, "Server Key"), auth_message));
  return without_proof + ",p=" + b64(proof);
}

}  // namespace weftkit::auth::testing
