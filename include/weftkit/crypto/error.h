// Errors as values for the crypto module: a typed ErrorCode with a stable snake_case name, a
// message that never contains key material or plaintext, and Result<T>. No exception crosses
// these headers.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace weftkit::crypto {

// Names (error_code_name) are part of the interface: tools print them and scripts match on them.
enum class ErrorCode {
  kAuthenticationFailed,  // authentication_failed: tag mismatch (tampered, moved, wrong key)
  kWrongTenant,           // wrong_tenant: the page belongs to another tenant
  kStaleVersion,          // stale_version: the page is older than the version expected
  kNewerVersion,          // newer_version: the page claims a newer version than expected
  kUnknownKeyVersion,     // unknown_key_version: no such (or a retired) data key version
  kUnknownTenant,         // unknown_tenant: the keyring has no such tenant
  kTruncated,             // truncated: fewer bytes than the header says the page holds
  kLengthMismatch,        // length_mismatch: more bytes than the header says the page holds
  kUnsupportedFormat,     // unsupported_format: not a page/keyring of a format this code reads
  kTooLarge,              // too_large: a page over the 64 KiB limit
  kBufferTooSmall,        // buffer_too_small: the caller's output buffer cannot hold the result
  kInvalidArgument,       // invalid_argument: an unusable argument (empty tenant name, ...)
  kInvalidMasterKey,      // invalid_master_key: the provider's master key is malformed
  kWrongMasterKey,        // wrong_master_key: the keyring was written under another master key
  kKeyringTampered,       // keyring_tampered: the keyring file fails authentication
  kKeyringChanged,        // keyring_changed: another process wrote the keyring since it was opened
  kInsecurePermissions,   // insecure_permissions: keyring readable by others or not ours
  kAlreadyExists,         // already_exists: keyring file or tenant already there
  kVersionInUse,          // version_in_use: retiring a tenant's current data key version
  kIoError,               // io_error: a file system call failed
  kKeyProviderError,      // key_provider_error: the key provider failed or is not available
  kMemoryLockFailed,      // memory_lock_failed: no locked memory for unwrapped keys
  kInternal,              // internal: OpenSSL or a bug; never a silent success
};

// The stable snake_case name of a code, e.g. "wrong_tenant".
std::string_view error_code_name(ErrorCode code);

class Error {
 public:
  Error(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}
  ErrorCode code() const { return code_; }
  std::string_view name() const { return error_code_name(code_); }
  const std::string& message() const { return message_; }
  // "wrong_tenant: ..." for logs and tools.
  std::string to_string() const;

 private:
  ErrorCode code_;
  std::string message_;
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }
  // Only when ok() / only when !ok(); the other is a programming error.
  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  const Error& error() const { return std::get<1>(state_); }
  ErrorCode code() const { return error().code(); }

 private:
  std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}  // NOLINT: implicit

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const { return *error_; }
  ErrorCode code() const { return error_->code(); }

 private:
  std::optional<Error> error_;
};

}  // namespace weftkit::crypto
