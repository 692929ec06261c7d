// The few OpenSSL primitives SCRAM and password checks need, as small total functions over
// byte strings: failures of OpenSSL itself come back as nullopt/false, never as an accept.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace weftkit::auth {

constexpr size_t kSha256Size = 32;

std::optional<std::string> hmac_sha256(std::string_view key, std::string_view message);
std::optional<std::string> sha256(std::string_view bytes);
// PBKDF2-HMAC-SHA-256 with a 32-byte output, SCRAM's Hi().
std::optional<std::string> pbkdf2_sha256(std::string_view password, std::string_view salt, uint32_t iterations);
// Equal length and equal bytes, in time that depends only on the length.
bool constant_time_equal(std::string_view a, std::string_view b);
std::optional<std::string> random_bytes(size_t count);

}  // namespace weftkit::auth
