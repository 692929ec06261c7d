// Page cipher cost against raw OpenSSL EVP AES-256-GCM on the same buffers in the same run
// (budget: >= 0.9x raw throughput, <= 200 ns per page beyond EVP), and opening a keyring of
// 10,000 tenants with the env provider (budget: <= 100 ms).
#include <benchmark/benchmark.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdlib.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <weftkit/crypto/env_key_provider.h>
#include <weftkit/crypto/page_cipher.h>

namespace {

using namespace weftkit::crypto;

std::vector<std::uint8_t> random_bytes(std::size_t size) {
  std::vector<std::uint8_t> bytes(size);
  RAND_bytes(bytes.data(), static_cast<int>(size));
  return bytes;
}

std::shared_ptr<KeyProvider> bench_provider() {
  // base64 of 32 bytes 0x01..0x20
  return make_env_key_provider("AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=").value();
}

class BenchDir {
 public:
  BenchDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "weftkit-crypto-bench-XXXXXX").string();
    path_ = mkdtemp(pattern.data()) ? pattern : "";
  }
  ~BenchDir() { std::filesystem::remove_all(path_); }
  std::string file(const char* name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Raw EVP: one context with the key set once, per page only the nonce, the same 52 bytes of AAD
// the cipher authenticates, the data and the tag; encrypt then decrypt.
void BM_RawEvpAes256Gcm(benchmark::State& state) {
  std::size_t size = static_cast<std::size_t>(state.range(0));
  std::size_t offset = static_cast<std::size_t>(state.range(1));
  auto key = random_bytes(32);
  auto nonce = random_bytes(12);
  auto aad = random_bytes(52);
  auto plaintext = random_bytes(size);
  std::vector<std::uint8_t> ciphertext_buffer(size + offset), opened(size);
  std::uint8_t* ciphertext_data = ciphertext_buffer.data() + offset;
  std::uint8_t tag[16];
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, key.data(), nullptr);
  int length = 0;
  for (auto _ : state) {
    EVP_EncryptInit_ex(ctx, nullptr, nullptr, nullptr, nonce.data());
    EVP_EncryptUpdate(ctx, nullptr, &length, aad.data(), static_cast<int>(aad.size()));
    EVP_EncryptUpdate(ctx, ciphertext_data, &length, plaintext.data(), static_cast<int>(size));
    EVP_EncryptFinal_ex(ctx, ciphertext_data + size, &length);
    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, tag);
    EVP_DecryptInit_ex(ctx, nullptr, nullptr, nullptr, nonce.data());
    EVP_DecryptUpdate(ctx, nullptr, &length, aad.data(), static_cast<int>(aad.size()));
    EVP_DecryptUpdate(ctx, opened.data(), &length, ciphertext_data, static_cast<int>(size));
    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16, tag);
    if (EVP_DecryptFinal_ex(ctx, opened.data() + size, &length) != 1) state.SkipWithError("raw GCM tag mismatch");
    benchmark::DoNotOptimize(opened.data());
  }
  EVP_CIPHER_CTX_free(ctx);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * size));
}

// The page cipher: header, random nonce, AAD, tag, the keyring's page counter; encrypt then
// decrypt of the same page.
void BM_PageCipher(benchmark::State& state) {
  std::size_t size = static_cast<std::size_t>(state.range(0));
  BenchDir dir;
  KeyringSettings settings;
  settings.path = dir.file("keyring");
  auto keyring = Keyring::create(settings, bench_provider()).value();
  TenantId tenant = keyring->add_tenant("tenant-001").value();
  PageCipher cipher(keyring);
  auto plaintext = random_bytes(size);
  std::vector<std::uint8_t> sealed(sealed_page_size(size)), opened(size);
  for (auto _ : state) {
    auto sealed_size = cipher.encrypt(tenant, {1, 2}, 3, plaintext, sealed);
    auto opened_size = cipher.decrypt(tenant, {1, 2}, 3, sealed, opened);
    if (!sealed_size.ok() || !opened_size.ok()) state.SkipWithError("page cipher failed");
    benchmark::DoNotOptimize(opened.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * size));
}

// The nonce alone: what RAND_bytes adds to each write.
void BM_RandBytesNonce(benchmark::State& state) {
  std::uint8_t nonce[12];
  for (auto _ : state) {
    RAND_bytes(nonce, sizeof nonce);
    benchmark::DoNotOptimize(nonce);
  }
}

void BM_KeyringOpen10000Tenants(benchmark::State& state) {
  BenchDir dir;
  KeyringSettings settings;
  settings.path = dir.file("keyring");
  {
    auto keyring = Keyring::create(settings, bench_provider()).value();
    std::vector<std::string> names;
    for (int i = 0; i < 10000; ++i) names.push_back("tenant-" + std::to_string(i));
    if (!keyring->add_tenants(names).ok()) state.SkipWithError("could not build the keyring");
  }
  auto provider = bench_provider();
  for (auto _ : state) {
    auto keyring = Keyring::open(settings, provider);
    if (!keyring.ok()) state.SkipWithError("open failed");
    benchmark::DoNotOptimize(keyring);
  }
  state.counters["bytes"] = static_cast<double>(std::filesystem::file_size(settings.path));
}

BENCHMARK(BM_RawEvpAes256Gcm)->Args({8192, 0})->Args({16384, 0})->Args({8192, 36})->Args({16384, 36});
BENCHMARK(BM_PageCipher)->Arg(8192)->Arg(16384);
BENCHMARK(BM_RawEvpAes256Gcm)->Args({0, 0});
BENCHMARK(BM_PageCipher)->Arg(0);
BENCHMARK(BM_RandBytesNonce);
BENCHMARK(BM_KeyringOpen10000Tenants)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
