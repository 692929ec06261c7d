// Shared pieces of the crypto tests (see test_support.h).
#include "tests/crypto/test_support.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace weftkit::crypto::testing {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "weftkit-crypto-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::vector<std::uint8_t> from_hex(std::string_view hex) {
  std::vector<std::uint8_t> bytes;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    bytes.push_back(static_cast<std::uint8_t>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return bytes;
}

std::string to_hex(std::span<const std::uint8_t> bytes) {
  static const char kHex[] = "0123456789abcdef";
  std::string text;
  for (std::uint8_t b : bytes) {
    text += kHex[b >> 4];
    text += kHex[b & 15];
  }
  return text;
}

std::string base64(std::span<const std::uint8_t> bytes) {
  std::string text(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(text.data()), bytes.data(), static_cast<int>(bytes.size()));
  text.resize(static_cast<std::size_t>(length));
  return text;
}

bool from_base64(const std::string& text, std::vector<std::uint8_t>& out) {
  if (text.size() % 4 != 0) return false;
  if (text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") != std::string::npos) return false;
  out.assign(text.size() / 4 * 3 + 1, 0);
  int length = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (length < 0) return false;
  std::size_t padding = 0;
  if (!text.empty() && text.back() == '=') ++padding;
  if (text.size() > 1 && text[text.size() - 2] == '=') ++padding;
  out.resize(static_cast<std::size_t>(length) - padding);
  return true;
}

std::vector<std::uint8_t> random_bytes(std::size_t size) {
  std::vector<std::uint8_t> bytes(size);
  if (size > 0 && RAND_bytes(bytes.data(), static_cast<int>(size)) != 1) throw std::runtime_error("RAND_bytes failed");
  return bytes;
}

std::string master_key_base64(int seed) {
  std::vector<std::uint8_t> key(32);
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(seed * 31 + static_cast<int>(i) * 7 + 1);
  return base64(key);
}

std::shared_ptr<KeyProvider> env_provider(int seed) {
  auto provider = make_env_key_provider(master_key_base64(seed));
  if (!provider.ok()) throw std::runtime_error(provider.error().to_string());
  return provider.value();
}

Result<std::vector<std::uint8_t>> CountingProvider::wrap_data_key(const KeyContext& context, const SecretKey& key) {
  ++calls;
  if (fail_wraps) return Error(ErrorCode::kKeyProviderError, "test provider: wrapping refused");
  return inner_->wrap_data_key(context, key);
}

Result<SecretKey> CountingProvider::unwrap_data_key(const KeyContext& context, std::span<const std::uint8_t> wrapped) {
  ++calls;
  return inner_->unwrap_data_key(context, wrapped);
}

Result<SecretKey> CountingProvider::keyring_auth_key(std::span<const std::uint8_t> salt) {
  ++calls;
  return inner_->keyring_auth_key(salt);
}

std::vector<std::uint8_t> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<std::uint8_t>(std::istreambuf_iterator<char>(in), {});
}

void write_file(const std::string& path, std::span<const std::uint8_t> bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace weftkit::crypto::testing
