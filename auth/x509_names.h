// Reading names out of X.509 certificates for identities and messages (private to weftkit_auth).
#pragma once

#include <openssl/types.h>

#include <optional>
#include <string>
#include <variant>

#include "weftkit/auth/auth_result.h"

namespace weftkit::auth {

// "CN=alice,O=acme" (RFC 2253 order and escaping), or "<no subject>".
std::string subject_text(const X509* certificate);

// The single value of attribute `nid` in the certificate's subject, as UTF-8. Absent or empty:
// missing_claim; present twice, or holding a NUL byte or invalid text: malformed.
std::variant<std::string, AuthFailure> subject_attribute(const X509* certificate, int nid);

}  // namespace weftkit::auth
