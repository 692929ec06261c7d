// Runs what the reference evaluator answered through the JIT as well — the row function, and
// the batch function over a batch of copies of the row long enough to take both its 64-row
// vector path and its one-row tail (copied_row_batch.h) — and says where they differ. Tests of
// the reference evaluator use it, and aot_agreement.h, so that each of them checks the JIT and
// ahead-of-time code too.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "codegen/interp/row_filter.h"
#include "codegen/native/compiled_row_filter.h"

namespace weftkit::policy::testing {

class JitAgreement {
 public:
  JitAgreement(const StatementPlan& plan, const TableDefinition& table, const semantics::SessionValues& session);

  // Why the plan was not compiled natively (empty when it was).
  const std::string& not_compiled_because() const { return not_compiled_because_; }

  // Empty when the JIT (row and batch) gives `expected` for the row; else what it gave.
  std::string disagreement(const interp::RowOutcome& expected, const std::vector<Value>& row,
                           const std::vector<Value>* new_row) const;

 private:
  std::string not_compiled_because_;
  std::optional<native::JitRowFilter> filter_;
  TableDefinition table_;
};

// "pass", "filtered", "violation: <message>", "error: <message>".
std::string describe_outcome(const interp::RowOutcome& outcome);

}  // namespace weftkit::policy::testing
