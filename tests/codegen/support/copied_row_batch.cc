// Batches of copies of one row, and their answers checked copy by copy (see copied_row_batch.h).
#include "tests/codegen/support/copied_row_batch.h"

#include "tests/codegen/support/jit_agreement.h"

namespace weftkit::policy::testing {
namespace {

// 64 * 2 + 3 copies: two vector blocks and a tail of three.
constexpr size_t kCopies = 131;

}  // namespace

CopiedRowBatch::CopiedRowBatch(const TableDefinition& table, const std::vector<Value>& row,
                               const std::vector<Value>* new_row)
    : batch_(table, std::vector<std::vector<Value>>(kCopies, row), /*offset=*/3) {
  if (new_row != nullptr) new_batch_.emplace(table, std::vector<std::vector<Value>>(kCopies, *new_row), 5);
}

bool CopiedRowBatch::representable() const {
  return batch_.unrepresentable().empty() && (!new_batch_ || new_batch_->unrepresentable().empty());
}

std::string CopiedRowBatch::disagreement(const native::BatchOutcome& outcome, const std::string& want,
                                         const std::string& who) const {
  if (outcome.selection.size() != (kCopies + 63) / 64) {
    return who + ": " + std::to_string(outcome.selection.size()) + " selection words for " + std::to_string(kCopies) +
           " rows";
  }
  size_t next_exception = 0;
  for (size_t index = 0; index < kCopies; ++index) {
    interp::RowOutcome got;
    bool selected = (outcome.selection[index / 64] >> (index % 64)) & 1;
    if (next_exception < outcome.exceptions.size() &&
        outcome.exceptions[next_exception].first == static_cast<int64_t>(index)) {
      got = outcome.exceptions[next_exception++].second;
      if (selected) return who + ": row " + std::to_string(index) + " both selected and exceptional";
    } else {
      got.result = selected ? interp::RowResult::kPass : interp::RowResult::kFiltered;
    }
    std::string answer = describe_outcome(got);
    if (answer != want) return who + ", copy " + std::to_string(index) + ": " + answer;
  }
  if (next_exception != outcome.exceptions.size()) return who + ": exceptions out of row order or past the batch";
  return "";
}

}  // namespace weftkit::policy::testing
