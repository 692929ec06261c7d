// A table's rows as one Arrow struct array ("+s", one child per column) with its schema: what
// StatementRowFilter::filter_batch reads. The batch borrows the table's buffers; it is valid
// while the table is not changed, and may be read by several threads at once.
#pragma once

#include <array>
#include <vector>

#include "examples/embed/table.h"
#include <weftkit/arrow_c_data.h>

namespace weftkit::embed {

class TableBatch {
 public:
  explicit TableBatch(const Table& table);
  // The structs point into this object: it stays where it was built.
  TableBatch(const TableBatch&) = delete;
  TableBatch& operator=(const TableBatch&) = delete;

  const ArrowSchema& schema() const { return schema_; }
  const ArrowArray& array() const { return array_; }

 private:
  std::vector<ArrowSchema> column_schemas_;
  std::vector<ArrowSchema*> column_schema_pointers_;
  std::vector<ArrowArray> column_arrays_;
  std::vector<ArrowArray*> column_array_pointers_;
  std::vector<std::array<const void*, 3>> column_buffers_;
  const void* struct_buffers_[1] = {nullptr};  // a struct array's only buffer: no validity, every row exists
  ArrowSchema schema_{};
  ArrowArray array_{};
};

}  // namespace weftkit::embed
