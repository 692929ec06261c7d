// The page cipher: header, AAD and AES-256-GCM per page, with each thread's GCM contexts (one
// per data key, key schedule set once) cached between pages and dropped when the keyring's
// epoch says a key was rotated or retired.
#include <weftkit/crypto/page_cipher.h>

#include <cstring>
#include <unordered_map>

#include "crypto/src/byte_io.h"
#include "crypto/src/keyring_state.h"
#include "crypto/src/nonce_pool.h"
#include "crypto/src/page_format.h"

namespace weftkit::crypto {
namespace {

// Bounds the contexts one thread keeps (about 1 KiB each); an engine touching more keys than
// this just rebuilds some.
constexpr std::size_t kMaxCachedKeys = 4096;

std::uint64_t cache_key(TenantId tenant, std::uint32_t version) {
  return (std::uint64_t{static_cast<std::uint32_t>(tenant)} << 32) | version;
}

void build_aad(const std::uint8_t* header, PageId page, std::uint8_t* aad) {
  std::memcpy(aad, header, kPageHeaderSize);
  detail::store_u64(aad + kPageHeaderSize, page.object);
  detail::store_u64(aad + kPageHeaderSize + 8, page.page_number);
}

}  // namespace

struct PageCipher::Cache {
  std::uint64_t epoch = ~std::uint64_t{0};
  std::unordered_map<std::uint64_t, std::unique_ptr<detail::KeyHandle>> by_version;
  std::unordered_map<std::uint32_t, detail::KeyHandle*> current;
  detail::NoncePool nonces;

  void refresh(const KeyringState& state) {
    std::uint64_t now = state.epoch.load(std::memory_order_acquire);
    if (now != epoch) {
      by_version.clear();
      current.clear();
      epoch = now;
    }
  }

  detail::KeyHandle* remember(TenantId tenant, detail::KeyHandle handle) {
    if (by_version.size() >= kMaxCachedKeys) {
      by_version.clear();
      current.clear();
    }
    auto owned = std::make_unique<detail::KeyHandle>(std::move(handle));
    detail::KeyHandle* pointer = owned.get();
    by_version[cache_key(tenant, pointer->key->version)] = std::move(owned);
    return pointer;
  }

  Result<detail::KeyHandle*> current_key(KeyringState& state, TenantId tenant) {
    auto found = current.find(static_cast<std::uint32_t>(tenant));
    if (found != current.end()) return found->second;
    Result<detail::KeyHandle> handle = detail::acquire_current_key(state, tenant);
    if (!handle.ok()) return handle.error();
    detail::KeyHandle* pointer = remember(tenant, std::move(handle).value());
    current[static_cast<std::uint32_t>(tenant)] = pointer;
    return pointer;
  }

  Result<detail::KeyHandle*> key_version(KeyringState& state, TenantId tenant, std::uint32_t version) {
    auto found = by_version.find(cache_key(tenant, version));
    if (found != by_version.end()) return found->second.get();
    Result<detail::KeyHandle> handle = detail::acquire_key_version(state, tenant, version);
    if (!handle.ok()) return handle.error();
    return remember(tenant, std::move(handle).value());
  }
};

PageCipher::PageCipher(std::shared_ptr<Keyring> keyring) : keyring_(std::move(keyring)), cache_(std::make_unique<Cache>()) {}
PageCipher::~PageCipher() = default;
PageCipher::PageCipher(PageCipher&&) noexcept = default;
PageCipher& PageCipher::operator=(PageCipher&&) noexcept = default;

Result<std::size_t> PageCipher::encrypt(TenantId tenant, PageId page, std::uint64_t page_version,
                                        std::span<const std::uint8_t> plaintext, std::span<std::uint8_t> out) {
  if (plaintext.size() > kMaxPageSize) {
    return Error(ErrorCode::kTooLarge, "a page of " + std::to_string(plaintext.size()) + " bytes is over the 65536-byte limit");
  }
  std::size_t sealed_size = sealed_page_size(plaintext.size());
  if (out.size() < sealed_size) {
    return Error(ErrorCode::kBufferTooSmall, "the sealed page needs " + std::to_string(sealed_size) + " bytes, the buffer has " +
                                                 std::to_string(out.size()));
  }
  KeyringState& state = *keyring_->state_;
  Cache& cache = *cache_;
  detail::KeyHandle* handle = nullptr;
  // Each retry follows a rotation (by this call or another thread), so the keyring makes
  // progress on every round; the bound only guards against a bug. It is not small: with
  // several threads writing one tenant near the page limit, a preempted writer can find the
  // key it just looked up used up by the others several times in a row (four rounds failed
  // one write in a few thousand under a loaded machine).
  for (int attempt = 0; attempt < 64 && handle == nullptr; ++attempt) {
    cache.refresh(state);
    Result<detail::KeyHandle*> current = cache.current_key(state, tenant);
    if (!current.ok()) return current.error();
    DataKeyVersion& key = *current.value()->key;
    std::uint64_t page_index = key.pages_used.fetch_add(1, std::memory_order_relaxed);
    if (page_index < key.pages_reserved.load(std::memory_order_acquire)) {
      handle = current.value();
      break;
    }
    Result<detail::Reservation> reserved = detail::reserve_pages(state, tenant, key, page_index);
    if (!reserved.ok()) return reserved.error();
    if (reserved.value() == detail::Reservation::kUseKey) {
      handle = current.value();
    } else {
      cache.current.erase(static_cast<std::uint32_t>(tenant));
    }
  }
  if (handle == nullptr) return Error(ErrorCode::kInternal, "no usable data key after rotating");

  std::uint8_t* header = out.data();
  std::memcpy(header, detail::kPageMagic, sizeof detail::kPageMagic);
  header[detail::kPageFormatOffset] = detail::kPageFormatVersion;
  detail::store_u32(header + detail::kPageSizeOffset, static_cast<std::uint32_t>(plaintext.size()));
  detail::store_u32(header + detail::kPageTenantOffset, static_cast<std::uint32_t>(tenant));
  detail::store_u32(header + detail::kPageKeyVersionOffset, handle->key->version);
  detail::store_u64(header + detail::kPageVersionOffset, page_version);
  std::uint8_t* nonce = header + detail::kPageNonceOffset;
  if (!cache.nonces.next(nonce)) {
    return Error(ErrorCode::kInternal, "RAND_bytes failed to produce a nonce");
  }
  std::uint8_t aad[detail::kPageAadSize];
  build_aad(header, page, aad);
  std::uint8_t* ciphertext = header + kPageHeaderSize;
  if (!handle->gcm.seal(std::span(nonce, detail::kPageNonceSize), aad, plaintext, ciphertext,
                        std::span<std::uint8_t, kPageTagSize>(ciphertext + plaintext.size(), kPageTagSize))) {
    return Error(ErrorCode::kInternal, "AES-256-GCM encryption failed");
  }
  return sealed_size;
}

Result<PageHeaderInfo> PageCipher::inspect(std::span<const std::uint8_t> sealed) {
  if (sealed.size() < kPageOverhead) {
    return Error(ErrorCode::kTruncated, "a sealed page is at least " + std::to_string(kPageOverhead) + " bytes, not " +
                                            std::to_string(sealed.size()));
  }
  if (std::memcmp(sealed.data(), detail::kPageMagic, sizeof detail::kPageMagic) != 0) {
    return Error(ErrorCode::kUnsupportedFormat, "not a sealed WeftKit page (no WKP magic)");
  }
  PageHeaderInfo info;
  info.format_version = sealed[detail::kPageFormatOffset];
  if (info.format_version != detail::kPageFormatVersion) {
    return Error(ErrorCode::kUnsupportedFormat, "page format " + std::to_string(info.format_version) +
                                                    " is not one this build reads (1)");
  }
  info.plaintext_size = detail::load_u32(sealed.data() + detail::kPageSizeOffset);
  info.tenant = static_cast<TenantId>(detail::load_u32(sealed.data() + detail::kPageTenantOffset));
  info.key_version = detail::load_u32(sealed.data() + detail::kPageKeyVersionOffset);
  info.page_version = detail::load_u64(sealed.data() + detail::kPageVersionOffset);
  if (info.plaintext_size > kMaxPageSize) {
    return Error(ErrorCode::kTooLarge, "the header claims " + std::to_string(info.plaintext_size) +
                                           " bytes, over the 65536-byte limit");
  }
  std::size_t expected = sealed_page_size(info.plaintext_size);
  if (sealed.size() < expected) {
    return Error(ErrorCode::kTruncated, "the page holds " + std::to_string(sealed.size()) + " bytes of the " +
                                            std::to_string(expected) + " its header announces");
  }
  if (sealed.size() > expected) {
    return Error(ErrorCode::kLengthMismatch, "the page holds " + std::to_string(sealed.size()) + " bytes, its header announces " +
                                                 std::to_string(expected));
  }
  return info;
}

Result<std::size_t> PageCipher::decrypt(TenantId tenant, PageId page, std::uint64_t expected_version,
                                        std::span<const std::uint8_t> sealed, std::span<std::uint8_t> out) {
  Result<PageHeaderInfo> info = inspect(sealed);
  if (!info.ok()) return info.error();
  const PageHeaderInfo& header = info.value();
  // Decided from the header before any key is touched; a forged tenant field cannot help, as
  // the tenant is also authenticated below.
  if (header.tenant != tenant) {
    return Error(ErrorCode::kWrongTenant, "the page belongs to tenant " + std::to_string(static_cast<std::uint32_t>(header.tenant)) +
                                              ", not to tenant " + std::to_string(static_cast<std::uint32_t>(tenant)));
  }
  if (header.page_version < expected_version) {
    return Error(ErrorCode::kStaleVersion, "the page is version " + std::to_string(header.page_version) + ", expected " +
                                               std::to_string(expected_version));
  }
  if (header.page_version > expected_version) {
    return Error(ErrorCode::kNewerVersion, "the page claims version " + std::to_string(header.page_version) + ", expected " +
                                               std::to_string(expected_version));
  }
  if (out.size() < header.plaintext_size) {
    return Error(ErrorCode::kBufferTooSmall, "the page needs " + std::to_string(header.plaintext_size) + " bytes, the buffer has " +
                                                 std::to_string(out.size()));
  }
  KeyringState& state = *keyring_->state_;
  cache_->refresh(state);
  Result<detail::KeyHandle*> handle = cache_->key_version(state, tenant, header.key_version);
  if (!handle.ok()) return handle.error();
  std::uint8_t aad[detail::kPageAadSize];
  build_aad(sealed.data(), page, aad);
  std::span<const std::uint8_t> ciphertext = sealed.subspan(kPageHeaderSize, header.plaintext_size);
  std::span<const std::uint8_t, kPageTagSize> tag(sealed.data() + kPageHeaderSize + header.plaintext_size, kPageTagSize);
  if (!handle.value()->gcm.open(sealed.subspan(detail::kPageNonceOffset, detail::kPageNonceSize), aad, ciphertext, tag,
                                out.data())) {
    return Error(ErrorCode::kAuthenticationFailed, "the page fails authentication: it was modified, moved to another "
                                                   "object or position, or sealed under another key");
  }
  return std::size_t{header.plaintext_size};
}

Result<std::vector<std::uint8_t>> PageCipher::encrypt(TenantId tenant, PageId page, std::uint64_t page_version,
                                                      std::span<const std::uint8_t> plaintext) {
  std::vector<std::uint8_t> sealed(sealed_page_size(std::min(plaintext.size(), kMaxPageSize + 1)));
  Result<std::size_t> size = encrypt(tenant, page, page_version, plaintext, sealed);
  if (!size.ok()) return size.error();
  return sealed;
}

Result<std::vector<std::uint8_t>> PageCipher::decrypt(TenantId tenant, PageId page, std::uint64_t expected_version,
                                                      std::span<const std::uint8_t> sealed) {
  std::vector<std::uint8_t> plaintext(sealed.size() > kPageOverhead ? sealed.size() - kPageOverhead : 0);
  Result<std::size_t> size = decrypt(tenant, page, expected_version, sealed, plaintext);
  if (!size.ok()) return size.error();
  return plaintext;
}

}  // namespace weftkit::crypto
