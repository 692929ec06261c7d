// JWT verification per algorithm (header and claim checks included) against OpenSSL's bare
// signature verification of the same bytes with the same key, in the same run; and the same
// token answered by the verifier's token cache, with what a hit costs broken into its parts.
#include <benchmark/benchmark.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rsa.h>

#include <memory>
#include <string>
#include <vector>

#include "auth/token_hash.h"
#include "weftkit/auth/jwt.h"

namespace {

using weftkit::auth::JsonWebKeySet;
using weftkit::auth::JwtOptions;
using weftkit::auth::JwtVerifier;

constexpr int64_t kNow = 1'800'000'000;
const std::string kSecret = "0123456789abcdef0123456789abcdef-bench";

std::string b64url(const std::string& bytes) {
  std::vector<unsigned char> out(bytes.size() / 3 * 4 + 8);
  const int length = EVP_EncodeBlock(out.data(), reinterpret_cast<const unsigned char*>(bytes.data()),
                                     static_cast<int>(bytes.size()));
  std::string text(reinterpret_cast<char*>(out.data()), static_cast<size_t>(length));
  while (!text.empty() && text.back() == '=') text.pop_back();
  for (char& c : text) c = c == '+' ? '-' : c == '/' ? '_' : c;
  return text;
}

std::string bn_bytes(const EVP_PKEY* key, const char* name) {
  BIGNUM* number = nullptr;
  EVP_PKEY_get_bn_param(key, name, &number);
  std::string bytes(static_cast<size_t>(BN_num_bytes(number)), '\0');
  BN_bn2bin(number, reinterpret_cast<unsigned char*>(bytes.data()));
  BN_free(number);
  return bytes;
}

// One algorithm's key, its JWK, a ~1 KB token and what OpenSSL alone verifies.
struct Case {
  std::shared_ptr<EVP_PKEY> key;
  std::string jwk;
  std::string token;
  std::string signing_input;
  std::string openssl_signature;  // DER for ECDSA, as EVP_DigestVerify takes it
  const char* digest = nullptr;
  bool pss = false;
};

Case make_case(const std::string& alg) {
  Case c;
  const std::string kid = "k-" + alg;
  if (alg[0] == 'R' || alg[0] == 'P') {
    c.key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048}), EVP_PKEY_free);
    c.jwk = "{\"kty\":\"RSA\",\"kid\":\"" + kid + "\",\"n\":\"" + b64url(bn_bytes(c.key.get(), OSSL_PKEY_PARAM_RSA_N)) +
            "\",\"e\":\"" + b64url(bn_bytes(c.key.get(), OSSL_PKEY_PARAM_RSA_E)) + "\"}";
  } else if (alg[0] == 'E' && alg != "EdDSA") {
    const char* curve = alg == "ES256" ? "P-256" : "P-384";
    c.key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve), EVP_PKEY_free);
    unsigned char point[200];
    size_t length = 0;
    EVP_PKEY_get_octet_string_param(c.key.get(), OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point, &length);
    const size_t half = (length - 1) / 2;
    c.jwk = "{\"kty\":\"EC\",\"kid\":\"" + kid + "\",\"crv\":\"" + curve + "\",\"x\":\"" +
            b64url(std::string(reinterpret_cast<char*>(point) + 1, half)) + "\",\"y\":\"" +
            b64url(std::string(reinterpret_cast<char*>(point) + 1 + half, half)) + "\"}";
  } else if (alg == "EdDSA") {
    c.key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"), EVP_PKEY_free);
    unsigned char raw[32];
    size_t length = sizeof raw;
    EVP_PKEY_get_raw_public_key(c.key.get(), raw, &length);
    c.jwk = "{\"kty\":\"OKP\",\"kid\":\"" + kid + "\",\"crv\":\"Ed25519\",\"x\":\"" +
            b64url(std::string(reinterpret_cast<char*>(raw), length)) + "\"}";
  }
  const std::string claims = "{\"sub\":\"alice\",\"tenant_id\":\"acme\",\"roles\":[\"analyst\"],\"exp\":" +
                             std::to_string(kNow + 600) + ",\"pad\":\"" + std::string(600, 'x') + "\"}";
  c.signing_input = b64url("{\"alg\":\"" + alg + "\",\"kid\":\"" + kid + "\"}") + "." + b64url(claims);
  std::string signature;
  if (alg == "HS256") {
    unsigned char mac[32];
    unsigned int length = 0;
    HMAC(EVP_sha256(), kSecret.data(), static_cast<int>(kSecret.size()),
         reinterpret_cast<const unsigned char*>(c.signing_input.data()), c.signing_input.size(), mac, &length);
    signature.assign(reinterpret_cast<char*>(mac), length);
    c.openssl_signature = signature;
  } else {
    c.digest = alg == "EdDSA" ? nullptr : alg.ends_with("256") ? "SHA256" : alg.ends_with("384") ? "SHA384" : "SHA512";
    c.pss = alg[0] == 'P';
    EVP_MD_CTX* context = EVP_MD_CTX_new();
    EVP_PKEY_CTX* key_context = nullptr;
    EVP_DigestSignInit_ex(context, &key_context, c.digest, nullptr, nullptr, c.key.get(), nullptr);
    if (c.pss) {
      EVP_PKEY_CTX_set_rsa_padding(key_context, RSA_PKCS1_PSS_PADDING);
      EVP_PKEY_CTX_set_rsa_pss_saltlen(key_context, RSA_PSS_SALTLEN_DIGEST);
    }
    size_t length = 0;
    EVP_DigestSign(context, nullptr, &length, reinterpret_cast<const unsigned char*>(c.signing_input.data()),
                   c.signing_input.size());
    signature.resize(length);
    EVP_DigestSign(context, reinterpret_cast<unsigned char*>(signature.data()), &length,
                   reinterpret_cast<const unsigned char*>(c.signing_input.data()), c.signing_input.size());
    signature.resize(length);
    EVP_MD_CTX_free(context);
    c.openssl_signature = signature;
    if (alg == "ES256" || alg == "ES384") {
      const int size = alg == "ES256" ? 32 : 48;
      const unsigned char* cursor = reinterpret_cast<const unsigned char*>(signature.data());
      ECDSA_SIG* parsed = d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(signature.size()));
      std::string raw(static_cast<size_t>(2 * size), '\0');
      BN_bn2binpad(ECDSA_SIG_get0_r(parsed), reinterpret_cast<unsigned char*>(raw.data()), size);
      BN_bn2binpad(ECDSA_SIG_get0_s(parsed), reinterpret_cast<unsigned char*>(raw.data()) + size, size);
      ECDSA_SIG_free(parsed);
      signature = raw;
    }
  }
  c.token = c.signing_input + "." + b64url(signature);
  return c;
}

JwtVerifier make_verifier(const Case& c, size_t cache_entries) {
  JwtOptions options;
  options.hs256_secret = kSecret;
  options.role_exists = [](std::string_view role) { return role == "analyst"; };
  options.token_cache_entries = cache_entries;
  return JwtVerifier(JsonWebKeySet::parse("{\"keys\":[" + (c.jwk.empty() ? "" : c.jwk) + "]}").value(), options);
}

// Every verify in full: the token cache is off.
void BM_JwtVerify(benchmark::State& state, const std::string& alg) {
  const Case c = make_case(alg);
  JwtVerifier verifier = make_verifier(c, 0);
  if (!verifier.verify(c.token, kNow).ok()) state.SkipWithError("the token does not verify");
  for (auto _ : state) benchmark::DoNotOptimize(verifier.verify(c.token, kNow));
  state.SetLabel(std::to_string(c.token.size()) + "-byte token");
}

// The same token again and again with the default cache, warmed by one verify: each iteration
// is a hit (hash, byte match, identity copy, the roles.yaml check, the source address).
void BM_JwtVerifyCached(benchmark::State& state, const std::string& alg) {
  const Case c = make_case(alg);
  JwtVerifier verifier = make_verifier(c, JwtOptions{}.token_cache_entries);
  if (!verifier.verify(c.token, kNow).ok()) state.SkipWithError("the token does not verify");
  for (auto _ : state) benchmark::DoNotOptimize(verifier.verify(c.token, kNow, "203.0.113.5"));
  if (verifier.token_cache_stats().hits < static_cast<uint64_t>(state.iterations())) state.SkipWithError("an iteration missed the cache");
  state.SetLabel(std::to_string(c.token.size()) + "-byte token");
}

// HMAC-SHA-256 as the verifier computes it: a copy of a context keyed once, then the token.
// HMAC() (the OpenSslVerify row) fetches the algorithms and keys a new context every call.
void BM_OpenSslHmacKeyedOnce(benchmark::State& state) {
  const Case c = make_case("HS256");
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  EVP_MAC_CTX* keyed = EVP_MAC_CTX_new(mac);
  char digest[] = "SHA256";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0), OSSL_PARAM_construct_end()};
  EVP_MAC_init(keyed, reinterpret_cast<const unsigned char*>(kSecret.data()), kSecret.size(), params);
  for (auto _ : state) {
    EVP_MAC_CTX* context = EVP_MAC_CTX_dup(keyed);
    unsigned char out[32];
    size_t length = 0;
    EVP_MAC_update(context, reinterpret_cast<const unsigned char*>(c.signing_input.data()), c.signing_input.size());
    EVP_MAC_final(context, out, &length, sizeof out);
    EVP_MAC_CTX_free(context);
    benchmark::DoNotOptimize(out);
  }
  EVP_MAC_CTX_free(keyed);
  EVP_MAC_free(mac);
}

// The two passes a hit makes over the token bytes, alone.
void BM_TokenHash(benchmark::State& state) {
  const Case c = make_case("HS256");
  const weftkit::auth::TokenHasher& hasher = *weftkit::auth::process_token_hasher();
  for (auto _ : state) benchmark::DoNotOptimize(hasher(c.token));
  state.SetLabel(std::to_string(c.token.size()) + " bytes");
}

void BM_TokenCompare(benchmark::State& state, bool openssl) {
  const Case c = make_case("HS256");
  const std::string copy = c.token;
  for (auto _ : state) {
    if (openssl) {
      benchmark::DoNotOptimize(CRYPTO_memcmp(c.token.data(), copy.data(), copy.size()));
    } else {
      benchmark::DoNotOptimize(weftkit::auth::same_bytes_in_constant_time(c.token, copy));
    }
  }
  state.SetLabel(std::to_string(c.token.size()) + " bytes");
}

void BM_OpenSslVerify(benchmark::State& state, const std::string& alg) {
  const Case c = make_case(alg);
  for (auto _ : state) {
    if (alg == "HS256") {
      unsigned char mac[32];
      unsigned int length = 0;
      HMAC(EVP_sha256(), kSecret.data(), static_cast<int>(kSecret.size()),
           reinterpret_cast<const unsigned char*>(c.signing_input.data()), c.signing_input.size(), mac, &length);
      benchmark::DoNotOptimize(mac);
      continue;
    }
    EVP_MD_CTX* context = EVP_MD_CTX_new();
    EVP_PKEY_CTX* key_context = nullptr;
    EVP_DigestVerifyInit_ex(context, &key_context, c.digest, nullptr, nullptr, c.key.get(), nullptr);
    if (c.pss) {
      EVP_PKEY_CTX_set_rsa_padding(key_context, RSA_PKCS1_PSS_PADDING);
      EVP_PKEY_CTX_set_rsa_pss_saltlen(key_context, RSA_PSS_SALTLEN_DIGEST);
    }
    const int verified = EVP_DigestVerify(context, reinterpret_cast<const unsigned char*>(c.openssl_signature.data()),
                                          c.openssl_signature.size(),
                                          reinterpret_cast<const unsigned char*>(c.signing_input.data()),
                                          c.signing_input.size());
    EVP_MD_CTX_free(context);
    if (verified != 1) state.SkipWithError("OpenSSL does not verify");
  }
}

}  // namespace

int main(int argc, char** argv) {
  for (const char* alg : {"RS256", "PS256", "ES256", "ES384", "EdDSA", "HS256"}) {
    benchmark::RegisterBenchmark((std::string("JwtVerify/") + alg).c_str(), BM_JwtVerify, std::string(alg));
    benchmark::RegisterBenchmark((std::string("OpenSslVerify/") + alg).c_str(), BM_OpenSslVerify, std::string(alg));
  }
  for (const char* alg : {"RS256", "HS256"}) {
    benchmark::RegisterBenchmark((std::string("JwtVerifyCached/") + alg).c_str(), BM_JwtVerifyCached, std::string(alg));
  }
  benchmark::RegisterBenchmark("OpenSslHmacKeyedOnce/HS256", BM_OpenSslHmacKeyedOnce);
  benchmark::RegisterBenchmark("TokenHash", BM_TokenHash);
  benchmark::RegisterBenchmark("TokenCompare/constant_time_words", BM_TokenCompare, false);
  benchmark::RegisterBenchmark("TokenCompare/CRYPTO_memcmp", BM_TokenCompare, true);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
