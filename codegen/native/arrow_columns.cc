// Checking and normalising Arrow record batches for the generated batch code.
#include "codegen/native/arrow_columns.h"

#include <cstring>
#include <limits>

namespace weftkit::policy::native {
namespace {

size_t width_of(TypeId type) {
  switch (type) {
    case TypeId::kInt2: return 2;
    case TypeId::kInt4:
    case TypeId::kFloat4:
    case TypeId::kDate: return 4;
    default: return 8;
  }
}

bool bit_at(const void* bitmap, int64_t index) {
  return (static_cast<const uint8_t*>(bitmap)[index >> 3] >> (index & 7)) & 1;
}

// Bits [offset, offset + length) of an Arrow bitmap as whole words starting at bit 0, plus a
// spare word. Byte-wise: a copy when the offset is a multiple of 8, else each output byte from
// two neighbouring input bytes — never a read past the last byte that holds a wanted bit.
std::vector<uint64_t> realigned_bits(const void* bitmap, int64_t offset, int64_t length) {
  size_t words = static_cast<size_t>((length + 63) / 64) + 1;
  std::vector<uint64_t> out(words, 0);
  if (length == 0) return out;
  const auto* source = static_cast<const uint8_t*>(bitmap) + offset / 8;
  auto* target = reinterpret_cast<uint8_t*>(out.data());
  size_t bytes = static_cast<size_t>((length + 7) / 8);
  int shift = static_cast<int>(offset % 8);
  if (shift == 0) {
    std::memcpy(target, source, bytes);
    return out;
  }
  size_t last_source = static_cast<size_t>((offset % 8 + length - 1) / 8);  // relative to source
  for (size_t index = 0; index < bytes; ++index) {
    unsigned low = source[index] >> shift;
    unsigned high = index + 1 <= last_source ? static_cast<unsigned>(source[index + 1]) << (8 - shift) : 0;
    target[index] = static_cast<uint8_t>(low | high);
  }
  return out;
}

std::string column_label(size_t index, const TableDefinition& table) {
  return "column " + std::to_string(index + 1) + " (" + table.columns[index].name + ")";
}

}  // namespace

std::optional<std::string> arrow_format_of(TypeId type) {
  switch (type) {
    case TypeId::kBool: return "b";
    case TypeId::kInt2: return "s";
    case TypeId::kInt4: return "i";
    case TypeId::kInt8: return "l";
    case TypeId::kFloat4: return "f";
    case TypeId::kFloat8: return "g";
    case TypeId::kText: return "u";
    case TypeId::kDate: return "tdD";
    case TypeId::kTimestamp: return "tsu:";
    case TypeId::kTimestamptz: return "tsu:UTC";
    case TypeId::kNumeric: return "u";
    case TypeId::kUuid: return "w:16";
    default: return std::nullopt;
  }
}

std::optional<NormalizedBatch> NormalizedBatch::from_arrow(const ArrowSchema& schema, const ArrowArray& batch,
                                                           const TableDefinition& table, std::string& error) {
  auto fail = [&error](std::string message) -> std::optional<NormalizedBatch> {
    error = std::move(message);
    return std::nullopt;
  };
  if (schema.format == nullptr || std::strcmp(schema.format, "+s") != 0) {
    return fail("the batch must be an Arrow struct array (format \"+s\"), one child per column");
  }
  size_t column_count = table.columns.size();
  if (schema.n_children != static_cast<int64_t>(column_count) || batch.n_children != static_cast<int64_t>(column_count)) {
    return fail("the batch has " + std::to_string(batch.n_children) + " columns but table " + table.name.qualified() +
                " has " + std::to_string(column_count));
  }
  if (batch.length < 0 || batch.offset < 0) return fail("the batch has a negative length or offset");
  if (batch.null_count > 0) return fail("the batch's rows themselves cannot be NULL (only its columns' values)");

  NormalizedBatch out;
  out.length_ = batch.length;
  out.columns_.resize(column_count);
  out.owned_bitmaps_.reserve(column_count * 2 + 1);  // never reallocated: columns point into it
  out.owned_offsets_.reserve(column_count);
  const uint64_t* all_valid = nullptr;
  for (size_t index = 0; index < column_count; ++index) {
    TypeId type = table.columns[index].type.id;
    out.types_.push_back(type);
    const ArrowSchema* child_schema = schema.children[index];
    const ArrowArray* child = batch.children[index];
    if (child_schema == nullptr || child == nullptr) return fail(column_label(index, table) + " is missing");
    std::optional<std::string> expected = arrow_format_of(type);
    if (!expected) continue;  // never read by the generated code
    if (child_schema->format == nullptr || *expected != child_schema->format) {
      // Numeric and uuid columns in another format stay unread (has_column is false).
      if (type == TypeId::kNumeric || type == TypeId::kUuid) continue;
      return fail(column_label(index, table) + ": format \"" + std::string(child_schema->format ? child_schema->format : "") +
                  "\" but the table says " + std::string(type_name(type)) + " (\"" + *expected + "\")");
    }
    int64_t offset = child->offset + batch.offset;
    if (child->offset < 0 || child->length < batch.offset + batch.length) {
      return fail(column_label(index, table) + " is shorter than the batch");
    }
    const bool offsets_and_data = type == TypeId::kText || type == TypeId::kNumeric;
    int64_t buffers = offsets_and_data ? 3 : 2;
    // The C data interface lets a buffer of size zero be null: an empty batch needs none.
    bool empty = batch.length == 0;
    if (child->n_buffers != buffers || child->buffers == nullptr ||
        (!empty && (child->buffers[1] == nullptr || (offsets_and_data && child->buffers[2] == nullptr)))) {
      return fail(column_label(index, table) + " lacks its buffers");
    }
    NativeColumn& column = out.columns_[index];
    const void* validity = child->null_count == 0 ? nullptr : child->buffers[0];
    if (empty || validity == nullptr) {
      // Every row valid: one shared all-ones bitmap for all such columns of the batch.
      if (all_valid == nullptr) {
        out.owned_bitmaps_.emplace_back(static_cast<size_t>((batch.length + 63) / 64) + 1, ~uint64_t{0});
        all_valid = out.owned_bitmaps_.back().data();
      }
      column.validity = all_valid;
      if (empty) continue;
    } else {
      out.owned_bitmaps_.push_back(realigned_bits(validity, offset, batch.length));
      column.validity = out.owned_bitmaps_.back().data();
    }
    if (type == TypeId::kBool) {
      out.owned_bitmaps_.push_back(realigned_bits(child->buffers[1], offset, batch.length));
      column.values = out.owned_bitmaps_.back().data();
    } else if (offsets_and_data) {
      column.values = static_cast<const int32_t*>(child->buffers[1]) + offset;
      column.data = static_cast<const char*>(child->buffers[2]);
    } else if (type == TypeId::kUuid) {
      // Read like text: row i's 16 bytes at offsets i * 16.
      if (batch.length > (int64_t{INT32_MAX} - 16) / 16) {
        return fail(column_label(index, table) + ": a batch of uuids holds at most 134217726 rows");
      }
      std::vector<int32_t>& offsets = out.owned_offsets_.emplace_back(static_cast<size_t>(batch.length) + 1);
      for (size_t row = 0; row < offsets.size(); ++row) offsets[row] = static_cast<int32_t>(row * 16);
      column.values = offsets.data();
      column.data = static_cast<const char*>(child->buffers[1]) + offset * 16;
    } else {
      column.values = static_cast<const uint8_t*>(child->buffers[1]) + offset * static_cast<int64_t>(width_of(type));
    }
  }
  return out;
}

std::optional<NormalizedBatch::Pair> NormalizedBatch::pair_from_arrow(const ArrowSchema& schema, const ArrowArray& batch,
                                                                      const ArrowArray* new_batch,
                                                                      const TableDefinition& table, std::string& error) {
  std::optional<NormalizedBatch> rows = from_arrow(schema, batch, table, error);
  if (!rows) return std::nullopt;
  Pair pair{std::move(*rows), std::nullopt};
  if (new_batch == nullptr) return pair;
  pair.new_rows = from_arrow(schema, *new_batch, table, error);
  if (!pair.new_rows) {
    error = "new rows: " + error;
    return std::nullopt;
  }
  if (pair.new_rows->length() != pair.rows.length()) {
    error = "the batch has " + std::to_string(pair.rows.length()) + " rows but the new rows " +
            std::to_string(pair.new_rows->length()) + "; UPDATE pairs them one to one";
    return std::nullopt;
  }
  return pair;
}

void NormalizedBatch::read_row(int64_t row, std::vector<NativeDatum>& out) const {
  out.assign(columns_.size(), NativeDatum{});
  for (size_t index = 0; index < columns_.size(); ++index) {
    const NativeColumn& column = columns_[index];
    NativeDatum& datum = out[index];
    if (column.validity == nullptr) continue;  // a column the native code does not read
    datum.is_null = bit_at(column.validity, row) ? 0 : 1;
    switch (types_[index]) {
      case TypeId::kBool: datum.bits = bit_at(column.values, row) ? 1 : 0; break;
      case TypeId::kInt2: datum.bits = static_cast<const int16_t*>(column.values)[row]; break;
      case TypeId::kInt4: datum.bits = static_cast<const int32_t*>(column.values)[row]; break;
      case TypeId::kInt8: datum.bits = static_cast<const int64_t*>(column.values)[row]; break;
      case TypeId::kFloat4: {
        uint32_t bits;
        std::memcpy(&bits, static_cast<const uint8_t*>(column.values) + row * 4, sizeof bits);
        datum.bits = bits;
        break;
      }
      case TypeId::kFloat8: std::memcpy(&datum.bits, static_cast<const uint8_t*>(column.values) + row * 8, 8); break;
      case TypeId::kText:
      case TypeId::kNumeric:
      case TypeId::kUuid: {
        const int32_t* offsets = static_cast<const int32_t*>(column.values);
        datum.data = column.data + offsets[row];
        datum.length = offsets[row + 1] - offsets[row];
        break;
      }
      case TypeId::kDate: datum.bits = postgres_date_from_arrow(static_cast<const int32_t*>(column.values)[row]); break;
      case TypeId::kTimestamp:
      case TypeId::kTimestamptz:
        datum.bits = postgres_timestamp_from_arrow(static_cast<const int64_t*>(column.values)[row]);
        break;
      default: break;
    }
  }
}

}  // namespace weftkit::policy::native
