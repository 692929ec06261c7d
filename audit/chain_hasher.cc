// ChainHasher (record.h) over OpenSSL 3: one EVP_MAC_CTX (HMAC-SHA256) or EVP_MD_CTX
// (SHA-256) kept for the hasher's life, re-initialised per record.
#include <weftkit/audit/record.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

namespace weftkit::audit {

struct ChainHasher::State {
  EVP_MAC* mac = nullptr;
  EVP_MAC_CTX* mac_context = nullptr;
  EVP_MD_CTX* digest_context = nullptr;
  // Fetched once: EVP_sha256() is looked up in the provider store (a lock and name compares)
  // on every EVP_DigestInit_ex, a tenth of the writer's time.
  EVP_MD* sha256 = nullptr;
  ~State() {
    EVP_MD_free(sha256);
    EVP_MAC_CTX_free(mac_context);
    EVP_MAC_free(mac);
    EVP_MD_CTX_free(digest_context);
  }
};

ChainHasher::ChainHasher(std::unique_ptr<State> state) : state_(std::move(state)) {}
ChainHasher::ChainHasher(ChainHasher&&) noexcept = default;
ChainHasher& ChainHasher::operator=(ChainHasher&&) noexcept = default;
ChainHasher::~ChainHasher() = default;

StatusOr<ChainHasher> ChainHasher::create(std::optional<std::string> key) {
  auto state = std::make_unique<State>();
  if (!key) {
    state->digest_context = EVP_MD_CTX_new();
    if (state->digest_context == nullptr) return Status(StatusCode::kInternal, "audit: EVP_MD_CTX_new failed");
    state->sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (state->sha256 == nullptr) return Status(StatusCode::kInternal, "audit: SHA-256 is not available from OpenSSL");
    return ChainHasher(std::move(state));
  }
  if (key->empty()) return Status(StatusCode::kInvalidArgument, "audit: the HMAC key is empty");
  state->mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (state->mac == nullptr) return Status(StatusCode::kInternal, "audit: HMAC is not available from OpenSSL");
  state->mac_context = EVP_MAC_CTX_new(state->mac);
  if (state->mac_context == nullptr) return Status(StatusCode::kInternal, "audit: EVP_MAC_CTX_new failed");
  char digest_name[] = "SHA256";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
                               OSSL_PARAM_construct_end()};
  if (EVP_MAC_init(state->mac_context, reinterpret_cast<const unsigned char*>(key->data()), key->size(), params) != 1) {
    return Status(StatusCode::kInternal, "audit: EVP_MAC_init failed");
  }
  return ChainHasher(std::move(state));
}

bool ChainHasher::keyed() const { return state_->mac_context != nullptr; }

StatusOr<std::string> ChainHasher::hex_hash(std::string_view canonical) {
  std::string hex(kHashHexSize, '0');
  Status hashed = hex_hash_into(canonical, hex.data());
  if (!hashed.is_ok()) return hashed;
  return hex;
}

Status ChainHasher::hex_hash_into(std::string_view canonical, char* hex_out) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  std::size_t length = 0;
  if (state_->mac_context != nullptr) {
    // A null key re-initialises the context with the key it already holds.
    if (EVP_MAC_init(state_->mac_context, nullptr, 0, nullptr) != 1 ||
        EVP_MAC_update(state_->mac_context, reinterpret_cast<const unsigned char*>(canonical.data()),
                       canonical.size()) != 1 ||
        EVP_MAC_final(state_->mac_context, digest, &length, sizeof digest) != 1) {
      return Status(StatusCode::kInternal, "audit: HMAC-SHA256 failed");
    }
  } else {
    unsigned int digest_length = 0;
    if (EVP_DigestInit_ex2(state_->digest_context, state_->sha256, nullptr) != 1 ||
        EVP_DigestUpdate(state_->digest_context, canonical.data(), canonical.size()) != 1 ||
        EVP_DigestFinal_ex(state_->digest_context, digest, &digest_length) != 1) {
      return Status(StatusCode::kInternal, "audit: SHA-256 failed");
    }
    length = digest_length;
  }
  if (length * 2 != kHashHexSize) return Status(StatusCode::kInternal, "audit: unexpected digest length");
  static constexpr char kHex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < length; ++i) {
    hex_out[2 * i] = kHex[digest[i] >> 4];
    hex_out[2 * i + 1] = kHex[digest[i] & 0xF];
  }
  return Status::ok();
}

}  // namespace weftkit::audit
