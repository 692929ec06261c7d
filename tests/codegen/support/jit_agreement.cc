// The JIT checked against the reference evaluator, row by row (see jit_agreement.h).
#include "tests/codegen/support/jit_agreement.h"

#include "codegen/llvm/jit_program.h"
#include "tests/codegen/support/copied_row_batch.h"

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

}  // namespace

std::string describe_outcome(const interp::RowOutcome& outcome) {
  std::string text = interp::row_result_name(outcome.result);
  if (!outcome.message.empty()) text += ": " + outcome.message;
  return text;
}

JitAgreement::JitAgreement(const StatementPlan& plan, const TableDefinition& table,
                           const semantics::SessionValues& session)
    : table_(table) {
  Result<std::shared_ptr<const native::CompiledPlan>> compiled = engine().compile_plan(plan, table);
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

  CopiedRowBatch copies(table_, row, new_row);
  if (!copies.representable()) return "";
  std::string error;
  std::optional<native::BatchOutcome> outcome =
      filter_->filter_batch(copies.schema(), copies.array(), copies.new_array(), error);
  if (!outcome) return "JIT batch refused the batch: " + error;
  return copies.disagreement(*outcome, want, "JIT batch");
}

}  // namespace weftkit::policy::testing
