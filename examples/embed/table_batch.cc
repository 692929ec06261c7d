// Building the Arrow C data interface structs over a table's columns.
#include "examples/embed/table_batch.h"

namespace weftkit::embed {
namespace {

// The consumer (the runtime) only reads and never releases; the specification still wants a
// non-null release callback on a live struct. Releasing marks it released and frees nothing:
// the buffers belong to the table.
void release_schema(ArrowSchema* schema) { schema->release = nullptr; }
void release_array(ArrowArray* array) { array->release = nullptr; }

}  // namespace

TableBatch::TableBatch(const Table& table) {
  size_t count = table.columns().size();
  column_schemas_.resize(count);
  column_arrays_.resize(count);
  column_buffers_.resize(count);
  for (size_t index = 0; index < count; ++index) {
    const ColumnSchema& column = table.schema().columns[index];
    ArrowSchema& schema = column_schemas_[index];
    schema.format = arrow_format(column.type);
    schema.name = column.name.c_str();
    schema.flags = column.not_null ? 0 : ARROW_FLAG_NULLABLE;
    schema.release = release_schema;
    table.columns()[index].view(column_arrays_[index], column_buffers_[index].data());
    column_arrays_[index].release = release_array;
    column_schema_pointers_.push_back(&schema);
    column_array_pointers_.push_back(&column_arrays_[index]);
  }
  schema_.format = "+s";
  schema_.name = table.name().c_str();
  schema_.n_children = static_cast<int64_t>(count);
  schema_.children = column_schema_pointers_.data();
  schema_.release = release_schema;

  array_.length = table.row_count();
  array_.null_count = 0;
  array_.n_buffers = 1;
  array_.buffers = struct_buffers_;
  array_.n_children = static_cast<int64_t>(count);
  array_.children = column_array_pointers_.data();
  array_.release = release_array;
}

}  // namespace weftkit::embed
