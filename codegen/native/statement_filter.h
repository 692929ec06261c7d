// One statement's row filter, whichever way its plan runs: compiled code (JitRowFilter over a
// CompiledPlan) or, for a plan holding a construct the code generator does not lower, the
// reference interpreter. Same answers either way; used by the in-process versions and by
// ahead-of-time modules. No LLVM here.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "codegen/interp/row_filter.h"
#include "codegen/native/compiled_row_filter.h"

namespace weftkit::policy::native {

class StatementFilter {
 public:
  StatementFilter(std::shared_ptr<const CompiledPlan> code, semantics::SessionValues session);
  explicit StatementFilter(std::shared_ptr<const BoundPlan> bound);
  StatementFilter(StatementPlan plan, semantics::SessionValues session, TableDefinition table);

  bool compiled() const { return std::holds_alternative<JitRowFilter>(filter_); }
  interp::RowOutcome check(const NativeDatum* row, const NativeDatum* new_row) const;
  // check's result without its message; compiled code answers without allocating.
  interp::RowResult result(const NativeDatum* row, const NativeDatum* new_row) const {
    if (const auto* native = std::get_if<JitRowFilter>(&filter_)) return native->result_datums(row, new_row);
    return check(row, new_row).result;
  }
  std::optional<BatchOutcome> filter_batch(const ArrowSchema& schema, const ArrowArray& batch,
                                           const ArrowArray* new_batch, std::string& error) const;

 private:
  struct Interpreted {
    interp::RowFilter filter;
    TableDefinition table;
  };
  std::variant<JitRowFilter, Interpreted> filter_;
};

// A row of NativeDatums as Values of the table's column types (for the interpreter).
std::vector<Value> values_of(const NativeDatum* row, const TableDefinition& table);

}  // namespace weftkit::policy::native
