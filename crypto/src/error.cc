// Stable names of the crypto error codes.
#include <weftkit/crypto/error.h>

namespace weftkit::crypto {

std::string_view error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kAuthenticationFailed: return "authentication_failed";
    case ErrorCode::kWrongTenant: return "wrong_tenant";
    case ErrorCode::kStaleVersion: return "stale_version";
    case ErrorCode::kNewerVersion: return "newer_version";
    case ErrorCode::kUnknownKeyVersion: return "unknown_key_version";
    case ErrorCode::kUnknownTenant: return "unknown_tenant";
    case ErrorCode::kTruncated: return "truncated";
    case ErrorCode::kLengthMismatch: return "length_mismatch";
    case ErrorCode::kUnsupportedFormat: return "unsupported_format";
    case ErrorCode::kTooLarge: return "too_large";
    case ErrorCode::kBufferTooSmall: return "buffer_too_small";
    case ErrorCode::kInvalidArgument: return "invalid_argument";
    case ErrorCode::kInvalidMasterKey: return "invalid_master_key";
    case ErrorCode::kWrongMasterKey: return "wrong_master_key";
    case ErrorCode::kKeyringTampered: return "keyring_tampered";
    case ErrorCode::kKeyringChanged: return "keyring_changed";
    case ErrorCode::kInsecurePermissions: return "insecure_permissions";
    case ErrorCode::kAlreadyExists: return "already_exists";
    case ErrorCode::kVersionInUse: return "version_in_use";
    case ErrorCode::kIoError: return "io_error";
    case ErrorCode::kKeyProviderError: return "key_provider_error";
    case ErrorCode::kMemoryLockFailed: return "memory_lock_failed";
    case ErrorCode::kInternal: return "internal";
  }
  return "internal";
}

std::string Error::to_string() const {
  std::string text(name());
  text += ": ";
  text += message_;
  return text;
}

}  // namespace weftkit::crypto
