// SCRAM-SHA-256 server cost per exchange, without PBKDF2 on the server (the verifier is stored):
// parse client-first, answer server-first, check client-final's proof, sign server-final.
// The client's proof is computed once, outside the timed loop.
#include <benchmark/benchmark.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <string>

#include "weftkit/auth/scram.h"

namespace {

using weftkit::auth::PasswordFile;
using weftkit::auth::ScramServer;
using weftkit::auth::ScramServerOptions;

std::string b64(const unsigned char* bytes, size_t size) {
  std::string out(size / 3 * 4 + 8, '\0');
  const int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes, static_cast<int>(size));
  out.resize(static_cast<size_t>(length));
  return out;
}

std::string hmac(const std::string& key, const std::string& data) {
  unsigned char out[32];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), out, &length);
  return std::string(reinterpret_cast<char*>(out), length);
}

struct Fixture {
  std::shared_ptr<const PasswordFile> users;
  std::string client_first = "n,,n=alice,r=fyko+d2lbbFgONRv9qkxdawL";
  std::string server_nonce = "3rfcNHYJY1ZVvWVs7j";
  std::string client_final;

  Fixture() {
    const std::string salt = "0123456789abcdef";
    users = PasswordFile::parse("alice:" + weftkit::auth::make_scram_verifier("wonderland", salt, 4096).value() + "\n",
                                "bench")
                .file;
    unsigned char salted[32];
    PKCS5_PBKDF2_HMAC("wonderland", 10, reinterpret_cast<const unsigned char*>(salt.data()), 16, 4096, EVP_sha256(), 32,
                      salted);
    const std::string client_key = hmac(std::string(reinterpret_cast<char*>(salted), 32), "Client Key");
    unsigned char stored[32];
    SHA256(reinterpret_cast<const unsigned char*>(client_key.data()), 32, stored);
    const std::string server_first = "r=fyko+d2lbbFgONRv9qkxdawL" + server_nonce + ",s=" +
                                     b64(reinterpret_cast<const unsigned char*>(salt.data()), 16) + ",i=4096";
    const std::string without_proof = "c=biws,r=fyko+d2lbbFgONRv9qkxdawL" + server_nonce;
    const std::string signature =
        hmac(std::string(reinterpret_cast<char*>(stored), 32), "n=alice,r=fyko+d2lbbFgONRv9qkxdawL," + server_first + "," + without_proof);
    unsigned char proof[32];
    for (size_t i = 0; i < 32; ++i) proof[i] = static_cast<unsigned char>(client_key[i] ^ signature[i]);
    client_final = without_proof + ",p=" + b64(proof, 32);
  }
};

void BM_ScramServerExchange(benchmark::State& state) {
  Fixture fixture;
  for (auto _ : state) {
    ScramServer server(ScramServerOptions{.users = fixture.users, .source_address = "10.0.0.1",
                                          .server_nonce = fixture.server_nonce});
    benchmark::DoNotOptimize(server.step(fixture.client_first));
    auto final_step = server.step(fixture.client_final);
    if (!final_step.outcome || !final_step.outcome->ok()) state.SkipWithError("the exchange failed");
    benchmark::DoNotOptimize(final_step);
  }
}
BENCHMARK(BM_ScramServerExchange);

// The server-first answer with a random nonce, as in production (RAND_bytes included).
void BM_ScramServerFirstRandomNonce(benchmark::State& state) {
  Fixture fixture;
  for (auto _ : state) {
    ScramServer server(ScramServerOptions{.users = fixture.users, .source_address = "10.0.0.1"});
    benchmark::DoNotOptimize(server.step(fixture.client_first));
  }
}
BENCHMARK(BM_ScramServerFirstRandomNonce);

// A known user's server-first with a fixed nonce, to compare with an unknown user's below.
void BM_ScramServerFirstKnownUser(benchmark::State& state) {
  Fixture fixture;
  for (auto _ : state) {
    ScramServer server(ScramServerOptions{.users = fixture.users, .source_address = "10.0.0.1",
                                          .server_nonce = fixture.server_nonce});
    benchmark::DoNotOptimize(server.step(fixture.client_first));
  }
}
BENCHMARK(BM_ScramServerFirstKnownUser);

// An unknown user's mock exchange (salt derived by HMAC, random keys) up to server-first.
void BM_ScramServerFirstUnknownUser(benchmark::State& state) {
  Fixture fixture;
  for (auto _ : state) {
    ScramServer server(ScramServerOptions{.users = fixture.users, .source_address = "10.0.0.1",
                                          .server_nonce = fixture.server_nonce});
    benchmark::DoNotOptimize(server.step("n,,n=mallory,r=fyko+d2lbbFgONRv9qkxdawL"));
  }
}
BENCHMARK(BM_ScramServerFirstUnknownUser);

}  // namespace

BENCHMARK_MAIN();
