// Errors as the client sees them: a SQLSTATE and PostgreSQL's message. Every fallible step of
// query processing returns one of these as a value, never throws.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace relational {

struct SqlError {
  std::string sqlstate;  // "42501", "42P01", ...
  std::string message;
};

// Short constructors for the SQLSTATEs this engine uses.
inline SqlError syntax_error(std::string message) { return {"42601", std::move(message)}; }
inline SqlError permission_denied(std::string message) { return {"42501", std::move(message)}; }
inline SqlError undefined_table(const std::string& table) {
  return {"42P01", "relation \"" + table + "\" does not exist"};
}
inline SqlError undefined_column(const std::string& column) {
  return {"42703", "column \"" + column + "\" does not exist"};
}
inline SqlError invalid_text(std::string message) { return {"22P02", std::move(message)}; }
inline SqlError internal_error(std::string message) { return {"XX000", std::move(message)}; }

template <class T>
class [[nodiscard]] SqlResult {
 public:
  SqlResult(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit
  SqlResult(SqlError error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT
  bool ok() const { return state_.index() == 0; }
  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  const SqlError& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, SqlError> state_;
};

// For steps that produce nothing: an optional error.
using SqlStatus = std::optional<SqlError>;

}  // namespace relational
