// Writing and verifying the keyring file (layout in keyring_format.h). Body:
//   provider short string | generation u64 | tenant count u32 |
//   per tenant: name short string | current version u32 | version count u32 |
//     per version: version u32 | pages reserved u64 | wrapped key short bytes
#include "crypto/src/keyring_format.h"

#include <cstring>
#include <set>

#include "crypto/src/byte_io.h"
#include "crypto/src/kdf.h"

namespace weftkit::crypto::detail {
namespace {

constexpr std::uint8_t kMagic[4] = {'W', 'K', 'K', 'R'};
constexpr std::uint16_t kFormat = 1;
constexpr std::size_t kKeyCheckSize = 16;
constexpr std::size_t kHeaderSize = 4 + 2 + 2 + kKeyringSaltSize + kKeyCheckSize + 4;
constexpr std::size_t kBodySizeOffset = kHeaderSize - 4;
constexpr std::size_t kKeyCheckOffset = 8 + kKeyringSaltSize;

bool key_check(const SecretKey& auth_key, std::span<std::uint8_t, kHmacSha256Size> out) {
  static constexpr char kLabel[] = "weftkit keyring key check v1";
  return hmac_sha256(auth_key.bytes(), std::span(reinterpret_cast<const std::uint8_t*>(kLabel), sizeof kLabel - 1), out);
}

Error malformed(const std::string& what) { return Error(ErrorCode::kKeyringTampered, "keyring body is malformed: " + what); }

}  // namespace

Result<std::vector<std::uint8_t>> serialize_keyring(const KeyringImage& image, const SecretKey& auth_key) {
  ByteWriter out;
  out.raw(kMagic);
  out.u16(kFormat);
  out.u16(0);
  out.raw(image.salt);
  std::array<std::uint8_t, kHmacSha256Size> check{};
  if (!key_check(auth_key, check)) return Error(ErrorCode::kInternal, "HMAC failed");
  out.raw(std::span(check).first(kKeyCheckSize));
  out.u32(0);  // body size, patched below
  out.short_string(image.provider);
  out.u64(image.generation);
  out.u32(static_cast<std::uint32_t>(image.tenants.size()));
  for (const TenantRecord& tenant : image.tenants) {
    out.short_string(tenant.name);
    out.u32(tenant.current_version);
    out.u32(static_cast<std::uint32_t>(tenant.versions.size()));
    for (const VersionRecord& version : tenant.versions) {
      out.u32(version.version);
      out.u64(version.pages_reserved);
      out.short_bytes(version.wrapped_key);
    }
  }
  std::vector<std::uint8_t>& bytes = out.bytes();
  store_u32(bytes.data() + kBodySizeOffset, static_cast<std::uint32_t>(bytes.size() - kHeaderSize));
  std::array<std::uint8_t, kHmacSha256Size> mac{};
  if (!hmac_sha256(auth_key.bytes(), bytes, mac)) return Error(ErrorCode::kInternal, "HMAC failed");
  bytes.insert(bytes.end(), mac.begin(), mac.end());
  return std::move(bytes);
}

Result<std::array<std::uint8_t, kKeyringSaltSize>> read_keyring_salt(std::span<const std::uint8_t> file) {
  if (file.size() < 4 || std::memcmp(file.data(), kMagic, 4) != 0) {
    return Error(ErrorCode::kUnsupportedFormat, "not a WeftKit keyring file (no WKKR magic)");
  }
  if (file.size() < kHeaderSize + kHmacSha256Size) {
    return Error(ErrorCode::kKeyringTampered, "keyring file of " + std::to_string(file.size()) + " bytes is truncated");
  }
  ByteReader header(file.first(kHeaderSize));
  header.raw(4);
  std::uint16_t format = header.u16();
  std::uint16_t reserved = header.u16();
  if (format != kFormat || reserved != 0) {
    return Error(ErrorCode::kUnsupportedFormat, "keyring format " + std::to_string(format) + "." +
                                                    std::to_string(reserved) + " is not one this build reads (1.0)");
  }
  std::uint32_t body_size = load_u32(file.data() + kBodySizeOffset);
  if (file.size() != kHeaderSize + std::uint64_t{body_size} + kHmacSha256Size) {
    return Error(ErrorCode::kKeyringTampered, "keyring file of " + std::to_string(file.size()) +
                                                  " bytes does not match its header's body size");
  }
  std::array<std::uint8_t, kKeyringSaltSize> salt{};
  std::memcpy(salt.data(), file.data() + 8, kKeyringSaltSize);
  return salt;
}

namespace {

// The body, once the key check and the MAC verified.
Result<std::span<const std::uint8_t>> verified_body(std::span<const std::uint8_t> file, const SecretKey& auth_key) {
  Result<std::array<std::uint8_t, kKeyringSaltSize>> salt = read_keyring_salt(file);
  if (!salt.ok()) return salt.error();
  std::array<std::uint8_t, kHmacSha256Size> check{};
  if (!key_check(auth_key, check)) return Error(ErrorCode::kInternal, "HMAC failed");
  if (!equal_in_constant_time(std::span(check).first(kKeyCheckSize), file.subspan(kKeyCheckOffset, kKeyCheckSize))) {
    return Error(ErrorCode::kWrongMasterKey, "the keyring was written under another master key");
  }
  std::size_t signed_size = file.size() - kHmacSha256Size;
  std::array<std::uint8_t, kHmacSha256Size> mac{};
  if (!hmac_sha256(auth_key.bytes(), file.first(signed_size), mac)) return Error(ErrorCode::kInternal, "HMAC failed");
  if (!equal_in_constant_time(mac, file.subspan(signed_size))) {
    return Error(ErrorCode::kKeyringTampered, "the keyring file fails authentication (modified after it was written)");
  }
  return file.subspan(kHeaderSize, signed_size - kHeaderSize);
}

}  // namespace

Result<std::uint64_t> verify_keyring_generation(std::span<const std::uint8_t> file, const SecretKey& auth_key) {
  Result<std::span<const std::uint8_t>> verified = verified_body(file, auth_key);
  if (!verified.ok()) return verified.error();
  ByteReader body(verified.value());
  body.short_string();
  std::uint64_t generation = body.u64();
  if (!body.ok()) return malformed("no generation");
  return generation;
}

Result<KeyringImage> verify_and_parse_keyring(std::span<const std::uint8_t> file, const SecretKey& auth_key) {
  Result<std::span<const std::uint8_t>> verified = verified_body(file, auth_key);
  if (!verified.ok()) return verified.error();
  KeyringImage image;
  std::memcpy(image.salt.data(), file.data() + 8, kKeyringSaltSize);
  ByteReader body(verified.value());
  image.provider = body.short_string();
  image.generation = body.u64();
  std::uint32_t tenant_count = body.u32();
  std::set<std::string> names;
  for (std::uint32_t t = 0; t < tenant_count && body.ok(); ++t) {
    TenantRecord tenant;
    tenant.name = body.short_string();
    tenant.current_version = body.u32();
    std::uint32_t version_count = body.u32();
    bool has_current = false;
    for (std::uint32_t v = 0; v < version_count && body.ok(); ++v) {
      VersionRecord version;
      version.version = body.u32();
      version.pages_reserved = body.u64();
      auto wrapped = body.short_bytes();
      version.wrapped_key.assign(wrapped.begin(), wrapped.end());
      if (!tenant.versions.empty() && version.version <= tenant.versions.back().version) {
        return malformed("versions of tenant '" + tenant.name + "' are not ascending");
      }
      has_current = has_current || version.version == tenant.current_version;
      tenant.versions.push_back(std::move(version));
    }
    if (!body.ok()) break;
    if (tenant.name.empty() || !has_current) return malformed("tenant " + std::to_string(t + 1) + " has no current key");
    if (!names.insert(tenant.name).second) return malformed("tenant '" + tenant.name + "' appears twice");
    image.tenants.push_back(std::move(tenant));
  }
  if (!body.ok() || !body.at_end()) return malformed("sizes do not add up");
  return image;
}

}  // namespace weftkit::crypto::detail
