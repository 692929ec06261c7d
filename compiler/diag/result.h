// Result<T>: what a compilation stage hands across a module boundary — a value when the input
// had no errors, and every diagnostic (warnings too) either way. Nothing half-built escapes.
#pragma once

#include <optional>
#include <stdexcept>
#include <utility>

#include "compiler/diag/diagnostics.h"

namespace weftkit::policy {

template <class T>
class Result {
 public:
  // A failed result: diagnostics must contain at least one error.
  static Result failure(Diagnostics diagnostics) {
    Result result;
    result.diagnostics_ = std::move(diagnostics);
    return result;
  }
  // A successful result; diagnostics may carry warnings but no errors.
  static Result success(T value, Diagnostics diagnostics = {}) {
    Result result;
    result.value_ = std::move(value);
    result.diagnostics_ = std::move(diagnostics);
    return result;
  }
  // Builds a result from a stage's output: the value is dropped when any error was reported.
  static Result from(T value, Diagnostics diagnostics) {
    if (diagnostics.has_errors()) return failure(std::move(diagnostics));
    return success(std::move(value), std::move(diagnostics));
  }

  bool ok() const { return value_.has_value(); }
  const T& value() const& { return checked(); }
  T& value() & { return const_cast<T&>(checked()); }
  T&& value() && { return std::move(const_cast<T&>(checked())); }
  const Diagnostics& diagnostics() const { return diagnostics_; }

 private:
  Result() = default;
  const T& checked() const {
    // Reading the value of a failed result is a programming error, never a user error.
    if (!value_) throw std::logic_error("Result::value() called on a failed result");
    return *value_;
  }

  std::optional<T> value_;
  Diagnostics diagnostics_;
};

}  // namespace weftkit::policy
