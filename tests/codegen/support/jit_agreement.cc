// The JIT checked against the reference evaluator, row by row (see jit_agreement.h).
#include "tests/codegen/support/jit_agreement.h"

#include "codegen/llvm/arrow_batch_builder.h"
#include "codegen/llvm/jit_program.h"

namespace weftkit::policy::testing {
namespace {

llvm_backend::JitEngine& engine() {
  static llvm_backend::JitEngine* shared = [] {
    Result<llvm_backend::JitEngine> created = llvm_backend::JitEngine::create();
    if (!created.ok()) return static_cast<llvm_backend::JitEngine*>(nullptr);
    return new llvm_backend::JitEngine(std::move(created).value());
  }();
  return *shared;
}

// 64 * 2 + 3 copies: two vector blocks and a tail of three.
constexpr size_t kCopies = 131;

}  // namespace

std::string describe_outcome(const interp::RowOutcome& outcome) {
  std::string text = interp::row_result_name(outcome.result);
  if (!outcome.message.empty()) text += ": " + outcome.message;
  return text;
}

JitAgreement::JitAgreement(const StatementPlan& plan, const TableDefinition& table,
                           const interp::SessionValues& session)
    : table_(table) {
  Result<std::shared_ptr<const llvm_backend::JitPlan>> compiled = engine().compile_plan(plan, table);
  if (!compiled.ok()) {
    for (const Diagnostic& diagnostic : compiled.diagnostics().all()) not_compiled_because_ += diagnostic.message;
    return;
  }
  filter_.emplace(compiled.value(), session);
}

std::string JitAgreement::disagreement(const interp::RowOutcome& expected, const std::vector<Value>& row,
                                       const std::vector<Value>* new_row) const {
  if (!filter_) return "";  // not compiled: nothing to compare (callers report the reason)
  std::string want = describe_outcome(expected);
  std::string row_answer = describe_outcome(filter_->check(row, new_row));
  if (row_answer != want) return "JIT row function: " + row_answer;

  std::vector<std::vector<Value>> rows(kCopies, row);
  llvm_backend::ArrowBatchBuilder batch(table_, rows, /*offset=*/3);
  std::optional<llvm_backend::ArrowBatchBuilder> new_batch;
  if (new_row != nullptr) new_batch.emplace(table_, std::vector<std::vector<Value>>(kCopies, *new_row), 5);
  // A value Arrow's types cannot carry (a timestamp from 294247 AD on) has no batch to check.
  if (!batch.unrepresentable().empty() || (new_batch && !new_batch->unrepresentable().empty())) return "";
  std::string error;
  std::optional<llvm_backend::BatchOutcome> outcome =
      filter_->filter_batch(batch.schema(), batch.array(), new_batch ? &new_batch->array() : nullptr, error);
  if (!outcome) return "JIT batch refused the batch: " + error;
  size_t next_exception = 0;
  for (size_t index = 0; index < kCopies; ++index) {
    interp::RowOutcome got;
    bool selected = (outcome->selection[index / 64] >> (index % 64)) & 1;
    if (next_exception < outcome->exceptions.size() &&
        outcome->exceptions[next_exception].first == static_cast<int64_t>(index)) {
      got = outcome->exceptions[next_exception++].second;
      if (selected) return "JIT batch: row " + std::to_string(index) + " both selected and exceptional";
    } else {
      got.result = selected ? interp::RowResult::kPass : interp::RowResult::kFiltered;
    }
    std::string batch_answer = describe_outcome(got);
    if (batch_answer != want) return "JIT batch, copy " + std::to_string(index) + ": " + batch_answer;
  }
  return "";
}

}  // namespace weftkit::policy::testing
