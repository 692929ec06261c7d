// POSIX TZ strings ("CET-1CEST,M3.5.0,M10.5.0/3"), read as PostgreSQL 15's copy of tzcode
// (tzparse) reads them: the rule at the end of a TZif file, and the zone PostgreSQL falls back to
// when a time zone name is not a file ("UTC+3", "EST5EDT", "ABC5DEF").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace weftkit::policy {

// When in a year a change happens: Jn (day 1..365, February 29 never counted), n (day 0..365,
// counting February 29) or Mm.w.d (weekday d of week w of month m, week 5 meaning the last).
struct PosixRuleDate {
  enum class Kind { kJulianDay, kDayOfYear, kMonthWeekDay };
  Kind kind = Kind::kMonthWeekDay;
  int day = 0;
  int week = 0;
  int month = 0;
  int32_t time = 2 * 3600;  // local time of day of the change, in seconds; may be negative or past 24h
};

struct PosixTimeZone {
  struct Daylight {
    std::string abbreviation;
    int32_t utc_offset = 0;  // seconds east of UTC
    PosixRuleDate start;     // standard → daylight, at a local standard time
    PosixRuleDate end;       // daylight → standard, at a local daylight time
  };
  std::string standard_abbreviation;
  int32_t standard_utc_offset = 0;  // seconds east of UTC (POSIX writes west as positive)
  std::optional<Daylight> daylight;
};

// The string as tzparse accepts it; a daylight name without rules takes the US rules
// ",M3.2.0,M11.1.0", as PostgreSQL 13 and later do.
std::optional<PosixTimeZone> parse_posix_time_zone(std::string_view text);

// The two changes of one year, in time order, as tzparse generates them (none in a year whose
// rules would give daylight time all year).
struct PosixYearTransitions {
  struct Transition {
    int64_t at = 0;               // Unix seconds
    bool to_daylight = false;
  };
  int count = 0;
  Transition transitions[2];
};
PosixYearTransitions posix_transitions_in_year(const PosixTimeZone& zone, int64_t year);

}  // namespace weftkit::policy
