// Reading literals the way a typed SQL literal is read, for the value tests: the output text of
// a successful read, or PostgreSQL's message for a failed one.
#pragma once

#include <string>

#include "compiler/values/sql_error.h"
#include "compiler/values/value.h"

namespace weftkit::policy {

inline std::string round_trip(const char* text, TypeId type) { return format_value(parse_value(text, type)); }

inline std::string input_error(const char* text, TypeId type) {
  try {
    parse_value(text, type);
  } catch (const SqlError& error) {
    return error.what();
  }
  return "(no error)";
}

}  // namespace weftkit::policy
