// Test batches in the Arrow C data interface's layout.
#include "tests/runtime/c_api_arrow_batch.h"

namespace weftkit::c_api_testing {

ArrowBatch::ArrowBatch(std::vector<Column> columns) : columns_(std::move(columns)) {
  size_t count = columns_.size();
  length_ = count == 0 ? 0 : static_cast<int64_t>(columns_[0].length());
  child_schemas_.resize(count);
  children_.resize(count);
  validity_.resize(count);
  int64s_.resize(count);
  int32s_.resize(count);
  offsets_.resize(count);
  bytes_.resize(count);
  buffers_.resize(count);
  for (size_t index = 0; index < count; ++index) build_child(index);
  schema_.format = "+s";
  schema_.n_children = static_cast<int64_t>(count);
  for (ArrowSchema& child : child_schemas_) child_schema_pointers_.push_back(&child);
  schema_.children = child_schema_pointers_.data();
  array_.length = length_;
  array_.n_buffers = 1;
  array_.buffers = struct_buffers_;
  array_.n_children = static_cast<int64_t>(count);
  for (ArrowArray& child : children_) child_pointers_.push_back(&child);
  array_.children = child_pointers_.data();
}

void ArrowBatch::build_child(size_t index) {
  const Column& column = columns_[index];
  ArrowSchema& schema = child_schemas_[index];
  schema.format = column.format.c_str();
  schema.flags = ARROW_FLAG_NULLABLE;
  ArrowArray& child = children_[index];
  child.length = length_;
  validity_[index].assign(static_cast<size_t>((length_ + 7) / 8), 0);
  for (size_t row = 0; row < column.length(); ++row) {
    if (column.is_null(row)) {
      ++child.null_count;
    } else {
      validity_[index][row / 8] |= static_cast<uint8_t>(1u << (row % 8));
    }
  }
  buffers_[index][0] = validity_[index].data();
  child.n_buffers = 2;
  if (column.format == "u") {
    offsets_[index].push_back(0);
    for (const auto& text : column.texts) {
      bytes_[index] += text.value_or("");
      offsets_[index].push_back(static_cast<int32_t>(bytes_[index].size()));
    }
    buffers_[index][1] = offsets_[index].data();
    buffers_[index][2] = bytes_[index].data();
    child.n_buffers = 3;
  } else if (column.format == "i" || column.format == "tdD") {
    // An empty column's buffers may be NULL (vector::data() of nothing), as Arrow allows.
    for (const auto& value : column.integers) int32s_[index].push_back(static_cast<int32_t>(value.value_or(0)));
    buffers_[index][1] = int32s_[index].data();
  } else {
    for (const auto& value : column.integers) int64s_[index].push_back(value.value_or(0));
    buffers_[index][1] = int64s_[index].data();
  }
  child.buffers = buffers_[index].data();
}

}  // namespace weftkit::c_api_testing
