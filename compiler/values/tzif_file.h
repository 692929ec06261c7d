// The contents of a compiled tz database file (TZif, RFC 8536), read and checked as PostgreSQL
// 15's tzloadbody reads them: the 64-bit data of a version 2+ file, or the 32-bit data of a
// version 1 file, and the POSIX TZ string at the end that rules times past the last transition.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace weftkit::policy {

struct TzifLocalTimeType {
  int32_t utc_offset = 0;         // seconds east of UTC
  bool is_dst = false;
  size_t designation_index = 0;   // into TzifContents::designations
};

struct TzifLeapSecond {
  int64_t at = 0;          // when it happens, in the file's (leap-counting) seconds
  int32_t correction = 0;  // total leap seconds from then on
};

struct TzifContents {
  std::vector<int64_t> transition_times;  // Unix seconds, strictly increasing
  std::vector<uint8_t> transition_types;  // index into types, one per transition
  std::vector<TzifLocalTimeType> types;
  std::string designations;               // NUL-terminated abbreviations, back to back
  std::vector<TzifLeapSecond> leap_seconds;
  std::optional<std::string> footer;      // the TZ string, when the file has one
};

// nullopt when the bytes are not a TZif file PostgreSQL would load.
std::optional<TzifContents> read_tzif(std::string_view bytes);

}  // namespace weftkit::policy
