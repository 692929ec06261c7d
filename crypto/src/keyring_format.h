// The keyring file: a fixed header (magic, format, salt, key check), a body with every tenant's
// wrapped data keys, and an HMAC-SHA256 over all of it under the provider's keyring
// authentication key. The key check (an HMAC of a constant) tells a wrong master key apart from
// a tampered file; the body is parsed only after the MAC verified.
//
//   0  "WKKR"         4   magic
//   4  format  u16        1
//   6  reserved u16       0
//   8  salt             32  HKDF salt of the authentication key (new on every rewrap)
//  40  key check        16  HMAC(auth key, "weftkit keyring key check v1")[0..16)
//  56  body size u32
//  60  body                 provider kind, generation, tenants (see keyring_format.cc)
//  ..  mac              32  HMAC(auth key, bytes [0, 60 + body size))
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <weftkit/crypto/error.h>
#include <weftkit/crypto/secret_key.h>

namespace weftkit::crypto::detail {

inline constexpr std::size_t kKeyringSaltSize = 32;

struct VersionRecord {
  std::uint32_t version = 0;
  std::uint64_t pages_reserved = 0;
  std::vector<std::uint8_t> wrapped_key;
};

struct TenantRecord {
  std::string name;  // the tenant's id is its position + 1
  std::uint32_t current_version = 0;
  std::vector<VersionRecord> versions;  // ascending, includes current_version
};

struct KeyringImage {
  std::string provider;
  std::array<std::uint8_t, kKeyringSaltSize> salt{};
  std::uint64_t generation = 0;  // incremented by every write
  std::vector<TenantRecord> tenants;
};

Result<std::vector<std::uint8_t>> serialize_keyring(const KeyringImage& image, const SecretKey& auth_key);

// The salt from a file's header; unsupported_format for a file that is not a keyring of a
// known format, keyring_tampered for one whose sizes do not add up.
Result<std::array<std::uint8_t, kKeyringSaltSize>> read_keyring_salt(std::span<const std::uint8_t> file);

// wrong_master_key when the key check differs, keyring_tampered when the MAC or the body is wrong.
Result<KeyringImage> verify_and_parse_keyring(std::span<const std::uint8_t> file, const SecretKey& auth_key);
// The same checks, returning only the generation (a writer's check that nobody else wrote since).
Result<std::uint64_t> verify_keyring_generation(std::span<const std::uint8_t> file, const SecretKey& auth_key);

}  // namespace weftkit::crypto::detail
