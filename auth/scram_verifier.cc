// Making the users-file form of a SCRAM-SHA-256 verifier from a password.
#include "auth/base64.h"
#include "auth/crypto_primitives.h"
#include "auth/password_hash.h"
#include "weftkit/auth/scram.h"

namespace weftkit::auth {

StatusOr<std::string> make_scram_verifier(std::string_view password, std::string_view salt, uint32_t iterations) {
  if (salt.empty()) return Status(StatusCode::kInvalidArgument, "the SCRAM salt is empty");
  if (iterations == 0 || iterations > 0x7fffffff) {
    return Status(StatusCode::kInvalidArgument, "SCRAM iterations must be 1 to 2147483647");
  }
  std::optional<ScramVerifier> verifier = make_scram_verifier_from(password, salt, iterations);
  if (!verifier) return Status(StatusCode::kInternal, "OpenSSL could not compute the SCRAM keys");
  return "SCRAM-SHA-256$" + std::to_string(iterations) + ":" + base64_encode(verifier->salt) + "$" +
         base64_encode(verifier->stored_key) + ":" + base64_encode(verifier->server_key);
}

StatusOr<std::string> make_scram_verifier(std::string_view password, uint32_t iterations) {
  std::optional<std::string> salt = random_bytes(16);
  if (!salt) return Status(StatusCode::kInternal, "no random bytes for the SCRAM salt");
  return make_scram_verifier(password, *salt, iterations);
}

}  // namespace weftkit::auth
