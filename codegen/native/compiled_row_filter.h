// A statement's row filter running JIT-compiled code: the same answers as the reference
// interp::RowFilter (pass, filtered, violation, error with PostgreSQL's message), for one row
// at a time or for a whole Arrow record batch. The statement's parameters (current_user,
// current_setting(...) and everything computed from them alone) are bound once, here.
#pragma once

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "codegen/interp/row_filter.h"
#include "codegen/semantics/session.h"
#include "codegen/native/compiled_plan.h"
#include "codegen/native/predicate_abi.h"
#include <weftkit/arrow_c_data.h>

namespace weftkit::policy::native {

// A batch's answer: bit i of `selection` set when row i passes; every row that is not a pass
// or a plain filter (violations and errors) listed with its outcome, in row order.
struct BatchOutcome {
  std::vector<uint64_t> selection;
  std::vector<std::pair<int64_t, interp::RowOutcome>> exceptions;
};

// A compiled plan with its parameters evaluated in one session: what a statement's filter
// runs. Immutable, so the statements of one principal share it: a principal's plan memo keeps
// it, and a statement with the principal's own settings neither evaluates a parameter nor
// copies the session (bench/README.md, runtime_row_latency).
class BoundPlan {
 public:
  BoundPlan(std::shared_ptr<const CompiledPlan> code, semantics::SessionValues session);
  BoundPlan(const BoundPlan&) = delete;
  BoundPlan& operator=(const BoundPlan&) = delete;

  const CompiledPlan& code() const { return *code_; }
  const std::shared_ptr<const CompiledPlan>& shared_code() const { return code_; }
  const semantics::SessionValues& session() const { return session_; }
  // Set when every row gets the same answer without running the code: kPass for a table
  // without row security (or a principal bypassing it), kError when planning raised an error.
  const std::optional<interp::RowResult>& fixed_result() const { return fixed_result_; }
  const std::optional<std::string>& statement_error() const { return statement_error_; }
  const NativeDatum* params() const { return params_.data(); }
  const std::string& param_error(size_t index) const { return param_errors_.at(index); }

 private:
  std::shared_ptr<const CompiledPlan> code_;
  semantics::SessionValues session_;
  std::optional<interp::RowResult> fixed_result_;
  std::optional<std::string> statement_error_;
  std::vector<Value> param_values_;            // own the text the datums point into
  std::deque<std::string> param_text_;         // and the numerics' text
  std::vector<NativeDatum> params_;
  std::vector<std::string> param_errors_;
};

class JitRowFilter {
 public:
  JitRowFilter(std::shared_ptr<const CompiledPlan> code, semantics::SessionValues session);
  explicit JitRowFilter(std::shared_ptr<const BoundPlan> bound);

  // As interp::RowFilter::check.
  interp::RowOutcome check(const std::vector<Value>& row, const std::vector<Value>* new_row = nullptr) const;
  // The same over rows already laid out as NativeDatums (no allocation).
  interp::RowOutcome check_datums(const NativeDatum* row, const NativeDatum* new_row) const;
  // check_datums' result without its message: one call into the generated code, nothing else.
  interp::RowResult result_datums(const NativeDatum* row, const NativeDatum* new_row) const {
    if (fixed_result_) return *fixed_result_;
    uint64_t code = row_function_(row, new_row != nullptr ? new_row : row, params_) & 0xFF;
    return code <= static_cast<uint64_t>(NativeResult::kError) ? static_cast<interp::RowResult>(code)
                                                              : interp::RowResult::kError;
  }

  // `batch` (with `schema`): an Arrow struct array with one child per table column, in the
  // formats of arrow_columns.h. UPDATE passes the new rows as `new_batch`, row for row.
  // Returns nullopt, with `error` saying why, when the batch does not fit the table.
  std::optional<BatchOutcome> filter_batch(const ArrowSchema& schema, const ArrowArray& batch,
                                           const ArrowArray* new_batch, std::string& error) const;

 private:
  interp::RowOutcome decode(uint64_t outcome, const NativeDatum* row, const NativeDatum* new_row) const;
  std::string site_error_message(uint32_t site, const NativeDatum* row, const NativeDatum* new_row) const;

  std::shared_ptr<const BoundPlan> bound_;
  // Copied out of bound_ so that a row costs no pointer chase before the call.
  std::optional<interp::RowResult> fixed_result_;
  PlanRowFunction row_function_ = nullptr;
  const NativeDatum* params_ = nullptr;
};

// Lays a row of Values out as NativeDatums (text and uuids point into the Values, numerics'
// text into `storage`).
std::vector<NativeDatum> to_native_datums(const std::vector<Value>& row, std::deque<std::string>& storage);
// The same for rows without numeric values (a numeric reads as NaN: use the form above).
std::vector<NativeDatum> to_native_datums(const std::vector<Value>& row);

}  // namespace weftkit::policy::native
