// Recognising a users-file hash (accepted schemes, and the refused ones by name) and checking
// a password against an accepted one.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "weftkit/auth/password_file.h"

namespace weftkit::auth {

struct RecognisedHash {
  HashScheme scheme;
  std::optional<ScramVerifier> scram;
  std::vector<std::string> warnings;
};

// A hash of an accepted scheme, or why the text is refused (never quoting it: it may be a
// plaintext password).
std::variant<RecognisedHash, std::string> recognise_hash(std::string_view hash);

// True when `password` matches; constant-time comparison of the computed hash. bcrypt never
// matches a password of more than 72 bytes (bcrypt would ignore the rest), nor any password
// holding a NUL byte (crypt would stop there); both still cost the full hash.
bool verify_password(const PasswordEntry& entry, std::string_view password);

// The SCRAM verifier of `password` with `salt` and `iterations`.
std::optional<ScramVerifier> make_scram_verifier_from(std::string_view password, std::string_view salt,
                                                      uint32_t iterations);

// A crypt hash of `password` with the same scheme and parameters as `like` (its salt is reused:
// only the cost matters, for dummy hashes).
std::optional<std::string> crypt_like(std::string_view password, const std::string& like);

}  // namespace weftkit::auth
