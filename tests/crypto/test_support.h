// Shared pieces of the crypto tests: a private temporary directory, deterministic master keys,
// hex and byte helpers, and a key provider that counts (and can fail) its calls.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <weftkit/crypto/env_key_provider.h>
#include <weftkit/crypto/keyring.h>

namespace weftkit::crypto::testing {

// A fresh directory (mode 0700) removed with everything in it when the object goes.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(std::string_view name) const { return path_ + "/" + std::string(name); }

 private:
  std::string path_;
};

std::vector<std::uint8_t> from_hex(std::string_view hex);
std::string to_hex(std::span<const std::uint8_t> bytes);
std::string base64(std::span<const std::uint8_t> bytes);
// Strict standard base64 with '=' padding (as the fake key services read it); false otherwise.
bool from_base64(const std::string& text, std::vector<std::uint8_t>& out);
std::vector<std::uint8_t> random_bytes(std::size_t size);

// base64 of 32 bytes derived from seed: every test can name "master key 1" and "master key 2".
std::string master_key_base64(int seed);
std::shared_ptr<KeyProvider> env_provider(int seed);

// Forwards to an env provider, counting calls; fail_wraps makes wrap_data_key fail.
class CountingProvider final : public KeyProvider {
 public:
  explicit CountingProvider(int seed) : inner_(env_provider(seed)) {}
  std::string_view kind() const override { return inner_->kind(); }
  Result<std::vector<std::uint8_t>> wrap_data_key(const KeyContext& context, const SecretKey& key) override;
  Result<SecretKey> unwrap_data_key(const KeyContext& context, std::span<const std::uint8_t> wrapped) override;
  Result<SecretKey> keyring_auth_key(std::span<const std::uint8_t> salt) override;

  std::atomic<int> calls{0};
  std::atomic<bool> fail_wraps{false};

 private:
  std::shared_ptr<KeyProvider> inner_;
};

std::vector<std::uint8_t> read_file(const std::string& path);
void write_file(const std::string& path, std::span<const std::uint8_t> bytes);

}  // namespace weftkit::crypto::testing
