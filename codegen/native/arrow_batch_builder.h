// Rows of Values laid out as an Arrow record batch (a struct array, one child per table
// column, in the formats of arrow_columns.h) — how `eval` and the tests hand rows to the batch
// code. The exported structs point into this object, which must outlive their use; their
// release callbacks only mark them released.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "compiler/ir/row_security.h"
#include "compiler/values/value.h"
#include <weftkit/arrow_c_data.h>

namespace weftkit::policy::native {

class ArrowBatchBuilder {
 public:
  // Columns of types without an Arrow format (none today) get an all-NULL int64 child.
  // `offset` > 0 exercises consumers: every child starts with that many unused slots.
  ArrowBatchBuilder(const TableDefinition& table, const std::vector<std::vector<Value>>& rows, int64_t offset = 0);
  ArrowBatchBuilder(const ArrowBatchBuilder&) = delete;
  ArrowBatchBuilder& operator=(const ArrowBatchBuilder&) = delete;
  ~ArrowBatchBuilder();

  const ArrowSchema& schema() const { return schema_; }
  const ArrowArray& array() const { return array_; }
  // Empty when every value fits its Arrow type; otherwise the first that does not (a timestamp
  // from 294247 AD on, beyond timestamp[us] since 1970), written as 0 — do not use the batch.
  const std::string& unrepresentable() const { return unrepresentable_; }

 private:
  struct Column;
  std::vector<std::unique_ptr<Column>> columns_;
  std::vector<ArrowSchema*> child_schemas_;
  std::vector<ArrowArray*> child_arrays_;
  ArrowSchema schema_{};
  ArrowArray array_{};
  std::string unrepresentable_;
};

}  // namespace weftkit::policy::native
