// Reading POSIX TZ strings and computing their yearly changes, after PostgreSQL 15's tzparse and
// transtime (src/timezone/localtime.c).
#include "compiler/values/posix_time_zone.h"

#include <utility>

#include "compiler/values/civil_calendar.h"

namespace weftkit::policy {
namespace {

constexpr int32_t kSecondsPerHour = 3600;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// A zone abbreviation ends at a digit, a sign, a comma or the end (getzname).
size_t unquoted_name_end(std::string_view text, size_t position) {
  while (position < text.size() && !is_digit(text[position]) && text[position] != ',' && text[position] != '-' &&
         text[position] != '+') {
    ++position;
  }
  return position;
}

// "<+03>" or "CET": the name, with position moved past it; nullopt when a quote is not closed.
std::optional<std::string> read_name(std::string_view text, size_t& position) {
  if (position < text.size() && text[position] == '<') {
    size_t close = text.find('>', position + 1);
    if (close == std::string_view::npos) return std::nullopt;
    std::string name(text.substr(position + 1, close - position - 1));
    position = close + 1;
    return name;
  }
  size_t end = unquoted_name_end(text, position);
  std::string name(text.substr(position, end - position));
  position = end;
  return name;
}

// A number in [min, max] (getnum); fails as soon as the digits pass max.
bool read_number(std::string_view text, size_t& position, int min, int max, int& value) {
  if (position >= text.size() || !is_digit(text[position])) return false;
  value = 0;
  while (position < text.size() && is_digit(text[position])) {
    value = value * 10 + (text[position++] - '0');
    if (value > max) return false;
  }
  return value >= min;
}

// hh[:mm[:ss]], hours up to 167 so that "M10.4.6/26" can mean a day later (getsecs).
bool read_seconds(std::string_view text, size_t& position, int32_t& seconds) {
  int number = 0;
  if (!read_number(text, position, 0, 24 * 7 - 1, number)) return false;
  seconds = number * kSecondsPerHour;
  if (position < text.size() && text[position] == ':') {
    ++position;
    if (!read_number(text, position, 0, 59, number)) return false;
    seconds += number * 60;
    if (position < text.size() && text[position] == ':') {
      ++position;
      if (!read_number(text, position, 0, 60, number)) return false;  // 60 allows a leap second
      seconds += number;
    }
  }
  return true;
}

// [+-]hh[:mm[:ss]] (getoffset); the sign is POSIX's, positive west of Greenwich.
bool read_offset(std::string_view text, size_t& position, int32_t& offset) {
  bool negative = false;
  if (position < text.size() && (text[position] == '-' || text[position] == '+')) {
    negative = text[position] == '-';
    ++position;
  }
  if (!read_seconds(text, position, offset)) return false;
  if (negative) offset = -offset;
  return true;
}

// Jn, n or Mm.w.d, then an optional /time (getrule).
bool read_rule_date(std::string_view text, size_t& position, PosixRuleDate& rule) {
  if (position >= text.size()) return false;
  if (text[position] == 'J') {
    ++position;
    rule.kind = PosixRuleDate::Kind::kJulianDay;
    if (!read_number(text, position, 1, 365, rule.day)) return false;
  } else if (text[position] == 'M') {
    ++position;
    rule.kind = PosixRuleDate::Kind::kMonthWeekDay;
    if (!read_number(text, position, 1, 12, rule.month)) return false;
    if (position >= text.size() || text[position++] != '.') return false;
    if (!read_number(text, position, 1, 5, rule.week)) return false;
    if (position >= text.size() || text[position++] != '.') return false;
    if (!read_number(text, position, 0, 6, rule.day)) return false;
  } else if (is_digit(text[position])) {
    rule.kind = PosixRuleDate::Kind::kDayOfYear;
    if (!read_number(text, position, 0, 365, rule.day)) return false;
  } else {
    return false;
  }
  rule.time = 2 * kSecondsPerHour;
  if (position < text.size() && text[position] == '/') {
    ++position;
    if (!read_offset(text, position, rule.time)) return false;
  }
  return true;
}

// Seconds from 00:00 UTC on January 1 of `year` to the change, given the UTC offset (POSIX sign,
// west positive) in force when it happens (transtime).
int64_t seconds_into_year(int64_t year, const PosixRuleDate& rule, int64_t offset_west) {
  const bool leap = is_leap_year(year);
  int64_t day_of_year = 0;
  switch (rule.kind) {
    case PosixRuleDate::Kind::kJulianDay:
      day_of_year = rule.day - 1 + (leap && rule.day >= 60 ? 1 : 0);
      break;
    case PosixRuleDate::Kind::kDayOfYear:
      day_of_year = rule.day;
      break;
    case PosixRuleDate::Kind::kMonthWeekDay: {
      const unsigned month = static_cast<unsigned>(rule.month);
      const int first_weekday = weekday_from_days(days_from_civil(year, month, 1));
      int day_of_month = rule.day - first_weekday;  // zero-based
      if (day_of_month < 0) day_of_month += 7;
      for (int week = 1; week < rule.week; ++week) {
        if (day_of_month + 7 >= static_cast<int>(days_in_month(year, month))) break;
        day_of_month += 7;
      }
      day_of_year = days_from_civil(year, month, 1) - days_from_civil(year, 1, 1) + day_of_month;
      break;
    }
  }
  return day_of_year * kSecondsPerDay + rule.time + offset_west;
}

}  // namespace

std::optional<PosixTimeZone> parse_posix_time_zone(std::string_view text) {
  PosixTimeZone zone;
  size_t position = 0;
  std::optional<std::string> standard = read_name(text, position);
  // PostgreSQL allows an empty standard name but not a missing offset.
  if (!standard || position >= text.size()) return std::nullopt;
  int32_t standard_west = 0;
  if (!read_offset(text, position, standard_west)) return std::nullopt;
  zone.standard_abbreviation = *standard;
  zone.standard_utc_offset = -standard_west;
  if (position == text.size()) return zone;

  PosixTimeZone::Daylight daylight;
  std::optional<std::string> daylight_name = read_name(text, position);
  if (!daylight_name || daylight_name->empty()) return std::nullopt;
  daylight.abbreviation = *daylight_name;
  int32_t daylight_west = standard_west - kSecondsPerHour;
  if (position < text.size() && text[position] != ',' && text[position] != ';') {
    if (!read_offset(text, position, daylight_west)) return std::nullopt;
  }
  daylight.utc_offset = -daylight_west;
  std::string_view rules = text.substr(position);
  if (rules.empty()) rules = ",M3.2.0,M11.1.0";  // TZDEFRULESTRING: US rules since 2007
  if (rules[0] != ',' && rules[0] != ';') return std::nullopt;
  size_t rule_position = 1;
  if (!read_rule_date(rules, rule_position, daylight.start)) return std::nullopt;
  if (rule_position >= rules.size() || rules[rule_position++] != ',') return std::nullopt;
  if (!read_rule_date(rules, rule_position, daylight.end)) return std::nullopt;
  if (rule_position != rules.size()) return std::nullopt;
  zone.daylight = daylight;
  return zone;
}

PosixYearTransitions posix_transitions_in_year(const PosixTimeZone& zone, int64_t year) {
  PosixYearTransitions result;
  if (!zone.daylight) return result;
  const int64_t standard_west = -static_cast<int64_t>(zone.standard_utc_offset);
  const int64_t daylight_west = -static_cast<int64_t>(zone.daylight->utc_offset);
  int64_t start = seconds_into_year(year, zone.daylight->start, standard_west);
  int64_t end = seconds_into_year(year, zone.daylight->end, daylight_west);
  const int64_t year_seconds = (is_leap_year(year) ? 366 : 365) * kSecondsPerDay;
  const bool reversed = end < start;  // southern hemisphere: daylight time spans the new year
  if (reversed) std::swap(start, end);
  // tzparse's test (PostgreSQL 15): otherwise daylight time lasts the whole year, and there is
  // no change at all.
  if (!reversed && !(start < end && end - start < year_seconds + (standard_west - daylight_west))) return result;
  const int64_t january_first = days_from_civil(year, 1, 1) * kSecondsPerDay;
  result.count = 2;
  result.transitions[0] = {january_first + start, !reversed};
  result.transitions[1] = {january_first + end, reversed};
  return result;
}

}  // namespace weftkit::policy
