// Binding a statement's parameters and running JIT-compiled plan code (see jit_row_filter.h).
#include "codegen/llvm/jit_row_filter.h"

#include <cstring>

#include "codegen/interp/expr_evaluator.h"
#include "codegen/llvm/arrow_columns.h"
#include "compiler/values/sql_error.h"

namespace weftkit::policy::llvm_backend {
namespace {

NativeDatum to_native_datum(const Value& value) {
  NativeDatum datum;
  datum.is_null = value.is_null ? 1 : 0;
  if (value.is_null) return datum;
  switch (value.type) {
    case TypeId::kFloat8: std::memcpy(&datum.bits, &value.real, sizeof datum.bits); break;
    case TypeId::kFloat4: {
      float single = static_cast<float>(value.real);
      uint32_t bits;
      std::memcpy(&bits, &single, sizeof bits);
      datum.bits = bits;
      break;
    }
    case TypeId::kText:
    case TypeId::kUnknown:
      datum.data = value.text.c_str();
      datum.length = static_cast<int64_t>(value.text.size());
      break;
    default: datum.bits = value.integer; break;
  }
  return datum;
}

}  // namespace

std::vector<NativeDatum> to_native_datums(const std::vector<Value>& row) {
  std::vector<NativeDatum> out;
  out.reserve(row.size());
  for (const Value& value : row) out.push_back(to_native_datum(value));
  return out;
}

JitRowFilter::JitRowFilter(std::shared_ptr<const JitPlan> code, interp::SessionValues session)
    : code_(std::move(code)), session_(std::move(session)) {
  const StatementPlan& plan = code_->plan();
  if (!plan.filtered_by_row_security) return;
  if (plan.plan_error) {
    statement_error_ = *plan.plan_error;
    return;
  }
  static const std::vector<Value> kNoRow;
  // What the planner evaluates happens once per statement, before any row.
  try {
    for (const Expr& probe : plan.estimation_probes) interp::evaluate(probe, kNoRow, session_);
  } catch (const SqlError& error) {
    statement_error_ = error.what();
    return;
  }
  // Each parameter once; an error is kept and raised only in rows whose evaluation reaches it.
  const std::vector<const Expr*>& params = code_->layout().params;
  param_values_.reserve(params.size());
  param_errors_.resize(params.size());
  for (size_t index = 0; index < params.size(); ++index) {
    try {
      param_values_.push_back(interp::evaluate(*params[index], kNoRow, session_));
    } catch (const SqlError& error) {
      param_values_.push_back(Value::null_of(params[index]->type.id));
      param_errors_[index] = error.what();
    }
  }
  params_ = to_native_datums(param_values_);
  for (size_t index = 0; index < params.size(); ++index) params_[index].is_error = param_errors_[index].empty() ? 0 : 1;
}

interp::RowOutcome JitRowFilter::decode(uint64_t outcome) const {
  uint32_t detail = outcome_detail(outcome);
  switch (outcome_result(outcome)) {
    case NativeResult::kPass: return {};
    case NativeResult::kFiltered: return {interp::RowResult::kFiltered, {}};
    case NativeResult::kViolation:
      return {interp::RowResult::kViolation, code_->plan().new_row_checks.at(detail).violation_message};
    case NativeResult::kError:
      if (detail >= kFirstParameterError) return {interp::RowResult::kError, param_errors_.at(detail - kFirstParameterError)};
      return {interp::RowResult::kError, native_error_message(detail)};
  }
  return {interp::RowResult::kError, "internal error: unknown outcome from generated code"};
}

interp::RowOutcome JitRowFilter::check_datums(const NativeDatum* row, const NativeDatum* new_row) const {
  if (!code_->plan().filtered_by_row_security) return {};
  if (statement_error_) return {interp::RowResult::kError, *statement_error_};
  return decode(code_->row_function()(row, new_row != nullptr ? new_row : row, params_.data()));
}

interp::RowOutcome JitRowFilter::check(const std::vector<Value>& row, const std::vector<Value>* new_row) const {
  std::vector<NativeDatum> old_datums = to_native_datums(row);
  std::vector<NativeDatum> new_datums;
  if (new_row != nullptr) new_datums = to_native_datums(*new_row);
  return check_datums(old_datums.data(), new_row != nullptr ? new_datums.data() : nullptr);
}

std::optional<BatchOutcome> JitRowFilter::filter_batch(const ArrowSchema& schema, const ArrowArray& batch,
                                                       const ArrowArray* new_batch, std::string& error) const {
  const TableDefinition& table = code_->table();
  std::optional<NormalizedBatch::Pair> pair = NormalizedBatch::pair_from_arrow(schema, batch, new_batch, table, error);
  if (!pair) return std::nullopt;
  const NormalizedBatch* rows = &pair->rows;
  const std::optional<NormalizedBatch>& new_rows = pair->new_rows;
  int64_t length = rows->length();
  size_t words = static_cast<size_t>((length + 63) / 64);
  BatchOutcome out;
  out.selection.assign(words, 0);
  const StatementPlan& plan = code_->plan();
  auto all_rows_are = [&](const interp::RowOutcome& outcome) {
    for (int64_t row = 0; row < length; ++row) {
      if (outcome.result == interp::RowResult::kPass) {
        out.selection[static_cast<size_t>(row >> 6)] |= uint64_t{1} << (row & 63);
      } else {
        out.exceptions.emplace_back(row, outcome);
      }
    }
    return out;
  };
  if (!plan.filtered_by_row_security) return all_rows_are({});
  if (statement_error_) return all_rows_are({interp::RowResult::kError, *statement_error_});

  std::vector<uint64_t> exceptions(words, 0);
  const NativeColumn* new_columns = new_rows ? new_rows->columns() : rows->columns();
  code_->batch_function()(rows->columns(), new_columns, length, params_.data(), out.selection.data(), exceptions.data());
  // The rare rows that need more than a bit: ask the row function what happened.
  std::vector<NativeDatum> old_datums;
  std::vector<NativeDatum> new_datums;
  for (size_t word = 0; word < words; ++word) {
    for (uint64_t bits = exceptions[word]; bits != 0; bits &= bits - 1) {
      int64_t row = static_cast<int64_t>(word * 64) + __builtin_ctzll(bits);
      rows->read_row(row, old_datums);
      if (new_rows) new_rows->read_row(row, new_datums);
      out.exceptions.emplace_back(row, check_datums(old_datums.data(), new_rows ? new_datums.data() : nullptr));
    }
  }
  return out;
}

}  // namespace weftkit::policy::llvm_backend
