// One stored value of the example engine, before it goes into a column or after it comes out.
#pragma once

#include <cstdint>
#include <string>

namespace weftkit::embed {

// `integer` holds integer and bigint values, dates as days and timestamptz as microseconds
// since 1970-01-01 (the Arrow epoch); `text` holds text.
struct Cell {
  bool is_null = true;
  int64_t integer = 0;
  std::string text;

  static Cell null() { return {}; }
  static Cell of_integer(int64_t value) { return {false, value, {}}; }
  static Cell of_text(std::string value) { return {false, 0, std::move(value)}; }
  friend bool operator==(const Cell&, const Cell&) = default;
};

}  // namespace weftkit::embed
