// Civil-calendar conversion and the ISO subset of PostgreSQL's date/time input and output.
#include "compiler/values/datetime.h"

#include <cctype>
#include <cstdio>
#include <optional>

#include "compiler/values/sql_error.h"

namespace weftkit::policy {
namespace {

// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t days_from_civil(int64_t year, unsigned month, unsigned day) {
  year -= month <= 2;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const unsigned year_of_era = static_cast<unsigned>(year - era * 400);
  const unsigned day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<int64_t>(day_of_era) - 719468;
}

void civil_from_days(int64_t days, int64_t& year, unsigned& month, unsigned& day) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned day_of_era = static_cast<unsigned>(days - era * 146097);
  const unsigned year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  year = static_cast<int64_t>(year_of_era) + era * 400;
  const unsigned day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const unsigned mp = (5 * day_of_year + 2) / 153;
  day = day_of_year - (153 * mp + 2) / 5 + 1;
  month = mp < 10 ? mp + 3 : mp - 9;
  year += month <= 2;
}

constexpr int64_t kUnixToPostgresDays = 10957;  // 1970-01-01 → 2000-01-01

bool is_leap(int64_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

unsigned days_in_month(int64_t year, unsigned month) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

std::string lower_trimmed(std::string_view text) {
  size_t start = 0;
  size_t end = text.size();
  while (start < end && std::isspace(static_cast<unsigned char>(text[start]))) ++start;
  while (end > start && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  std::string out;
  for (size_t index = start; index < end; ++index) {
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(text[index]))));
  }
  return out;
}

struct Parsed {
  int64_t days = 0;             // since 2000-01-01
  int64_t time_of_day = 0;      // microseconds
  std::optional<int64_t> zone_offset_seconds;  // east of UTC
  bool has_time = false;
};

// Reads exactly `count` digits or fewer (at least one) into value.
bool read_number(const std::string& text, size_t& position, int min_digits, int max_digits, int64_t& value) {
  int digits = 0;
  value = 0;
  while (position < text.size() && std::isdigit(static_cast<unsigned char>(text[position])) && digits < max_digits) {
    value = value * 10 + (text[position++] - '0');
    ++digits;
  }
  return digits >= min_digits;
}

[[noreturn]] void bad_syntax(std::string_view type, std::string_view text) {
  raise_sql_error("invalid input syntax for type " + std::string(type) + ": \"" + std::string(text) + "\"");
}

[[noreturn]] void field_out_of_range(std::string_view text) {
  raise_sql_error("date/time field value out of range: \"" + std::string(text) + "\"");
}

Parsed parse_iso(std::string_view original, std::string_view type) {
  std::string text = lower_trimmed(original);
  Parsed parsed;
  size_t position = 0;
  int64_t year, month, day;
  if (!read_number(text, position, 1, 9, year) || position >= text.size() || text[position++] != '-' ||
      !read_number(text, position, 1, 2, month) || position >= text.size() || text[position++] != '-' ||
      !read_number(text, position, 1, 2, day)) {
    bad_syntax(type, original);
  }
  size_t time_start = position;
  while (time_start < text.size() && (text[time_start] == ' ' || text[time_start] == 't')) ++time_start;
  if (time_start > position && time_start < text.size() && std::isdigit(static_cast<unsigned char>(text[time_start]))) {
    position = time_start;
    int64_t hour, minute, second = 0, fraction = 0;
    if (!read_number(text, position, 1, 2, hour) || position >= text.size() || text[position++] != ':' ||
        !read_number(text, position, 1, 2, minute)) {
      bad_syntax(type, original);
    }
    if (position < text.size() && text[position] == ':') {
      ++position;
      if (!read_number(text, position, 1, 2, second)) bad_syntax(type, original);
      if (position < text.size() && text[position] == '.') {
        ++position;
        int digits = 0;
        while (position < text.size() && std::isdigit(static_cast<unsigned char>(text[position]))) {
          if (digits < 7) fraction = fraction * 10 + (text[position] - '0');
          ++digits;
          ++position;
        }
        if (digits == 0) bad_syntax(type, original);
        for (int pad = digits; pad < 7; ++pad) fraction *= 10;
        fraction = (fraction + 5) / 10;  // round to microseconds, half up
      }
    }
    if (hour > 24 || minute > 59 || second > 60 || (hour == 24 && (minute != 0 || second != 0 || fraction != 0))) {
      field_out_of_range(original);
    }
    parsed.time_of_day = ((hour * 60 + minute) * 60 + second) * 1'000'000 + fraction;
    parsed.has_time = true;
    while (position < text.size() && text[position] == ' ') ++position;
    if (position < text.size()) {
      if (text.compare(position, std::string::npos, "z") == 0 || text.compare(position, std::string::npos, "utc") == 0) {
        parsed.zone_offset_seconds = 0;
        position = text.size();
      } else if (text[position] == '+' || text[position] == '-') {
        int sign = text[position++] == '-' ? -1 : 1;
        int64_t zone_hours, zone_minutes = 0;
        if (!read_number(text, position, 1, 2, zone_hours)) bad_syntax(type, original);
        if (position < text.size() && text[position] == ':') {
          ++position;
          if (!read_number(text, position, 2, 2, zone_minutes)) bad_syntax(type, original);
        }
        if (zone_hours > 15 || zone_minutes > 59) raise_sql_error("time zone displacement out of range: \"" + std::string(original) + "\"");
        parsed.zone_offset_seconds = sign * (zone_hours * 3600 + zone_minutes * 60);
      }
    }
  }
  while (position < text.size() && text[position] == ' ') ++position;
  bool before_christ = false;
  if (text.compare(position, std::string::npos, "bc") == 0) {
    before_christ = true;
    position = text.size();
  }
  if (position != text.size()) bad_syntax(type, original);
  if (year == 0) field_out_of_range(original);
  if (before_christ) year = 1 - year;
  if (month < 1 || month > 12 || day < 1 || day > static_cast<int64_t>(days_in_month(year, static_cast<unsigned>(month)))) {
    field_out_of_range(original);
  }
  parsed.days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) - kUnixToPostgresDays;
  return parsed;
}

}  // namespace

// PostgreSQL's limits, as Julian day numbers minus the 2000-01-01 epoch (Julian day 2451545).
int64_t date_range_begin() { return -2451545; }                // 4714-11-24 BC, Julian day 0
int64_t date_range_end() { return 2147483494 - 2451545; }      // 5874898-01-01, exclusive
int64_t timestamp_range_end() { return 109203528 - 2451545; }  // 294277-01-01, exclusive

namespace {

constexpr int64_t kMinDate = -2451545;
constexpr int64_t kMaxDateExclusive = 2147483494 - 2451545;
constexpr int64_t kMaxTimestampDaysExclusive = 109203528 - 2451545;

std::string format_civil(int64_t days, bool with_time, int64_t time_of_day) {
  int64_t year;
  unsigned month, day;
  civil_from_days(days + kUnixToPostgresDays, year, month, day);
  bool before_christ = year <= 0;
  int64_t shown_year = before_christ ? 1 - year : year;
  char buffer[96];
  int length = std::snprintf(buffer, sizeof(buffer), "%04lld-%02u-%02u", static_cast<long long>(shown_year), month, day);
  std::string out(buffer, static_cast<size_t>(length));
  if (with_time) {
    int64_t seconds = time_of_day / 1'000'000;
    int64_t micros = time_of_day % 1'000'000;
    length = std::snprintf(buffer, sizeof(buffer), " %02lld:%02lld:%02lld", static_cast<long long>(seconds / 3600),
                           static_cast<long long>(seconds / 60 % 60), static_cast<long long>(seconds % 60));
    out.append(buffer, static_cast<size_t>(length));
    if (micros != 0) {
      length = std::snprintf(buffer, sizeof(buffer), ".%06lld", static_cast<long long>(micros));
      std::string fraction(buffer, static_cast<size_t>(length));
      while (fraction.back() == '0') fraction.pop_back();
      out += fraction;
    }
  }
  if (before_christ) out += " BC";
  return out;
}

int64_t floor_div(int64_t value, int64_t divisor) {
  int64_t quotient = value / divisor;
  if ((value % divisor != 0) && ((value < 0) != (divisor < 0))) --quotient;
  return quotient;
}

int64_t to_timestamp(const Parsed& parsed, bool apply_zone, std::string_view original) {
  if (parsed.days < kMinDate || parsed.days >= kMaxTimestampDaysExclusive) {
    raise_sql_error("timestamp out of range: \"" + std::string(original) + "\"");
  }
  int64_t value = parsed.days * kMicrosecondsPerDay + parsed.time_of_day;
  if (apply_zone && parsed.zone_offset_seconds) value -= *parsed.zone_offset_seconds * 1'000'000;
  return value;
}

}  // namespace

int32_t parse_date(std::string_view text) {
  std::string lowered = lower_trimmed(text);
  if (lowered == "infinity") return kDatePositiveInfinity;
  if (lowered == "-infinity") return kDateNegativeInfinity;
  Parsed parsed = parse_iso(text, "date");
  if (parsed.days < kMinDate || parsed.days >= kMaxDateExclusive) {
    raise_sql_error("date out of range: \"" + std::string(text) + "\"");
  }
  return static_cast<int32_t>(parsed.days);
}

int64_t parse_timestamp(std::string_view text) {
  std::string lowered = lower_trimmed(text);
  if (lowered == "infinity") return kTimestampPositiveInfinity;
  if (lowered == "-infinity") return kTimestampNegativeInfinity;
  return to_timestamp(parse_iso(text, "timestamp"), false, text);
}

int64_t parse_timestamptz(std::string_view text) {
  std::string lowered = lower_trimmed(text);
  if (lowered == "infinity") return kTimestampPositiveInfinity;
  if (lowered == "-infinity") return kTimestampNegativeInfinity;
  return to_timestamp(parse_iso(text, "timestamp with time zone"), true, text);
}

std::string format_date(int32_t days) {
  if (days == kDatePositiveInfinity) return "infinity";
  if (days == kDateNegativeInfinity) return "-infinity";
  return format_civil(days, false, 0);
}

std::string format_timestamp(int64_t microseconds) {
  if (microseconds == kTimestampPositiveInfinity) return "infinity";
  if (microseconds == kTimestampNegativeInfinity) return "-infinity";
  int64_t days = floor_div(microseconds, kMicrosecondsPerDay);
  return format_civil(days, true, microseconds - days * kMicrosecondsPerDay);
}

std::string format_timestamptz(int64_t microseconds) {
  std::string text = format_timestamp(microseconds);
  if (microseconds == kTimestampPositiveInfinity || microseconds == kTimestampNegativeInfinity) return text;
  // " BC" follows the zone in PostgreSQL's output: "0001-01-01 00:00:00+00 BC".
  if (text.size() > 3 && text.compare(text.size() - 3, 3, " BC") == 0) return text.substr(0, text.size() - 3) + "+00 BC";
  return text + "+00";
}

int64_t date_to_timestamp(int32_t days) {
  if (days == kDatePositiveInfinity) return kTimestampPositiveInfinity;
  if (days == kDateNegativeInfinity) return kTimestampNegativeInfinity;
  if (days >= kMaxTimestampDaysExclusive) raise_sql_error("date out of range for timestamp");
  return static_cast<int64_t>(days) * kMicrosecondsPerDay;
}

int32_t timestamp_to_date(int64_t microseconds) {
  if (microseconds == kTimestampPositiveInfinity) return kDatePositiveInfinity;
  if (microseconds == kTimestampNegativeInfinity) return kDateNegativeInfinity;
  return static_cast<int32_t>(floor_div(microseconds, kMicrosecondsPerDay));
}

}  // namespace weftkit::policy
