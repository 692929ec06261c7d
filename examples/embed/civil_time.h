// Dates and UTC timestamps as day and microsecond counts since 1970-01-01 (the Arrow C data
// interface's epoch), in the proleptic Gregorian calendar, with their ISO text forms.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace weftkit::embed {

inline constexpr int64_t kMicrosPerDay = 86'400'000'000;

int64_t days_from_civil(int64_t year, unsigned month, unsigned day);

// What parsing a date or time gave: the value, or why not (PostgreSQL tells a text that is not
// a date at all from a date whose fields are out of range, such as 2026-02-30).
template <class T>
struct ParsedTime {
  std::optional<T> value;
  bool field_out_of_range = false;
};

// "2026-10-02" only (PostgreSQL reads many more forms; the example's CSV files use this one).
ParsedTime<int32_t> parse_iso_date(std::string_view text);
std::string format_iso_date(int32_t days);

// "2026-11-30 09:00:00" followed by "Z", "+HH" or "+HH:MM" (or "-"); a 'T' may separate the
// date and the time. No fractional seconds.
ParsedTime<int64_t> parse_iso_timestamptz(std::string_view text);
// In UTC, as PostgreSQL prints timestamptz with TimeZone = UTC: "2026-11-30 09:00:00+00".
std::string format_iso_timestamptz(int64_t micros);

}  // namespace weftkit::embed
