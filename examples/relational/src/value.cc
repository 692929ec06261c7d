// Conversions between the engine's values, PostgreSQL's text forms and the runtime's Datums.
#include "value.h"

#include <cctype>
#include <charconv>
#include <cstdio>
#include <limits>

namespace relational {
namespace {

constexpr int64_t kMicrosPerDay = 86'400'000'000;

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void civil_from_days(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp + (mp < 10 ? 3 : -9);
  y += m <= 2;
}

const int64_t kPostgresEpochDays = days_from_civil(2000, 1, 1);

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

SqlError bad_input(std::string_view type, std::string_view text) {
  return invalid_text("invalid input syntax for type " + std::string(type) + ": \"" + std::string(text) + "\"");
}

SqlResult<Value> parse_integer(std::string_view text, ColumnType type) {
  std::string_view digits = trim(text);
  int64_t parsed = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), parsed);
  if (digits.empty() || error == std::errc::invalid_argument || end != digits.data() + digits.size()) {
    return bad_input(type_name(type), text);
  }
  if (error == std::errc::result_out_of_range) return SqlError{"22003", "value \"" + std::string(text) + "\" is out of range for type " + std::string(type_name(type))};
  Value value = Value::integer_value(parsed);
  return coerce_to_column(value, ColumnDef{"", type});
}

SqlResult<Value> parse_boolean(std::string_view text) {
  std::string lowered;
  for (char c : trim(text)) lowered += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lowered == "t" || lowered == "true" || lowered == "yes" || lowered == "on" || lowered == "1" || lowered == "y") {
    return Value::boolean(true);
  }
  if (lowered == "f" || lowered == "false" || lowered == "no" || lowered == "off" || lowered == "0" || lowered == "n") {
    return Value::boolean(false);
  }
  return bad_input("boolean", text);
}

// YYYY-MM-DD, then for timestamps an optional [ T]HH:MM[:SS[.ffffff]] and an optional Z or +00.
// Times are taken as UTC: the engine's sessions run with TimeZone UTC.
SqlResult<Value> parse_date_time(std::string_view text, bool with_time) {
  std::string_view rest = trim(text);
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, consumed = 0;
  std::string copy(rest);
  if (std::sscanf(copy.c_str(), "%d-%d-%d%n", &year, &month, &day, &consumed) != 3 || month < 1 || month > 12 ||
      day < 1 || day > 31) {
    return bad_input(with_time ? "timestamp with time zone" : "date", text);
  }
  int64_t micros = 0;
  std::string_view tail = std::string_view(copy).substr(static_cast<size_t>(consumed));
  if (with_time && !tail.empty() && (tail.front() == ' ' || tail.front() == 'T')) {
    std::string time(tail.substr(1));
    int used = 0;
    if (std::sscanf(time.c_str(), "%d:%d%n", &hour, &minute, &used) != 2) return bad_input("timestamp with time zone", text);
    std::string_view after = std::string_view(time).substr(static_cast<size_t>(used));
    if (!after.empty() && after.front() == ':') {
      std::string seconds(after.substr(1));
      int more = 0;
      if (std::sscanf(seconds.c_str(), "%d%n", &second, &more) != 1) return bad_input("timestamp with time zone", text);
      after = after.substr(1 + static_cast<size_t>(more));
      if (!after.empty() && after.front() == '.') {
        after.remove_prefix(1);
        int64_t fraction = 0, scale = 100000;
        while (!after.empty() && std::isdigit(static_cast<unsigned char>(after.front()))) {
          fraction += (after.front() - '0') * scale;
          scale /= 10;
          after.remove_prefix(1);
        }
        micros += fraction;
      }
    }
    if (after == "Z" || after == "+00" || after == "+00:00") after = {};
    if (!after.empty() || hour > 23 || minute > 59 || second > 60) return bad_input("timestamp with time zone", text);
    tail = {};
  }
  if (!trim(tail).empty()) return bad_input(with_time ? "timestamp with time zone" : "date", text);
  const int64_t days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) - kPostgresEpochDays;
  Value value;
  if (with_time) {
    value.kind = Value::Kind::kTimestamp;
    value.integer = days * kMicrosPerDay + (hour * 3600LL + minute * 60LL + second) * 1'000'000 + micros;
  } else {
    value.kind = Value::Kind::kDate;
    value.integer = days;
  }
  return value;
}

}  // namespace

std::string_view type_name(ColumnType type) {
  switch (type) {
    case ColumnType::kSmallint: return "smallint";
    case ColumnType::kInteger: return "integer";
    case ColumnType::kBigint: return "bigint";
    case ColumnType::kText: return "text";
    case ColumnType::kBoolean: return "boolean";
    case ColumnType::kDate: return "date";
    case ColumnType::kTimestamptz: return "timestamp with time zone";
  }
  return "text";
}

uint32_t type_oid(ColumnType type) {
  switch (type) {
    case ColumnType::kSmallint: return 21;
    case ColumnType::kInteger: return 23;
    case ColumnType::kBigint: return 20;
    case ColumnType::kText: return 25;
    case ColumnType::kBoolean: return 16;
    case ColumnType::kDate: return 1082;
    case ColumnType::kTimestamptz: return 1184;
  }
  return 25;
}

int16_t type_size(ColumnType type) {
  switch (type) {
    case ColumnType::kSmallint: return 2;
    case ColumnType::kInteger: return 4;
    case ColumnType::kBigint: return 8;
    case ColumnType::kBoolean: return 1;
    case ColumnType::kDate: return 4;
    case ColumnType::kTimestamptz: return 8;
    case ColumnType::kText: return -1;
  }
  return -1;
}

uint32_t value_type_oid(const Value& value) {
  switch (value.kind) {
    case Value::Kind::kBoolean: return 16;
    case Value::Kind::kInteger: return 23;
    case Value::Kind::kDate: return 1082;
    case Value::Kind::kTimestamp: return 1184;
    default: return 25;
  }
}

SqlResult<Value> parse_typed_text(std::string_view text, ColumnType type) {
  switch (type) {
    case ColumnType::kSmallint:
    case ColumnType::kInteger:
    case ColumnType::kBigint: return parse_integer(text, type);
    case ColumnType::kBoolean: return parse_boolean(text);
    case ColumnType::kDate: return parse_date_time(text, false);
    case ColumnType::kTimestamptz: return parse_date_time(text, true);
    case ColumnType::kText: return Value::text_value(std::string(text));
  }
  return Value::text_value(std::string(text));
}

SqlResult<Value> coerce_to_column(const Value& value, const ColumnDef& column) {
  if (value.is_null()) return Value::null();
  const std::string type(type_name(column.type));
  auto mismatch = [&]() {
    return SqlError{"42804", "column \"" + column.name + "\" is of type " + type + " but expression is of another type"};
  };
  switch (column.type) {
    case ColumnType::kSmallint:
    case ColumnType::kInteger:
    case ColumnType::kBigint: {
      if (value.kind == Value::Kind::kUnknown) return parse_integer(value.text, column.type);
      if (value.kind != Value::Kind::kInteger) return mismatch();
      const int64_t limit = column.type == ColumnType::kSmallint  ? std::numeric_limits<int16_t>::max()
                            : column.type == ColumnType::kInteger ? std::numeric_limits<int32_t>::max()
                                                                  : std::numeric_limits<int64_t>::max();
      if (value.integer > limit || value.integer < -limit - 1) {
        return SqlError{"22003", std::string(column.type == ColumnType::kSmallint ? "smallint" : "integer") + " out of range"};
      }
      return value;
    }
    case ColumnType::kBoolean:
      if (value.kind == Value::Kind::kUnknown) return parse_boolean(value.text);
      if (value.kind != Value::Kind::kBoolean) return mismatch();
      return value;
    case ColumnType::kDate:
      if (value.kind == Value::Kind::kUnknown || value.kind == Value::Kind::kText) return parse_date_time(value.text, false);
      if (value.kind != Value::Kind::kDate) return mismatch();
      return value;
    case ColumnType::kTimestamptz:
      if (value.kind == Value::Kind::kUnknown || value.kind == Value::Kind::kText) return parse_date_time(value.text, true);
      if (value.kind == Value::Kind::kDate) return Value{Value::Kind::kTimestamp, value.integer * kMicrosPerDay, {}};
      if (value.kind != Value::Kind::kTimestamp) return mismatch();
      return value;
    case ColumnType::kText: {
      Value text = value.kind == Value::Kind::kText || value.kind == Value::Kind::kUnknown ? Value::text_value(value.text)
                                                                                           : Value::text_value(to_text(value));
      if (column.max_length >= 0 && static_cast<int64_t>(text.text.size()) > column.max_length) {
        return SqlError{"22001", "value too long for type character varying(" + std::to_string(column.max_length) + ")"};
      }
      return text;
    }
  }
  return mismatch();
}

std::string to_text(const Value& value) {
  switch (value.kind) {
    case Value::Kind::kNull: return "";
    case Value::Kind::kBoolean: return value.integer ? "t" : "f";
    case Value::Kind::kInteger: return std::to_string(value.integer);
    case Value::Kind::kText:
    case Value::Kind::kUnknown: return value.text;
    case Value::Kind::kDate:
    case Value::Kind::kTimestamp: {
      const bool is_date = value.kind == Value::Kind::kDate;
      int64_t days = is_date ? value.integer : value.integer / kMicrosPerDay;
      int64_t micros = is_date ? 0 : value.integer % kMicrosPerDay;
      if (micros < 0) {
        micros += kMicrosPerDay;
        --days;
      }
      int64_t year = 0;
      unsigned month = 0, day = 0;
      civil_from_days(days + kPostgresEpochDays, year, month, day);
      char buffer[64];
      if (is_date) {
        std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02u", static_cast<long long>(year), month, day);
        return buffer;
      }
      const int64_t seconds = micros / 1'000'000;
      std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02u %02lld:%02lld:%02lld", static_cast<long long>(year), month,
                    day, static_cast<long long>(seconds / 3600), static_cast<long long>(seconds / 60 % 60),
                    static_cast<long long>(seconds % 60));
      std::string out = buffer;
      if (micros % 1'000'000 != 0) {
        std::snprintf(buffer, sizeof buffer, ".%06lld", static_cast<long long>(micros % 1'000'000));
        std::string fraction = buffer;
        while (fraction.back() == '0') fraction.pop_back();
        out += fraction;
      }
      return out + "+00";
    }
  }
  return "";
}

weftkit::Datum to_datum(const Value& value) {
  weftkit::Datum datum;
  if (value.is_null()) return datum;
  datum.is_null = 0;
  if (value.kind == Value::Kind::kText || value.kind == Value::Kind::kUnknown) {
    datum.data = value.text.data();
    datum.length = static_cast<int64_t>(value.text.size());
  } else {
    datum.bits = value.integer;
  }
  return datum;
}

}  // namespace relational
