// One row copied into an Arrow batch long enough to take a batch function's 64-row vector path
// twice and its one-row tail (131 copies), and the check that every copy got the reference's
// answer. Shared by the JIT and the ahead-of-time agreement checks.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "codegen/native/arrow_batch_builder.h"
#include "codegen/native/compiled_row_filter.h"

namespace weftkit::policy::testing {

class CopiedRowBatch {
 public:
  // `new_row` (UPDATE) is copied into a second batch, row for row. The children start at
  // different offsets, so that a consumer that ignores ArrowArray::offset gives wrong answers.
  CopiedRowBatch(const TableDefinition& table, const std::vector<Value>& row, const std::vector<Value>* new_row);

  // False when a value has no Arrow form (a timestamp from 294247 AD on): no batch to check.
  bool representable() const;
  const ArrowSchema& schema() const { return batch_.schema(); }
  const ArrowArray& array() const { return batch_.array(); }
  const ArrowArray* new_array() const { return new_batch_ ? &new_batch_->array() : nullptr; }

  // Empty when every copy's outcome in `outcome` is `want` (as describe_outcome writes it);
  // else the first copy that differs, after `who`.
  std::string disagreement(const native::BatchOutcome& outcome, const std::string& want,
                           const std::string& who) const;

 private:
  native::ArrowBatchBuilder batch_;
  std::optional<native::ArrowBatchBuilder> new_batch_;
};

}  // namespace weftkit::policy::testing
