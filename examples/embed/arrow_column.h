// One column of a table, stored as the Arrow C data interface lays it out: a validity bitmap
// (bit i set when row i is not NULL, least significant bit first), then int32 values (integer,
// date), int64 values (bigint, timestamptz), or int32 offsets plus UTF-8 bytes (text).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "examples/embed/catalog.h"
#include "examples/embed/cell.h"
#include <weftkit/arrow_c_data.h>

namespace weftkit::embed {

class ArrowColumn {
 public:
  explicit ArrowColumn(ColumnType type) : type_(type) {}

  int64_t length() const { return length_; }
  int64_t null_count() const { return null_count_; }

  void append(const Cell& cell);
  void set(int64_t row, const Cell& cell);
  Cell cell(int64_t row) const;

  // Fills `array` with this column's buffers, borrowed: `buffer_slots` must hold three
  // pointers and outlive `array`, and both are valid until the column next changes.
  void view(ArrowArray& array, const void** buffer_slots) const;

 private:
  bool is_valid(int64_t row) const { return (validity_[static_cast<size_t>(row >> 3)] >> (row & 7)) & 1; }
  void set_valid(int64_t row, bool valid);
  bool is_text() const { return type_ == ColumnType::kText; }
  bool is_wide() const { return type_ == ColumnType::kBigint || type_ == ColumnType::kTimestamptz; }

  ColumnType type_;
  int64_t length_ = 0;
  int64_t null_count_ = 0;
  std::vector<uint8_t> validity_;
  std::vector<int32_t> narrow_values_;  // integer, date (days)
  std::vector<int64_t> wide_values_;    // bigint, timestamptz (microseconds)
  std::vector<int32_t> offsets_{0};     // text: row i is bytes [offsets_[i], offsets_[i + 1])
  std::string bytes_;                   // text
};

}  // namespace weftkit::embed
