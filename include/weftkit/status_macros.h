// Return-on-error helpers for Status and StatusOr<T>, so that a function passing errors up
// says so in one line instead of an if per call. (StatusOr::value() on an error stops the
// process; these are how a caller avoids ever calling it on one.)
#pragma once

#include <utility>

#include <weftkit/status.h>

// Evaluates `expression` (a Status) once and returns it from the enclosing function when it
// is an error.
#define WEFTKIT_RETURN_IF_ERROR(expression)                    \
  do {                                                         \
    ::weftkit::Status weftkit_status_ = (expression);          \
    if (!weftkit_status_.is_ok()) return weftkit_status_;      \
  } while (false)

#define WEFTKIT_STATUS_CONCAT_INNER_(a, b) a##b
#define WEFTKIT_STATUS_CONCAT_(a, b) WEFTKIT_STATUS_CONCAT_INNER_(a, b)

// Evaluates `expression` (a StatusOr<T>) once; on an error returns its status from the
// enclosing function, otherwise moves the value into `lhs`, which may declare a variable:
//   WEFTKIT_ASSIGN_OR_RETURN(std::shared_ptr<const PolicyVersion> version, compile(files));
#define WEFTKIT_ASSIGN_OR_RETURN(lhs, expression) \
  WEFTKIT_ASSIGN_OR_RETURN_IMPL_(WEFTKIT_STATUS_CONCAT_(weftkit_status_or_, __LINE__), lhs, expression)

#define WEFTKIT_ASSIGN_OR_RETURN_IMPL_(status_or, lhs, expression) \
  auto status_or = (expression);                                   \
  if (!status_or.is_ok()) return status_or.status();               \
  lhs = std::move(status_or).value()
