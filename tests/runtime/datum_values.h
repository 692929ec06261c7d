// Datums for the runtime tests' rows: a non-NULL integer (any integer type, date days or
// timestamp microseconds) and a non-NULL text pointing at a string that outlives the row.
#pragma once

#include <cstdint>
#include <string>

#include <weftkit/policy_version.h>

namespace weftkit::testing {

inline Datum integer(int64_t value) {
  Datum datum;
  datum.bits = value;
  datum.is_null = 0;
  return datum;
}

inline Datum text(const char* value) {
  Datum datum;
  datum.data = value;
  datum.length = static_cast<int64_t>(std::char_traits<char>::length(value));
  datum.is_null = 0;
  return datum;
}

}  // namespace weftkit::testing
