// Strict base64 (RFC 4648 section 4: standard alphabet, '=' padding required, nothing else),
// as SCRAM messages and verifiers use it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace weftkit::auth {

std::string base64_encode(std::string_view bytes);
// nullopt for any character outside the alphabet, wrong padding or non-zero trailing bits.
std::optional<std::string> base64_decode(std::string_view text);

// base64url without padding (RFC 7515 section 2, as JWS uses it): '-' and '_', no '=', no
// whitespace, and the unused bits of the last character zero.
std::optional<std::string> base64url_decode(std::string_view text);
// The same into `bytes`, reusing its capacity; false (and `bytes` meaning nothing) where the
// above gives nullopt.
bool base64url_decode_into(std::string_view text, std::string& bytes);
std::string base64url_encode(std::string_view bytes);

}  // namespace weftkit::auth
