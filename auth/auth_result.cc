// Stable names of the authentication failures.
#include "weftkit/auth/auth_result.h"

namespace weftkit::auth {

std::string_view failure_name(AuthFailureKind kind) {
  switch (kind) {
    case AuthFailureKind::kBadCredentials: return "bad_credentials";
    case AuthFailureKind::kTenantNotAllowed: return "tenant_not_allowed";
    case AuthFailureKind::kExpired: return "expired";
    case AuthFailureKind::kNotYetValid: return "not_yet_valid";
    case AuthFailureKind::kBadSignature: return "bad_signature";
    case AuthFailureKind::kUnknownKey: return "unknown_key";
    case AuthFailureKind::kAlgorithmNotAllowed: return "algorithm_not_allowed";
    case AuthFailureKind::kMalformed: return "malformed";
    case AuthFailureKind::kUntrustedCertificate: return "untrusted_certificate";
    case AuthFailureKind::kRevoked: return "revoked";
    case AuthFailureKind::kMissingClaim: return "missing_claim";
    case AuthFailureKind::kUnknownRole: return "unknown_role";
    case AuthFailureKind::kThrottled: return "throttled";
    case AuthFailureKind::kChannelBindingMismatch: return "channel_binding_mismatch";
    case AuthFailureKind::kWrongIssuer: return "wrong_issuer";
    case AuthFailureKind::kWrongAudience: return "wrong_audience";
    case AuthFailureKind::kInternal: return "internal";
  }
  return "internal";
}

}  // namespace weftkit::auth
