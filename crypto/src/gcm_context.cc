// AES-GCM through OpenSSL EVP with the key set once per context (see gcm_context.h).
#include "crypto/src/gcm_context.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <climits>

namespace weftkit::crypto::detail {
namespace {

const EVP_CIPHER* cipher_for_key_size(std::size_t size) {
  switch (size) {
    case 16: return EVP_aes_128_gcm();
    case 24: return EVP_aes_192_gcm();
    case 32: return EVP_aes_256_gcm();
    default: return nullptr;
  }
}

bool fits_int(std::size_t size) { return size <= static_cast<std::size_t>(INT_MAX); }

}  // namespace

Result<GcmContext> GcmContext::create(std::span<const std::uint8_t> key, std::size_t nonce_size) {
  const EVP_CIPHER* cipher = cipher_for_key_size(key.size());
  if (cipher == nullptr) return Error(ErrorCode::kInvalidArgument, "AES-GCM keys are 16, 24 or 32 bytes");
  if (nonce_size == 0 || !fits_int(nonce_size)) return Error(ErrorCode::kInvalidArgument, "AES-GCM needs a nonce");
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  if (ctx == nullptr) return Error(ErrorCode::kInternal, "EVP_CIPHER_CTX_new failed");
  GcmContext result(ctx, nonce_size);  // frees ctx on every early return below
  // The nonce length must be set between choosing the cipher and setting the key.
  if (EVP_EncryptInit_ex(ctx, cipher, nullptr, nullptr, nullptr) != 1 ||
      (nonce_size != kGcmNonceSize &&
       EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(nonce_size), nullptr) != 1)) {
    return Error(ErrorCode::kInvalidArgument, "OpenSSL refuses AES-GCM with a " + std::to_string(nonce_size) + "-byte nonce");
  }
  if (EVP_EncryptInit_ex(ctx, nullptr, nullptr, key.data(), nullptr) != 1) {
    return Error(ErrorCode::kInternal, "EVP_EncryptInit_ex refused the key");
  }
  return result;
}

GcmContext& GcmContext::operator=(GcmContext&& other) noexcept {
  if (this != &other) {
    EVP_CIPHER_CTX_free(ctx_);
    ctx_ = other.ctx_;
    nonce_size_ = other.nonce_size_;
    other.ctx_ = nullptr;
  }
  return *this;
}

GcmContext::~GcmContext() { EVP_CIPHER_CTX_free(ctx_); }

bool GcmContext::seal(std::span<const std::uint8_t> nonce, std::span<const std::uint8_t> aad,
                      std::span<const std::uint8_t> plaintext, std::uint8_t* ciphertext_out,
                      std::span<std::uint8_t, kGcmTagSize> tag_out) {
  if (nonce.size() != nonce_size_ || !fits_int(aad.size()) || !fits_int(plaintext.size())) return false;
  int length = 0;
  // Key already set: passing only the nonce restarts GCM without expanding the key again.
  if (EVP_EncryptInit_ex(ctx_, nullptr, nullptr, nullptr, nonce.data()) != 1) return false;
  if (!aad.empty() && EVP_EncryptUpdate(ctx_, nullptr, &length, aad.data(), static_cast<int>(aad.size())) != 1) return false;
  if (!plaintext.empty() &&
      EVP_EncryptUpdate(ctx_, ciphertext_out, &length, plaintext.data(), static_cast<int>(plaintext.size())) != 1) {
    return false;
  }
  if (EVP_EncryptFinal_ex(ctx_, ciphertext_out + plaintext.size(), &length) != 1) return false;
  return EVP_CIPHER_CTX_ctrl(ctx_, EVP_CTRL_GCM_GET_TAG, static_cast<int>(kGcmTagSize), tag_out.data()) == 1;
}

bool GcmContext::open(std::span<const std::uint8_t> nonce, std::span<const std::uint8_t> aad,
                      std::span<const std::uint8_t> ciphertext, std::span<const std::uint8_t, kGcmTagSize> tag,
                      std::uint8_t* plaintext_out) {
  if (nonce.size() != nonce_size_ || !fits_int(aad.size()) || !fits_int(ciphertext.size())) return false;
  int length = 0;
  bool ok = EVP_DecryptInit_ex(ctx_, nullptr, nullptr, nullptr, nonce.data()) == 1 &&
            (aad.empty() || EVP_DecryptUpdate(ctx_, nullptr, &length, aad.data(), static_cast<int>(aad.size())) == 1) &&
            (ciphertext.empty() || EVP_DecryptUpdate(ctx_, plaintext_out, &length, ciphertext.data(),
                                                     static_cast<int>(ciphertext.size())) == 1) &&
            // OpenSSL's API takes a non-const pointer for a tag it only reads.
            EVP_CIPHER_CTX_ctrl(ctx_, EVP_CTRL_GCM_SET_TAG, static_cast<int>(kGcmTagSize),
                                const_cast<std::uint8_t*>(tag.data())) == 1 &&
            EVP_DecryptFinal_ex(ctx_, plaintext_out + ciphertext.size(), &length) == 1;
  // GCM decrypts before it knows the tag; what it wrote must not outlive a failed check.
  if (!ok && !ciphertext.empty()) OPENSSL_cleanse(plaintext_out, ciphertext.size());
  return ok;
}

}  // namespace weftkit::crypto::detail
