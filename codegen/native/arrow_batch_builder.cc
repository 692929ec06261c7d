// Building Arrow record batches from Values (see arrow_batch_builder.h).
#include "codegen/native/arrow_batch_builder.h"

#include <cstring>
#include <limits>
#include <string>

#include "codegen/native/arrow_columns.h"
#include "codegen/native/predicate_abi.h"

namespace weftkit::policy::native {
namespace {


void release_nothing_schema(ArrowSchema* schema) { schema->release = nullptr; }
void release_nothing_array(ArrowArray* array) { array->release = nullptr; }

void set_bit(std::vector<uint8_t>& bitmap, int64_t index) {
  bitmap[static_cast<size_t>(index >> 3)] |= static_cast<uint8_t>(1u << (index & 7));
}

template <class T>
void append(std::vector<uint8_t>& buffer, T value) {
  size_t at = buffer.size();
  buffer.resize(at + sizeof(T));
  std::memcpy(buffer.data() + at, &value, sizeof(T));
}

}  // namespace

struct ArrowBatchBuilder::Column {
  std::string format;
  std::string name;
  std::vector<uint8_t> validity;
  std::vector<uint8_t> values;
  std::vector<uint8_t> data;
  std::vector<const void*> buffers;
  ArrowSchema schema{};
  ArrowArray array{};
};

ArrowBatchBuilder::ArrowBatchBuilder(const TableDefinition& table, const std::vector<std::vector<Value>>& rows,
                                     int64_t offset) {
  int64_t slots = offset + static_cast<int64_t>(rows.size());
  for (size_t index = 0; index < table.columns.size(); ++index) {
    TypeId type = table.columns[index].type.id;
    auto column = std::make_unique<Column>();
    std::optional<std::string> format = arrow_format_of(type);
    bool readable = format.has_value();
    column->format = readable ? *format : "l";
    column->name = table.columns[index].name;
    column->validity.assign(static_cast<size_t>((slots + 7) / 8 + 8), 0);
    if (type == TypeId::kBool) column->values.assign(column->validity.size(), 0);
    const bool offsets_and_data = type == TypeId::kText || type == TypeId::kNumeric;
    if (offsets_and_data) append<int32_t>(column->values, 0);
    int64_t null_count = 0;
    for (int64_t slot = 0; slot < slots; ++slot) {
      const Value* value = slot >= offset ? &rows[static_cast<size_t>(slot - offset)][index] : nullptr;
      bool present = readable && value != nullptr && !value->is_null;
      if (present) {
        set_bit(column->validity, slot);
      } else {
        ++null_count;
      }
      switch (readable ? type : TypeId::kInt8) {
        case TypeId::kBool:
          if (present && value->integer != 0) set_bit(column->values, slot);
          break;
        case TypeId::kInt2: append<int16_t>(column->values, present ? static_cast<int16_t>(value->integer) : 0); break;
        case TypeId::kInt4: append<int32_t>(column->values, present ? static_cast<int32_t>(value->integer) : 0); break;
        case TypeId::kFloat4: append<float>(column->values, present ? static_cast<float>(value->real) : 0.0f); break;
        case TypeId::kFloat8: append<double>(column->values, present ? value->real : 0.0); break;
        case TypeId::kText:
        case TypeId::kNumeric: {
          std::string text = present ? format_value(*value) : std::string();
          column->data.insert(column->data.end(), text.begin(), text.end());
          append<int32_t>(column->values, static_cast<int32_t>(column->data.size()));
          break;
        }
        case TypeId::kUuid: {
          std::string bytes = present ? value->text : std::string();
          bytes.resize(16, '\0');
          column->values.insert(column->values.end(), bytes.begin(), bytes.end());
          break;
        }
        case TypeId::kDate: {
          int64_t days = present ? value->integer : 0;
          bool infinite = days == std::numeric_limits<int32_t>::max() || days == std::numeric_limits<int32_t>::min();
          append<int32_t>(column->values, static_cast<int32_t>(infinite ? days : days + kArrowEpochDays));
          break;
        }
        case TypeId::kTimestamp:
        case TypeId::kTimestamptz: {
          int64_t micros = present ? value->integer : 0;
          bool infinite = micros == std::numeric_limits<int64_t>::max() || micros == std::numeric_limits<int64_t>::min();
          if (!infinite && micros >= std::numeric_limits<int64_t>::max() - kArrowEpochMicros) {
            if (unrepresentable_.empty()) {
              unrepresentable_ = "column " + std::to_string(index + 1) + " (" + column->name + "): " +
                                 format_value(*value) + " is beyond what Arrow's timestamp[us] can hold";
            }
            micros = 0;
          }
          append<int64_t>(column->values, infinite ? micros : micros + kArrowEpochMicros);
          break;
        }
        default: append<int64_t>(column->values, present ? value->integer : 0); break;
      }
    }
    // Valid pointers even for no rows or no bytes (consumers may also accept null ones).
    if (column->data.empty()) column->data.push_back(0);
    if (column->values.empty()) column->values.push_back(0);
    column->buffers = {column->validity.data(), column->values.data()};
    if (offsets_and_data) column->buffers.push_back(column->data.data());
    column->schema.format = column->format.c_str();
    column->schema.name = column->name.c_str();
    column->schema.flags = ARROW_FLAG_NULLABLE;
    column->schema.release = release_nothing_schema;
    column->array.length = slots;
    column->array.null_count = null_count;
    column->array.offset = 0;
    column->array.n_buffers = static_cast<int64_t>(column->buffers.size());
    column->array.buffers = column->buffers.data();
    column->array.release = release_nothing_array;
    child_schemas_.push_back(&column->schema);
    child_arrays_.push_back(&column->array);
    columns_.push_back(std::move(column));
  }
  static const void* const kNoBuffers[1] = {nullptr};
  schema_.format = "+s";
  schema_.name = "";
  schema_.n_children = static_cast<int64_t>(child_schemas_.size());
  schema_.children = child_schemas_.data();
  schema_.release = release_nothing_schema;
  array_.length = static_cast<int64_t>(rows.size());
  array_.offset = offset;
  array_.n_buffers = 1;
  array_.buffers = const_cast<const void**>(kNoBuffers);
  array_.n_children = static_cast<int64_t>(child_arrays_.size());
  array_.children = child_arrays_.data();
  array_.release = release_nothing_array;
}

ArrowBatchBuilder::~ArrowBatchBuilder() = default;

}  // namespace weftkit::policy::native
