// Civil-calendar conversion and the ISO subset of PostgreSQL's date/time input and output.
#include "compiler/values/datetime.h"

#include <cctype>
#include <cstdio>
#include <optional>
#include <vector>

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
  int64_t hour = 0;             // as written, for AM/PM and range checks
  int64_t minute = 0;
  int64_t second = 0;
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

// The date part of a value, written as PostgreSQL reads it with DateStyle ISO, MDY: year first
// when the first number has more than two digits (2024-01-31, 2024/01/31, 2024.01.31),
// otherwise month first (01/31/2024, 1-8-99); 8 or 6 digits as YYYYMMDD or YYMMDD; or with a
// month name anywhere (Jan 31 2024, 31-Jan-2024, January 31, 2024). Weekday names are ignored.
struct DateFields {
  int64_t year = 0;
  int64_t month = 0;
  int64_t day = 0;
};

std::optional<int64_t> month_from_name(const std::string& word) {
  static const char* kMonths[] = {"january", "february", "march",     "april",   "may",      "june",
                                  "july",    "august",   "september", "october", "november", "december"};
  for (int index = 0; index < 12; ++index) {
    std::string name = kMonths[index];
    if (word == name || word == name.substr(0, 3) || (index == 8 && word == "sept")) return index + 1;
  }
  return std::nullopt;
}

bool is_weekday(const std::string& word) {
  static const char* kDays[] = {"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"};
  for (const char* day : kDays) {
    std::string name = day;
    if (word == name || word == name.substr(0, 3)) return true;
  }
  return false;
}

bool all_digits(const std::string& text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// A year written with exactly two digits means 1970..2069, as PostgreSQL reads it.
int64_t year_of(const std::string& digits) {
  int64_t year = std::stoll(digits);
  if (digits.size() == 2) year += year < 70 ? 2000 : 1900;
  return year;
}

std::optional<DateFields> date_from_fields(const std::vector<std::string>& fields) {
  std::vector<std::string> numbers;
  std::optional<int64_t> month_name;
  for (const std::string& field : fields) {
    if (all_digits(field)) {
      if (field.size() > 9) return std::nullopt;
      numbers.push_back(field);
    } else if (auto month = month_from_name(field); month && !month_name) {
      month_name = month;
    } else {
      return std::nullopt;
    }
  }
  DateFields date;
  if (month_name) {
    if (numbers.size() != 2) return std::nullopt;
    date.month = *month_name;
    // The number with more than two digits is the year; otherwise day then year.
    bool year_first = numbers[0].size() > 2;
    date.year = year_of(year_first ? numbers[0] : numbers[1]);
    date.day = std::stoll(year_first ? numbers[1] : numbers[0]);
    return date;
  }
  if (numbers.size() == 1) {
    const std::string& run = numbers[0];
    if (run.size() == 8) return DateFields{std::stoll(run.substr(0, 4)), std::stoll(run.substr(4, 2)), std::stoll(run.substr(6, 2))};
    if (run.size() == 6) return DateFields{year_of(run.substr(0, 2)), std::stoll(run.substr(2, 2)), std::stoll(run.substr(4, 2))};
    return std::nullopt;
  }
  if (numbers.size() != 3) return std::nullopt;
  if (numbers[0].size() > 2) return DateFields{std::stoll(numbers[0]), std::stoll(numbers[1]), std::stoll(numbers[2])};
  return DateFields{year_of(numbers[2]), std::stoll(numbers[0]), std::stoll(numbers[1])};
}

// hh:mm[:ss[.fraction]], with a zone suffix glued on (+02, -05:30, +0230, z) when present.
bool parse_clock(std::string text, Parsed& parsed, std::string& zone_suffix) {
  size_t zone_at = text.find_first_of("+-z", 1);
  if (zone_at != std::string::npos) {
    zone_suffix = text.substr(zone_at);
    text = text.substr(0, zone_at);
  }
  int64_t hour = 0, minute = 0, second = 0, fraction = 0;
  size_t position = 0;
  if (!read_number(text, position, 1, 2, hour) || position >= text.size() || text[position++] != ':' ||
      !read_number(text, position, 1, 2, minute)) {
    return false;
  }
  if (position < text.size() && text[position] == ':') {
    ++position;
    if (!read_number(text, position, 1, 2, second)) return false;
    if (position < text.size() && text[position] == '.') {
      ++position;
      int digits = 0;
      while (position < text.size() && std::isdigit(static_cast<unsigned char>(text[position]))) {
        if (digits < 7) fraction = fraction * 10 + (text[position] - '0');
        ++digits;
        ++position;
      }
      if (digits == 0) return false;
      for (int pad = digits; pad < 7; ++pad) fraction *= 10;
      fraction = (fraction + 5) / 10;  // round to microseconds, half up
    }
  }
  if (position != text.size()) return false;
  parsed.has_time = true;
  parsed.time_of_day = ((hour * 60 + minute) * 60 + second) * 1'000'000 + fraction;
  parsed.hour = hour;
  parsed.minute = minute;
  parsed.second = second;
  return true;
}

// +02, -05:30, +0230, z, utc, gmt: seconds east of UTC.
std::optional<int64_t> parse_zone(const std::string& text, std::string_view original) {
  if (text == "z" || text == "utc" || text == "gmt" || text == "zulu") return 0;
  if (text.size() < 2 || (text[0] != '+' && text[0] != '-')) return std::nullopt;
  int sign = text[0] == '-' ? -1 : 1;
  std::string digits;
  int64_t hours = 0, minutes = 0;
  if (size_t colon = text.find(':'); colon != std::string::npos) {
    std::string hour_part = text.substr(1, colon - 1);
    std::string minute_part = text.substr(colon + 1);
    if (!all_digits(hour_part) || !all_digits(minute_part) || hour_part.size() > 2 || minute_part.size() != 2) {
      return std::nullopt;
    }
    hours = std::stoll(hour_part);
    minutes = std::stoll(minute_part);
  } else {
    digits = text.substr(1);
    if (!all_digits(digits) || digits.size() > 4 || digits.size() == 3) return std::nullopt;
    hours = std::stoll(digits.substr(0, std::min<size_t>(2, digits.size())));
    if (digits.size() == 4) minutes = std::stoll(digits.substr(2));
  }
  if (hours > 15 || minutes > 59) {
    raise_sql_error("time zone displacement out of range: \"" + std::string(original) + "\"");
  }
  return sign * (hours * 3600 + minutes * 60);
}

Parsed parse_datetime(std::string_view original, std::string_view type) {
  std::string text = lower_trimmed(original);
  auto bad = [&]() -> Parsed { bad_syntax(type, original); };
  // Split into words at white space and commas; "2024-01-31t12:30" splits at the T.
  std::vector<std::string> words;
  std::string current;
  for (size_t index = 0; index < text.size(); ++index) {
    char c = text[index];
    bool t_separator = c == 't' && index > 0 && std::isdigit(static_cast<unsigned char>(text[index - 1])) &&
                       index + 1 < text.size() && std::isdigit(static_cast<unsigned char>(text[index + 1]));
    if (std::isspace(static_cast<unsigned char>(c)) || c == ',' || t_separator) {
      if (!current.empty()) words.push_back(current);
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  if (!current.empty()) words.push_back(current);
  Parsed parsed;
  std::vector<std::string> date_fields;
  std::optional<std::string> meridiem;
  bool before_christ = false;
  std::string zone_text;
  std::optional<int64_t> julian_day;
  for (const std::string& word : words) {
    if (word.find(':') != std::string::npos) {
      if (parsed.has_time) bad();
      std::string clock = word;
      if (clock.size() > 2 && (clock.ends_with("am") || clock.ends_with("pm"))) {
        meridiem = clock.substr(clock.size() - 2);  // 1:30pm
        clock.resize(clock.size() - 2);
      }
      std::string suffix;
      if (!parse_clock(clock, parsed, suffix)) bad();
      if (!suffix.empty()) zone_text = suffix;
    } else if (word == "am" || word == "pm") {
      meridiem = word;
    } else if (word == "bc" || word == "ad") {
      before_christ = word == "bc";
    } else if (word == "z" || word == "utc" || word == "gmt" || word == "zulu" ||
               ((word[0] == '+' || word[0] == '-') && parsed.has_time)) {
      zone_text = word;
    } else if (is_weekday(word)) {
      continue;
    } else if (word.size() > 1 && word[0] == 'j' && all_digits(word.substr(1)) && word.size() <= 10) {
      julian_day = std::stoll(word.substr(1));  // J2451545 is 2000-01-01
    } else {
      // A date word: split at -, / and . into fields.
      std::string field;
      for (char c : word) {
        if (c == '-' || c == '/' || c == '.') {
          if (field.empty()) bad();
          date_fields.push_back(field);
          field.clear();
        } else {
          field.push_back(c);
        }
      }
      if (field.empty()) bad();
      date_fields.push_back(field);
    }
  }
  if (julian_day) {
    if (!date_fields.empty() || before_christ) bad();
    int64_t year;
    unsigned month, day;
    civil_from_days(*julian_day - kPostgresEpochJulianDay + kUnixToPostgresDays, year, month, day);
    date_fields = {std::to_string(year), std::to_string(month), std::to_string(day)};
    if (year <= 0) {  // before 1 AD: written as BC
      date_fields[0] = std::to_string(1 - year);
      before_christ = true;
    }
    while (date_fields[0].size() < 3) date_fields[0].insert(0, "0");  // year first, as ISO
  }
  std::optional<DateFields> date = date_from_fields(date_fields);
  if (!date) bad();
  if (meridiem) {
    if (!parsed.has_time || parsed.hour > 12) field_out_of_range(original);
    int64_t hour = parsed.hour % 12 + (*meridiem == "pm" ? 12 : 0);
    parsed.time_of_day += (hour - parsed.hour) * 3'600'000'000;
    parsed.hour = hour;
  }
  if (parsed.has_time && (parsed.hour > 24 || parsed.minute > 59 || parsed.second > 60 ||
                          (parsed.hour == 24 && parsed.time_of_day != 24 * 3'600'000'000))) {
    field_out_of_range(original);
  }
  if (!zone_text.empty()) {
    std::optional<int64_t> zone = parse_zone(zone_text, original);
    if (!zone) bad();
    parsed.zone_offset_seconds = zone;
  }
  int64_t year = date->year;
  if (year == 0) field_out_of_range(original);
  if (before_christ) year = 1 - year;
  if (date->month < 1 || date->month > 12 || date->day < 1 ||
      date->day > static_cast<int64_t>(days_in_month(year, static_cast<unsigned>(date->month)))) {
    field_out_of_range(original);
  }
  parsed.days = days_from_civil(year, static_cast<unsigned>(date->month), static_cast<unsigned>(date->day)) -
                kUnixToPostgresDays;
  return parsed;
}


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
  if (parsed.days < kDateRangeBegin || parsed.days >= kTimestampRangeEnd) {
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
  if (lowered == "epoch") return -static_cast<int32_t>(kUnixToPostgresDays);
  Parsed parsed = parse_datetime(text, "date");
  if (parsed.days < kDateRangeBegin || parsed.days >= kDateRangeEnd) {
    raise_sql_error("date out of range: \"" + std::string(text) + "\"");
  }
  return static_cast<int32_t>(parsed.days);
}

int64_t parse_timestamp(std::string_view text) {
  std::string lowered = lower_trimmed(text);
  if (lowered == "infinity") return kTimestampPositiveInfinity;
  if (lowered == "-infinity") return kTimestampNegativeInfinity;
  if (lowered == "epoch") return -kUnixToPostgresDays * kMicrosecondsPerDay;
  return to_timestamp(parse_datetime(text, "timestamp"), false, text);
}

int64_t parse_timestamptz(std::string_view text) {
  std::string lowered = lower_trimmed(text);
  if (lowered == "infinity") return kTimestampPositiveInfinity;
  if (lowered == "-infinity") return kTimestampNegativeInfinity;
  if (lowered == "epoch") return -kUnixToPostgresDays * kMicrosecondsPerDay;
  return to_timestamp(parse_datetime(text, "timestamp with time zone"), true, text);
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
  if (days >= kTimestampRangeEnd) raise_sql_error("date out of range for timestamp");
  return static_cast<int64_t>(days) * kMicrosecondsPerDay;
}

int32_t timestamp_to_date(int64_t microseconds) {
  if (microseconds == kTimestampPositiveInfinity) return kDatePositiveInfinity;
  if (microseconds == kTimestampNegativeInfinity) return kDateNegativeInfinity;
  return static_cast<int32_t>(floor_div(microseconds, kMicrosecondsPerDay));
}

}  // namespace weftkit::policy
