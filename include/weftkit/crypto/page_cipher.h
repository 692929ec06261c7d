// The page cipher engines call on every page write and read: AES-256-GCM under the tenant's
// current data key, a random 96-bit nonce per write, and additional authenticated data that
// binds the page to its tenant, object, page number, version and key version.
//
// Sealed page = header (36 bytes) | ciphertext (same length as the page) | tag (16 bytes).
// One PageCipher per thread: it keeps its OpenSSL contexts (one per data key) between pages.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include <weftkit/crypto/error.h>
#include <weftkit/crypto/keyring.h>

namespace weftkit::crypto {

struct PageId {
  std::uint64_t object = 0;
  std::uint64_t page_number = 0;
};

inline constexpr std::size_t kPageHeaderSize = 36;
inline constexpr std::size_t kPageTagSize = 16;
inline constexpr std::size_t kPageOverhead = kPageHeaderSize + kPageTagSize;
inline constexpr std::size_t kMaxPageSize = 64 * 1024;  // plaintext bytes

constexpr std::size_t sealed_page_size(std::size_t plaintext_size) { return plaintext_size + kPageOverhead; }

// What a sealed page's header says, before any authentication (engines use key_version to
// know which versions are still in use before retiring one).
struct PageHeaderInfo {
  std::uint8_t format_version = 0;
  TenantId tenant{};
  std::uint32_t key_version = 0;
  std::uint64_t page_version = 0;
  std::uint32_t plaintext_size = 0;
};

class PageCipher {
 public:
  explicit PageCipher(std::shared_ptr<Keyring> keyring);
  ~PageCipher();
  PageCipher(PageCipher&&) noexcept;
  PageCipher& operator=(PageCipher&&) noexcept;
  PageCipher(const PageCipher&) = delete;
  PageCipher& operator=(const PageCipher&) = delete;

  // Writes sealed_page_size(plaintext.size()) bytes to out and returns that size.
  Result<std::size_t> encrypt(TenantId tenant, PageId page, std::uint64_t page_version,
                              std::span<const std::uint8_t> plaintext, std::span<std::uint8_t> out);
  // Writes the plaintext to out and returns its size. On any failure out holds no plaintext
  // (it is wiped) and the error says why: wrong_tenant is decided before any decryption.
  Result<std::size_t> decrypt(TenantId tenant, PageId page, std::uint64_t expected_version,
                              std::span<const std::uint8_t> sealed, std::span<std::uint8_t> out);

  // Allocating forms, for tools and tests.
  Result<std::vector<std::uint8_t>> encrypt(TenantId tenant, PageId page, std::uint64_t page_version,
                                            std::span<const std::uint8_t> plaintext);
  Result<std::vector<std::uint8_t>> decrypt(TenantId tenant, PageId page, std::uint64_t expected_version,
                                            std::span<const std::uint8_t> sealed);

  // Parses a sealed page's header (format, sizes); nothing is authenticated by this.
  static Result<PageHeaderInfo> inspect(std::span<const std::uint8_t> sealed);

 private:
  struct Cache;
  std::shared_ptr<Keyring> keyring_;
  std::unique_ptr<Cache> cache_;
};

}  // namespace weftkit::crypto
