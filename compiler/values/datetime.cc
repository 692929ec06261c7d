// The ISO subset and PostgreSQL's other styles of date/time input (DateStyle ISO, MDY), time zones
// as PostgreSQL 15 reads them (DecodeDateTime in src/backend/utils/adt/datetime.c), and output.
#include "compiler/values/datetime.h"

#include <cctype>
#include <cstdio>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include "compiler/values/civil_calendar.h"
#include "compiler/values/sql_error.h"
#include "compiler/values/time_zone.h"
#include "compiler/values/time_zone_abbreviations.h"
#include "compiler/values/time_zone_database.h"

namespace weftkit::policy {
namespace {

constexpr int64_t kUnixToPostgresDays = 10957;  // 1970-01-01 → 2000-01-01

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

// What the input said about the time zone; resolved once the date and time are known, since a
// named zone's offset depends on them. Mirrors DecodeDateTime's bookkeeping: one zone per value
// (the TZ field), a daylight abbreviation or "DST" at most once (DTZ), and the "DST" modifier
// that adds an hour to a fixed zone (DTZMOD).
struct ZoneSpec {
  bool zone_field = false;
  bool daylight_field = false;
  bool dst_modifier = false;
  int64_t fixed_offset = 0;  // seconds east of UTC; PostgreSQL's running *tzp, sign flipped
  std::shared_ptr<const TimeZone> named;                 // "Europe/Paris"
  std::shared_ptr<const TimeZone> abbreviation_zone;     // a dynamic abbreviation's zone ("MSK")
  std::string abbreviation;                              // that abbreviation, upper case
};

struct Parsed {
  int64_t days = 0;             // since 2000-01-01
  int64_t time_of_day = 0;      // microseconds
  int64_t hour = 0;             // as written, for AM/PM and range checks
  int64_t minute = 0;
  int64_t second = 0;
  ZoneSpec zone;
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

// A date written as one number and nothing else, as DecodeDateTime reads it: six digits or more
// are concatenated fields (the last two the day, two before them the month, the rest the
// year: DecodeNumberField); fewer are a month (one or two digits) or a year (three to five)
// alone (DecodeNumber). ValidateDate checks the fields it has before DecodeDateTime finds the
// date incomplete, so a month outside 1..12 or year 0 is out of range, not bad syntax.
std::optional<DateFields> date_from_one_number(const std::string& run, std::string_view original) {
  if (run.size() >= 6) {
    if (run.size() > 13) return std::nullopt;  // a year beyond int: left as bad syntax
    return DateFields{year_of(run.substr(0, run.size() - 4)), std::stoll(run.substr(run.size() - 4, 2)),
                      std::stoll(run.substr(run.size() - 2))};
  }
  int64_t value = std::stoll(run);
  bool month = run.size() <= 2;
  if (month ? value < 1 || value > 12 : value == 0) field_out_of_range(original);
  return std::nullopt;
}

std::optional<DateFields> date_from_fields(const std::vector<std::string>& fields, std::string_view original) {
  if (fields.size() == 1 && all_digits(fields[0])) return date_from_one_number(fields[0], original);
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
  if (numbers.size() != 3) return std::nullopt;
  if (numbers[0].size() > 2) return DateFields{std::stoll(numbers[0]), std::stoll(numbers[1]), std::stoll(numbers[2])};
  return DateFields{year_of(numbers[2]), std::stoll(numbers[0]), std::stoll(numbers[1])};
}

// hh:mm[:ss[.fraction]]; the caller has split off whatever followed (a zone, am/pm).
bool parse_clock(const std::string& text, Parsed& parsed) {
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

// strtol's reading of a number inside a numeric zone: an optional sign, then digits; no digits
// leaves the position where it was and reads 0. nullopt when it does not fit an int.
std::optional<int64_t> read_signed(const std::string& text, size_t& position) {
  size_t cursor = position;
  bool negative = false;
  if (cursor < text.size() && (text[cursor] == '+' || text[cursor] == '-')) negative = text[cursor++] == '-';
  if (cursor >= text.size() || !std::isdigit(static_cast<unsigned char>(text[cursor]))) return 0;
  int64_t value = 0;
  while (cursor < text.size() && std::isdigit(static_cast<unsigned char>(text[cursor]))) {
    value = value * 10 + (text[cursor++] - '0');
    if (value > 2147483648LL) return std::nullopt;
  }
  if (negative) value = -value;
  if (value > 2147483647LL) return std::nullopt;
  position = cursor;
  return value;
}

// +hh, +hh:mm, +hh:mm:ss, +hhmm (and +h, +hmm): seconds east of UTC, as DecodeTimezone reads
// them; hours past 15 are out of range, anything left over is bad syntax.
int64_t decode_numeric_zone(const std::string& text, std::string_view original, std::string_view type) {
  auto out_of_range = [&]() -> int64_t {
    raise_sql_error("time zone displacement out of range: \"" + std::string(original) + "\"");
  };
  size_t position = 1;
  std::optional<int64_t> hours = read_signed(text, position);
  if (!hours) out_of_range();
  int64_t minutes = 0, seconds = 0;
  if (position < text.size() && text[position] == ':') {
    ++position;
    std::optional<int64_t> read = read_signed(text, position);
    if (!read) out_of_range();
    minutes = *read;
    if (position < text.size() && text[position] == ':') {
      ++position;
      read = read_signed(text, position);
      if (!read) out_of_range();
      seconds = *read;
    }
  } else if (position == text.size() && text.size() > 3) {
    minutes = *hours % 100;  // +0530
    *hours /= 100;
  }
  if (*hours < 0 || *hours > 15 || minutes < 0 || minutes >= 60 || seconds < 0 || seconds >= 60) out_of_range();
  if (position != text.size()) bad_syntax(type, original);
  const int64_t offset = (*hours * 60 + minutes) * 60 + seconds;
  return text[0] == '-' ? -offset : offset;
}

// The words of PostgreSQL's date/time keyword table (datetktbl). A word among them is never a
// time zone name, and an alphabetic word among them ends where its letters end ("j2451545").
bool is_date_keyword(const std::string& word) {
  static const char* const kKeywords[] = {
      "ad",     "allballs", "am",       "apr",     "april",    "at",      "aug",       "august",   "bc",
      "current", "d",       "dec",      "december", "dow",     "doy",     "dst",       "epoch",    "feb",
      "february", "fri",    "friday",   "h",       "infinity", "invalid", "isodow",    "isoyear",  "j",
      "jan",    "january",  "jd",       "jul",     "julian",   "july",    "jun",       "june",     "m",
      "mar",    "march",    "may",      "mm",      "mon",      "monday",  "nov",       "november", "now",
      "oct",    "october",  "on",       "pm",      "s",        "sat",     "saturday",  "sep",      "sept",
      "september", "sun",   "sunday",   "t",       "thu",      "thur",    "thurs",     "thursday", "today",
      "tomorrow", "tue",    "tues",     "tuesday", "undefined", "wed",    "wednesday", "weds",     "y",
      "yesterday"};
  for (const char* keyword : kKeywords) {
    if (word == keyword) return true;
  }
  return false;
}

// Whether the date fields read so far give a month and a day, the point after which
// DecodeDateTime takes a word like "europe/paris" for a time zone rather than a date.
bool month_and_day_known(const std::vector<std::string>& fields, bool julian_day) {
  if (julian_day) return true;
  size_t numbers = 0, short_numbers = 0;
  bool month_name = false;
  for (const std::string& field : fields) {
    if (all_digits(field)) {
      ++numbers;
      if (field.size() <= 2) ++short_numbers;
      if (fields.size() == 1 && (field.size() == 6 || field.size() == 8)) return true;  // YYYYMMDD
    } else if (month_from_name(field)) {
      month_name = true;
    }
  }
  if (month_name) return short_numbers >= 1;
  return numbers >= 3 || (numbers == 2 && short_numbers == 2);
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
  ZoneSpec& zone = parsed.zone;
  std::vector<std::string> date_fields;
  std::optional<std::string> meridiem;
  bool before_christ = false;
  std::optional<int64_t> julian_day;
  // A zone, a daylight abbreviation or "DST" given twice is bad syntax, as in DecodeDateTime.
  auto take_zone_field = [&](bool daylight) {
    if (zone.zone_field || (daylight && zone.daylight_field)) bad();
    zone.zone_field = true;
    zone.daylight_field = zone.daylight_field || daylight;
  };
  auto add_date_word = [&](const std::string& word) {
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
  };
  // Full time zone names ("europe/paris", "japan", "est5edt") are found as pg_tzset finds them.
  const TimeZoneDatabase& zones = TimeZoneDatabase::system();
  auto take_named_zone = [&](std::shared_ptr<const TimeZone> named) {
    take_zone_field(false);
    zone.named = std::move(named);
  };
  // An alphabetic word: abbreviations first, then PostgreSQL's keywords, then zone names.
  auto alphabetic_word = [&](const std::string& word) {
    if (const TimeZoneAbbreviation* abbreviation = find_time_zone_abbreviation(word)) {
      switch (abbreviation->kind) {
        case TimeZoneAbbreviation::Kind::kStandard:
        case TimeZoneAbbreviation::Kind::kDaylight:
          take_zone_field(abbreviation->kind == TimeZoneAbbreviation::Kind::kDaylight);
          zone.fixed_offset = abbreviation->utc_offset;
          return;
        case TimeZoneAbbreviation::Kind::kDynamic: {
          take_zone_field(false);
          zone.abbreviation_zone = zones.find(abbreviation->zone);
          if (!zone.abbreviation_zone) {
            raise_sql_error("time zone \"" + std::string(abbreviation->zone) + "\" not recognized");
          }
          for (char c : word) {
            zone.abbreviation.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
          }
          return;
        }
      }
    }
    if (word == "am" || word == "pm") {
      meridiem = word;
    } else if (word == "bc" || word == "ad") {
      before_christ = word == "bc";
    } else if (word == "dst") {
      // "CET DST" is CET plus an hour; PostgreSQL adds it to whatever fixed zone it has so far.
      if (zone.dst_modifier || zone.daylight_field) bad();
      zone.dst_modifier = zone.daylight_field = true;
      zone.fixed_offset += 3600;
    } else if (is_weekday(word) || word == "at" || word == "on") {
      return;  // weekdays are not checked against the date; "at" and "on" are filler
    } else if (month_from_name(word) || is_date_keyword(word)) {
      add_date_word(word);  // a month; PostgreSQL's other keywords are not supported here
    } else if (std::shared_ptr<const TimeZone> named = zones.find(word)) {
      take_named_zone(std::move(named));
    } else {
      bad();
    }
  };

  std::deque<std::string> pending(words.begin(), words.end());
  while (!pending.empty()) {
    std::string word = std::move(pending.front());
    pending.pop_front();
    const unsigned char first = static_cast<unsigned char>(word[0]);
    if (word.size() > 1 && word[0] == 'j' && all_digits(word.substr(1)) && word.size() <= 10) {
      julian_day = std::stoll(word.substr(1));  // J2451545 is 2000-01-01
    } else if (std::isalpha(first)) {
      // ParseDateTime: letters, then either the end, or punctuation or digits that make the
      // word a date ("jan-31-2024") or a zone name ("america/new_york", "utc+3", "est5edt").
      size_t letters = 0;
      while (letters < word.size() && std::isalpha(static_cast<unsigned char>(word[letters]))) ++letters;
      if (letters == word.size()) {
        alphabetic_word(word);
        continue;
      }
      const char next = word[letters];
      const std::string head = word.substr(0, letters);
      const bool punctuated = next == '-' || next == '/' || next == '.';
      if (!punctuated && !((next == '+' || std::isdigit(static_cast<unsigned char>(next))) && !is_date_keyword(head))) {
        if (!std::isdigit(static_cast<unsigned char>(next)) && next != '+') bad();
        alphabetic_word(head);  // "jan31": a keyword, then a number
        pending.push_front(word.substr(letters));
        continue;
      }
      if (!month_and_day_known(date_fields, julian_day.has_value())) {
        add_date_word(word);
        continue;
      }
      std::shared_ptr<const TimeZone> named = zones.find(word);
      // PostgreSQL reports the name as it reads it, lower case.
      if (!named) raise_sql_error("time zone \"" + word + "\" not recognized");
      take_named_zone(std::move(named));
    } else if ((word[0] == '+' || word[0] == '-') && word.size() == 1 && !pending.empty() &&
               std::isdigit(static_cast<unsigned char>(pending.front()[0]))) {
      pending.front().insert(0, word);  // "+ 02": PostgreSQL skips the space after a sign
    } else if ((word[0] == '+' || word[0] == '-') && word.size() > 1 &&
               std::isdigit(static_cast<unsigned char>(word[1]))) {
      take_zone_field(false);
      zone.fixed_offset = decode_numeric_zone(word, original, type);
    } else if (word.find(':') != std::string::npos && std::isdigit(first)) {
      // A time runs over digits, colons and dots; what follows ("+02", "pm", "z",
      // "europe/paris") is a word of its own.
      if (parsed.has_time) bad();
      size_t end = word.find_first_not_of("0123456789:.");
      if (end != std::string::npos) {
        pending.push_front(word.substr(end));
        word.resize(end);
      }
      if (!parse_clock(word, parsed)) bad();
    } else {
      add_date_word(word);
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
  std::optional<DateFields> date = date_from_fields(date_fields, original);
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
  int64_t year = date->year;
  if (year == 0) field_out_of_range(original);
  if (before_christ) year = 1 - year;
  if (date->month < 1 || date->month > 12 || date->day < 1 ||
      date->day > static_cast<int64_t>(days_in_month(year, static_cast<unsigned>(date->month)))) {
    field_out_of_range(original);
  }
  // A named zone or a dynamic abbreviation fixes the offset by itself; "DST" goes only with a
  // fixed zone.
  if (zone.dst_modifier && (zone.named || zone.abbreviation_zone || !zone.zone_field)) bad();
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

// The UTC offset the value's zone has at the local time the value names: a named zone's rules
// (DetermineTimeZoneOffset), what a dynamic abbreviation meant in its zone then
// (DetermineTimeZoneAbbrevOffset), a fixed offset, or the session's UTC.
int64_t zone_offset_seconds(const Parsed& parsed) {
  const ZoneSpec& zone = parsed.zone;
  const int64_t local_seconds =
      (parsed.days + kUnixToPostgresDays) * kSecondsPerDay + (parsed.hour * 60 + parsed.minute) * 60 + parsed.second;
  if (zone.named) return zone.named->offset_of_local_time(local_seconds).utc_offset;
  if (zone.abbreviation_zone) {
    const ZoneOffset offset = zone.abbreviation_zone->offset_of_local_time(local_seconds);
    const std::optional<ZoneOffset> meant =
        zone.abbreviation_zone->abbreviation_offset(zone.abbreviation, local_seconds - offset.utc_offset);
    return meant ? meant->utc_offset : offset.utc_offset;
  }
  return zone.zone_field ? zone.fixed_offset : 0;
}

int64_t to_timestamp(const Parsed& parsed, bool apply_zone, std::string_view original) {
  auto out_of_range = [&]() -> int64_t {
    raise_sql_error("timestamp out of range: \"" + std::string(original) + "\"");
  };
  // Far outside the range: stop before the arithmetic can overflow.
  if (parsed.days < kDateRangeBegin - 1 || parsed.days > kTimestampRangeEnd) out_of_range();
  int64_t value = parsed.days * kMicrosecondsPerDay + parsed.time_of_day;
  if (apply_zone) value -= zone_offset_seconds(parsed) * 1'000'000;
  // PostgreSQL checks the range after applying the zone (tm2timestamp).
  if (value < kDateRangeBegin * kMicrosecondsPerDay || value >= kTimestampRangeEnd * kMicrosecondsPerDay) {
    out_of_range();
  }
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
