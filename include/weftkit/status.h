// Errors as values across the runtime's public boundary: Status (a code and a message) and
// StatusOr<T> (a value or the Status that explains its absence). No exception crosses a
// public header of the runtime.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>

namespace weftkit {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // the caller passed something unusable (an empty user name, a bad batch)
  kNotFound,         // a named role or table does not exist in the serving policy version
  kPermissionDenied, // the principal may not run the statement at all
  kPolicyError,      // policy or role files (or a compiled module) were rejected; see message
  kInternal,         // a bug or an environment failure; never a silent allow
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}
  static Status ok() { return {}; }

  bool is_ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

namespace detail {
// Reading the value of a StatusOr that holds an error is a bug in the caller: it stops the
// process with the error, never reads a value that is not there (and so never allows by accident).
[[noreturn]] inline void missing_value(const Status& status) {
  std::fprintf(stderr, "weftkit: StatusOr::value() called on an error: %s\n", status.message().c_str());
  std::abort();
}
}  // namespace detail

template <class T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(T value) : value_(std::move(value)) {}  // NOLINT: implicit, like absl::StatusOr
  StatusOr(Status status) : status_(std::move(status)) {
    if (status_.is_ok()) status_ = Status(StatusCode::kInternal, "StatusOr built from an OK status without a value");
  }

  bool is_ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  // Only after is_ok(); called on an error, it stops the process (detail::missing_value).
  const T& value() const& {
    if (!value_) detail::missing_value(status_);
    return *value_;
  }
  T& value() & {
    if (!value_) detail::missing_value(status_);
    return *value_;
  }
  T&& value() && {
    if (!value_) detail::missing_value(status_);
    return std::move(*value_);
  }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace weftkit
