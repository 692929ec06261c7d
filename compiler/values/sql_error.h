// The error a SQL operation raises (division by zero, overflow, bad input syntax), with
// PostgreSQL's message text. Thrown inside the value library and the evaluators, and turned into
// a value (a row's "error" result, or a diagnostic) at their boundaries.
#pragma once

#include <stdexcept>
#include <string>

namespace weftkit::policy {

class SqlError : public std::runtime_error {
 public:
  explicit SqlError(const std::string& message) : std::runtime_error(message) {}
};

[[noreturn]] inline void raise_sql_error(const std::string& message) { throw SqlError(message); }

}  // namespace weftkit::policy
