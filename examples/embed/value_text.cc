// Text input and output of the example's column types.
#include "examples/embed/value_text.h"

#include <charconv>
#include <limits>

#include "examples/embed/civil_time.h"

namespace weftkit::embed {
namespace {

Status invalid_input(const ColumnSchema& column, const std::string& text) {
  return Status(StatusCode::kInvalidArgument,
                "invalid input syntax for type " + message_type_name(column) + ": \"" + text + "\"");
}

StatusOr<Cell> parse_integer(const ColumnSchema& column, const std::string& text, int64_t min, int64_t max) {
  int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [stop, error] = std::from_chars(text.data() + (text.starts_with('+') ? 1 : 0), end, value);
  if (error == std::errc::result_out_of_range || (error == std::errc() && stop == end && (value < min || value > max))) {
    return Status(StatusCode::kInvalidArgument,
                  "value \"" + text + "\" is out of range for type " + message_type_name(column));
  }
  if (error != std::errc() || stop != end || text.empty() || text.starts_with("+-")) return invalid_input(column, text);
  return Cell::of_integer(value);
}

template <class T>
StatusOr<Cell> from_parsed_time(const ColumnSchema& column, const std::string& text, const ParsedTime<T>& parsed) {
  if (parsed.value) return Cell::of_integer(*parsed.value);
  if (parsed.field_out_of_range) {
    return Status(StatusCode::kInvalidArgument, "date/time field value out of range: \"" + text + "\"");
  }
  return invalid_input(column, text);
}

// varchar(n) counts characters, not bytes: UTF-8 continuation bytes are not counted.
int64_t character_count(const std::string& text) {
  int64_t count = 0;
  for (unsigned char byte : text) count += (byte & 0xC0) != 0x80 ? 1 : 0;
  return count;
}

}  // namespace

StatusOr<Cell> parse_value(const ColumnSchema& column, const std::optional<std::string>& text) {
  if (!text) return Cell::null();
  switch (column.type) {
    case ColumnType::kInteger:
      return parse_integer(column, *text, std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max());
    case ColumnType::kBigint:
      return parse_integer(column, *text, std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max());
    case ColumnType::kText:
      if (column.max_length >= 0 && character_count(*text) > column.max_length) {
        return Status(StatusCode::kInvalidArgument, "value too long for type " + message_type_name(column));
      }
      return Cell::of_text(*text);
    case ColumnType::kDate: return from_parsed_time(column, *text, parse_iso_date(*text));
    case ColumnType::kTimestamptz: return from_parsed_time(column, *text, parse_iso_timestamptz(*text));
  }
  return Status(StatusCode::kInternal, "unknown column type");
}

std::string format_value(const ColumnSchema& column, const Cell& cell) {
  if (cell.is_null) return "NULL";
  switch (column.type) {
    case ColumnType::kInteger:
    case ColumnType::kBigint: return std::to_string(cell.integer);
    case ColumnType::kText: return cell.text;
    case ColumnType::kDate: return format_iso_date(static_cast<int32_t>(cell.integer));
    case ColumnType::kTimestamptz: return format_iso_timestamptz(cell.integer);
  }
  return "";
}

}  // namespace weftkit::embed
