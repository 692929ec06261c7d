// Dates and timestamps as PostgreSQL stores them: days, or microseconds, since 2000-01-01
// (UTC for timestamptz), with the extreme values meaning -infinity and infinity. The session
// time zone is UTC.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace weftkit::policy {

inline constexpr int32_t kDateNegativeInfinity = std::numeric_limits<int32_t>::min();
inline constexpr int32_t kDatePositiveInfinity = std::numeric_limits<int32_t>::max();
inline constexpr int64_t kTimestampNegativeInfinity = std::numeric_limits<int64_t>::min();
inline constexpr int64_t kTimestampPositiveInfinity = std::numeric_limits<int64_t>::max();
inline constexpr int64_t kMicrosecondsPerDay = 86'400'000'000;

// PostgreSQL's limits, as Julian day numbers moved to the 2000-01-01 epoch: dates in
// [kDateRangeBegin, kDateRangeEnd), timestamps' days in [kDateRangeBegin, kTimestampRangeEnd).
inline constexpr int64_t kPostgresEpochJulianDay = 2451545;                       // 2000-01-01
inline constexpr int64_t kDateRangeBegin = 0 - kPostgresEpochJulianDay;            // 4714-11-24 BC
inline constexpr int64_t kDateRangeEnd = 2147483494 - kPostgresEpochJulianDay;     // 5874898-01-01
inline constexpr int64_t kTimestampRangeEnd = 109203528 - kPostgresEpochJulianDay;  // 294277-01-01

// Input in ISO form ("2024-01-31", "2024-01-31 12:30:00.5", "2024-01-31T12:30:00+02:00") and
// PostgreSQL's other styles (DateStyle ISO, MDY), plus "infinity" and "-infinity"; raises
// PostgreSQL's errors otherwise. A zone may be numeric (+02, -05:30), an abbreviation of
// PostgreSQL's default set (EST, CEST, MSK), a tz database name (Europe/Paris, read from the
// system's /usr/share/zoneinfo) or a POSIX TZ string (UTC+3); date and timestamp check it and
// ignore it, as PostgreSQL does.
int32_t parse_date(std::string_view text);
int64_t parse_timestamp(std::string_view text);
int64_t parse_timestamptz(std::string_view text);   // a missing zone means the session's UTC

std::string format_date(int32_t days);
std::string format_timestamp(int64_t microseconds);
std::string format_timestamptz(int64_t microseconds);  // "... +00"

// date → timestamp (midnight); raises "date out of range for timestamp" for dates too large.
int64_t date_to_timestamp(int32_t days);
// timestamp → date (floor); infinities stay infinite.
int32_t timestamp_to_date(int64_t microseconds);

}  // namespace weftkit::policy
