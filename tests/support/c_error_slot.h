// The error out-parameter of the C API tests (runtime, auth, audit): frees what each call
// left, so that a failed assertion leaks nothing (the ASan run checks leaks).
#pragma once

#include <string>

#include <weftkit/weftkit_policy.h>

namespace weftkit::testing {

class ErrorSlot {
 public:
  ErrorSlot() = default;
  ErrorSlot(const ErrorSlot&) = delete;
  ErrorSlot& operator=(const ErrorSlot&) = delete;
  ~ErrorSlot() { weftkit_error_free(error_); }
  // For the next call: frees what the previous one left.
  weftkit_error** out() {
    weftkit_error_free(error_);
    error_ = nullptr;
    return &error_;
  }
  const weftkit_error* get() const { return error_; }
  // "<no error>" when the last call left none, so that a message in a failed assertion is
  // never mistaken for an empty one.
  std::string message() const { return error_ != nullptr ? error_->message : "<no error>"; }
  weftkit_status code() const { return error_ != nullptr ? error_->code : WEFTKIT_OK; }

 private:
  weftkit_error* error_ = nullptr;
};

}  // namespace weftkit::testing
