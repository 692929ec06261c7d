// Appending to, updating and viewing an Arrow-layout column.
#include "examples/embed/arrow_column.h"

namespace weftkit::embed {
namespace {

// Arrow wants a non-null values buffer even for a column without rows.
const int64_t kEmptyBuffer[1] = {0};

const void* or_empty(const void* data) { return data != nullptr ? data : kEmptyBuffer; }

// The SQL NULL's slot still holds a value in Arrow (it is ignored): zero, or no bytes.
const Cell kNullSlot = Cell::of_integer(0);

}  // namespace

void ArrowColumn::set_valid(int64_t row, bool valid) {
  uint8_t& byte = validity_[static_cast<size_t>(row >> 3)];
  uint8_t bit = static_cast<uint8_t>(1u << (row & 7));
  byte = valid ? (byte | bit) : (byte & ~bit);
}

void ArrowColumn::append(const Cell& cell) {
  const Cell& stored = cell.is_null ? kNullSlot : cell;
  if (length_ % 8 == 0) validity_.push_back(0);
  set_valid(length_, !cell.is_null);
  null_count_ += cell.is_null ? 1 : 0;
  if (is_text()) {
    bytes_ += stored.text;
    offsets_.push_back(static_cast<int32_t>(bytes_.size()));
  } else if (is_wide()) {
    wide_values_.push_back(stored.integer);
  } else {
    narrow_values_.push_back(static_cast<int32_t>(stored.integer));
  }
  ++length_;
}

void ArrowColumn::set(int64_t row, const Cell& cell) {
  const Cell& stored = cell.is_null ? kNullSlot : cell;
  null_count_ += (cell.is_null ? 1 : 0) - (is_valid(row) ? 0 : 1);
  set_valid(row, !cell.is_null);
  size_t index = static_cast<size_t>(row);
  if (is_text()) {
    // Splice the bytes and shift the offsets of every later row by the change in length.
    int32_t begin = offsets_[index];
    int32_t old_length = offsets_[index + 1] - begin;
    int32_t delta = static_cast<int32_t>(stored.text.size()) - old_length;
    bytes_.replace(static_cast<size_t>(begin), static_cast<size_t>(old_length), stored.text);
    for (size_t later = index + 1; later < offsets_.size(); ++later) offsets_[later] += delta;
  } else if (is_wide()) {
    wide_values_[index] = stored.integer;
  } else {
    narrow_values_[index] = static_cast<int32_t>(stored.integer);
  }
}

Cell ArrowColumn::cell(int64_t row) const {
  if (!is_valid(row)) return Cell::null();
  size_t index = static_cast<size_t>(row);
  if (is_text()) {
    return Cell::of_text(bytes_.substr(static_cast<size_t>(offsets_[index]),
                                       static_cast<size_t>(offsets_[index + 1] - offsets_[index])));
  }
  return Cell::of_integer(is_wide() ? wide_values_[index] : narrow_values_[index]);
}

void ArrowColumn::view(ArrowArray& array, const void** buffer_slots) const {
  buffer_slots[0] = or_empty(validity_.data());
  if (is_text()) {
    buffer_slots[1] = offsets_.data();
    buffer_slots[2] = bytes_.data();
  } else {
    buffer_slots[1] = or_empty(is_wide() ? static_cast<const void*>(wide_values_.data()) : narrow_values_.data());
    buffer_slots[2] = nullptr;
  }
  array = ArrowArray{};
  array.length = length_;
  array.null_count = null_count_;
  array.offset = 0;
  array.n_buffers = is_text() ? 3 : 2;
  array.n_children = 0;
  array.buffers = buffer_slots;
}

}  // namespace weftkit::embed
