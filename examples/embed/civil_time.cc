// Calendar arithmetic after Howard Hinnant's days_from_civil / civil_from_days.
#include "examples/embed/civil_time.h"

#include <cstdio>

namespace weftkit::embed {
namespace {

struct CivilDate {
  int64_t year;
  unsigned month;
  unsigned day;
};

CivilDate civil_from_days(int64_t days) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned day_of_era = static_cast<unsigned>(days - era * 146097);
  const unsigned year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const unsigned day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const unsigned shifted_month = (5 * day_of_year + 2) / 153;
  const unsigned day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
  const unsigned month = shifted_month < 10 ? shifted_month + 3 : shifted_month - 9;
  const int64_t year = static_cast<int64_t>(year_of_era) + era * 400 + (month <= 2 ? 1 : 0);
  return {year, month, day};
}

bool is_leap(int64_t year) { return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0); }

unsigned days_in_month(int64_t year, unsigned month) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

// Exactly `width` decimal digits at `position`.
std::optional<unsigned> digits_at(std::string_view text, size_t position, size_t width) {
  if (position + width > text.size()) return std::nullopt;
  unsigned value = 0;
  for (size_t index = position; index < position + width; ++index) {
    if (text[index] < '0' || text[index] > '9') return std::nullopt;
    value = value * 10 + static_cast<unsigned>(text[index] - '0');
  }
  return value;
}

// "YYYY-MM-DD" at the start of `text`, validated against the calendar.
ParsedTime<int64_t> date_prefix(std::string_view text) {
  std::optional<unsigned> year = digits_at(text, 0, 4);
  std::optional<unsigned> month = digits_at(text, 5, 2);
  std::optional<unsigned> day = digits_at(text, 8, 2);
  if (!year || !month || !day || text[4] != '-' || text[7] != '-') return {};
  if (*month < 1 || *month > 12 || *day < 1 || *day > days_in_month(*year, *month)) return {std::nullopt, true};
  return {days_from_civil(*year, *month, *day)};
}

}  // namespace

int64_t days_from_civil(int64_t year, unsigned month, unsigned day) {
  year -= month <= 2 ? 1 : 0;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const unsigned year_of_era = static_cast<unsigned>(year - era * 400);
  const unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<int64_t>(day_of_era) - 719468;
}

ParsedTime<int32_t> parse_iso_date(std::string_view text) {
  if (text.size() != 10) return {};
  ParsedTime<int64_t> days = date_prefix(text);
  if (!days.value) return {std::nullopt, days.field_out_of_range};
  return {static_cast<int32_t>(*days.value)};
}

std::string format_iso_date(int32_t days) {
  CivilDate date = civil_from_days(days);
  char out[32];
  std::snprintf(out, sizeof out, "%04lld-%02u-%02u", static_cast<long long>(date.year), date.month, date.day);
  return out;
}

ParsedTime<int64_t> parse_iso_timestamptz(std::string_view text) {
  if (text.size() < 19 || (text[10] != ' ' && text[10] != 'T') || text[13] != ':' || text[16] != ':') return {};
  std::optional<unsigned> hour = digits_at(text, 11, 2);
  std::optional<unsigned> minute = digits_at(text, 14, 2);
  std::optional<unsigned> second = digits_at(text, 17, 2);
  std::string_view zone = text.substr(19);
  std::optional<unsigned> zone_hours = digits_at(zone, 1, 2);
  std::optional<unsigned> zone_minutes = zone.size() == 6 ? digits_at(zone, 4, 2) : std::optional<unsigned>(0);
  bool zone_ok = zone == "Z" || ((zone.size() == 3 || (zone.size() == 6 && zone[3] == ':')) &&
                                 (zone[0] == '+' || zone[0] == '-') && zone_hours && zone_minutes);
  if (!hour || !minute || !second || !zone_ok) return {};
  ParsedTime<int64_t> days = date_prefix(text);
  if (!days.value) return days;
  if (*hour > 23 || *minute > 59 || *second > 59 || (zone != "Z" && *zone_minutes > 59)) return {std::nullopt, true};
  int64_t offset_minutes = zone == "Z" ? 0 : (zone[0] == '-' ? -1 : 1) * static_cast<int64_t>(*zone_hours * 60 + *zone_minutes);
  int64_t seconds = *days.value * 86400 + *hour * 3600 + *minute * 60 + *second - offset_minutes * 60;
  return {seconds * 1'000'000};
}

std::string format_iso_timestamptz(int64_t micros) {
  int64_t days = micros >= 0 ? micros / kMicrosPerDay : -((-micros + kMicrosPerDay - 1) / kMicrosPerDay);
  int64_t seconds_of_day = (micros - days * kMicrosPerDay) / 1'000'000;
  char time[64];
  std::snprintf(time, sizeof time, " %02lld:%02lld:%02lld+00", static_cast<long long>(seconds_of_day / 3600),
                static_cast<long long>(seconds_of_day / 60 % 60), static_cast<long long>(seconds_of_day % 60));
  return format_iso_date(static_cast<int32_t>(days)) + time;
}

}  // namespace weftkit::embed
