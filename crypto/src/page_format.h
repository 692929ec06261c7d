// The sealed page's header (36 bytes, little-endian), all of it authenticated as AAD:
//
//   0  "WKP"              3   magic
//   3  format version u8      1
//   4  plaintext size u32     bytes of ciphertext that follow the header
//   8  tenant u32             TenantId in the keyring
//  12  key version u32        the tenant's data key version that sealed it
//  16  page version u64       the engine's version of the page
//  24  nonce               12   random per write
//  36  ciphertext | tag (16)
//
// AAD = the header || object u64 || page number u64: the page's position is not stored (the
// engine knows where it read it from) but is authenticated.
#pragma once

#include <cstddef>
#include <cstdint>

#include <weftkit/crypto/page_cipher.h>

namespace weftkit::crypto::detail {

inline constexpr std::uint8_t kPageMagic[3] = {'W', 'K', 'P'};
inline constexpr std::uint8_t kPageFormatVersion = 1;
inline constexpr std::size_t kPageFormatOffset = 3;
inline constexpr std::size_t kPageSizeOffset = 4;
inline constexpr std::size_t kPageTenantOffset = 8;
inline constexpr std::size_t kPageKeyVersionOffset = 12;
inline constexpr std::size_t kPageVersionOffset = 16;
inline constexpr std::size_t kPageNonceOffset = 24;
inline constexpr std::size_t kPageNonceSize = 12;
inline constexpr std::size_t kPageAadSize = kPageHeaderSize + 16;
static_assert(kPageNonceOffset + kPageNonceSize == kPageHeaderSize);

}  // namespace weftkit::crypto::detail
