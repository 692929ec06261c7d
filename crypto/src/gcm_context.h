// One OpenSSL EVP AES-GCM context with its key schedule set once: each seal/open only sets the
// nonce, so the per-page cost is the nonce, the AAD and the data, never a key expansion or an
// allocation. The page cipher, the env provider's key wrapping and the Wycheproof tests all go
// through these calls.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include <weftkit/crypto/error.h>

typedef struct evp_cipher_ctx_st EVP_CIPHER_CTX;

namespace weftkit::crypto::detail {

inline constexpr std::size_t kGcmTagSize = 16;
inline constexpr std::size_t kGcmNonceSize = 12;

class GcmContext {
 public:
  // AES-128/192/256-GCM by the key's size (16, 24, 32 bytes); nonces of nonce_size bytes
  // (12 unless a test needs another). invalid_argument for sizes OpenSSL refuses.
  static Result<GcmContext> create(std::span<const std::uint8_t> key, std::size_t nonce_size = kGcmNonceSize);

  GcmContext(GcmContext&& other) noexcept : ctx_(other.ctx_), nonce_size_(other.nonce_size_) { other.ctx_ = nullptr; }
  GcmContext& operator=(GcmContext&& other) noexcept;
  GcmContext(const GcmContext&) = delete;
  GcmContext& operator=(const GcmContext&) = delete;
  ~GcmContext();  // EVP_CIPHER_CTX_free wipes the key schedule

  // ciphertext_out receives plaintext.size() bytes (may alias plaintext exactly).
  bool seal(std::span<const std::uint8_t> nonce, std::span<const std::uint8_t> aad,
            std::span<const std::uint8_t> plaintext, std::uint8_t* ciphertext_out,
            std::span<std::uint8_t, kGcmTagSize> tag_out);
  // plaintext_out receives ciphertext.size() bytes, wiped again when the tag does not verify.
  bool open(std::span<const std::uint8_t> nonce, std::span<const std::uint8_t> aad,
            std::span<const std::uint8_t> ciphertext, std::span<const std::uint8_t, kGcmTagSize> tag,
            std::uint8_t* plaintext_out);

 private:
  GcmContext(EVP_CIPHER_CTX* ctx, std::size_t nonce_size) : ctx_(ctx), nonce_size_(nonce_size) {}
  EVP_CIPHER_CTX* ctx_;
  std::size_t nonce_size_;
};

}  // namespace weftkit::crypto::detail
