// Binding a statement's parameters and running JIT-compiled plan code (see compiled_row_filter.h).
#include "codegen/native/compiled_row_filter.h"

#include <cstring>

#include "codegen/interp/expr_evaluator.h"
#include "codegen/native/arrow_columns.h"
#include "codegen/native/native_values.h"
#include "codegen/native/statement_filter.h"
#include "compiler/values/sql_error.h"

namespace weftkit::policy::native {
namespace {

}  // namespace

std::vector<NativeDatum> to_native_datums(const std::vector<Value>& row, std::deque<std::string>& storage) {
  std::vector<NativeDatum> out;
  out.reserve(row.size());
  for (const Value& value : row) out.push_back(datum_of_value(value, storage));
  return out;
}

std::vector<NativeDatum> to_native_datums(const std::vector<Value>& row) {
  std::vector<NativeDatum> out;
  out.reserve(row.size());
  for (const Value& value : row) {
    std::deque<std::string> no_storage;
    if (value.type == TypeId::kNumeric && !value.is_null) {
      // No storage for its text: NULL would be wrong silently; the empty text reads as NaN.
      NativeDatum datum;
      datum.is_null = 0;
      out.push_back(datum);
      continue;
    }
    out.push_back(datum_of_value(value, no_storage));
  }
  return out;
}

BoundPlan::BoundPlan(std::shared_ptr<const CompiledPlan> code, semantics::SessionValues session)
    : code_(std::move(code)), session_(std::move(session)) {
  const StatementPlan& plan = code_->plan();
  if (!plan.filtered_by_row_security) {
    fixed_result_ = interp::RowResult::kPass;
    return;
  }
  if (plan.plan_error) {
    statement_error_ = *plan.plan_error;
    fixed_result_ = interp::RowResult::kError;
    return;
  }
  static const std::vector<Value> kNoRow;
  // What the planner evaluates happens once per statement, before any row.
  try {
    for (const Expr& probe : plan.estimation_probes) interp::evaluate(probe, kNoRow, session_);
  } catch (const SqlError& error) {
    statement_error_ = error.what();
    fixed_result_ = interp::RowResult::kError;
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
  params_ = to_native_datums(param_values_, param_text_);
  for (size_t index = 0; index < params.size(); ++index) params_[index].is_error = param_errors_[index].empty() ? 0 : 1;
}

JitRowFilter::JitRowFilter(std::shared_ptr<const CompiledPlan> code, semantics::SessionValues session)
    : JitRowFilter(std::make_shared<const BoundPlan>(std::move(code), std::move(session))) {}

JitRowFilter::JitRowFilter(std::shared_ptr<const BoundPlan> bound)
    : bound_(std::move(bound)),
      fixed_result_(bound_->fixed_result()),
      row_function_(bound_->code().row_function()),
      params_(bound_->params()) {}

std::string JitRowFilter::site_error_message(uint32_t site, const NativeDatum* row, const NativeDatum* new_row) const {
  const NativePlanLayout& layout = bound_->code().layout();
  if (site >= layout.error_sites.size()) return "internal error: unknown error site in generated code";
  const NativePlanLayout::ErrorSite& error_site = layout.error_sites[site];
  // The node's arguments evaluate as they did in the generated code (without error: the node's
  // own error is the first), so evaluating the node raises its error again.
  try {
    std::vector<Value> values = values_of(error_site.new_row ? new_row : row, bound_->code().table());
    interp::evaluate(*error_site.node, values, bound_->session());
  } catch (const SqlError& error) {
    return error.what();
  } catch (const std::bad_alloc&) {
    return native_error_message(kOutOfMemory);
  }
  return "internal error: generated code raised an error at " + error_site.node->where.to_string() +
         " that the reference evaluator does not";
}

interp::RowOutcome JitRowFilter::decode(uint64_t outcome, const NativeDatum* row, const NativeDatum* new_row) const {
  uint32_t detail = outcome_detail(outcome);
  switch (outcome_result(outcome)) {
    case NativeResult::kPass: return {};
    case NativeResult::kFiltered: return {interp::RowResult::kFiltered, {}};
    case NativeResult::kViolation:
      return {interp::RowResult::kViolation, bound_->code().plan().new_row_checks.at(detail).violation_message};
    case NativeResult::kError:
      if (detail >= kFirstSiteError) return {interp::RowResult::kError, site_error_message(detail - kFirstSiteError, row, new_row)};
      if (detail >= kFirstParameterError) return {interp::RowResult::kError, bound_->param_error(detail - kFirstParameterError)};
      return {interp::RowResult::kError, native_error_message(detail)};
  }
  return {interp::RowResult::kError, "internal error: unknown outcome from generated code"};
}

interp::RowOutcome JitRowFilter::check_datums(const NativeDatum* row, const NativeDatum* new_row) const {
  if (fixed_result_) {
    if (*fixed_result_ == interp::RowResult::kPass) return {};
    return {*fixed_result_, bound_->statement_error().value_or("")};
  }
  const NativeDatum* checked_new_row = new_row != nullptr ? new_row : row;
  return decode(row_function_(row, checked_new_row, params_), row, checked_new_row);
}

interp::RowOutcome JitRowFilter::check(const std::vector<Value>& row, const std::vector<Value>* new_row) const {
  std::deque<std::string> storage;
  std::vector<NativeDatum> old_datums = to_native_datums(row, storage);
  std::vector<NativeDatum> new_datums;
  if (new_row != nullptr) new_datums = to_native_datums(*new_row, storage);
  return check_datums(old_datums.data(), new_row != nullptr ? new_datums.data() : nullptr);
}

std::optional<BatchOutcome> JitRowFilter::filter_batch(const ArrowSchema& schema, const ArrowArray& batch,
                                                       const ArrowArray* new_batch, std::string& error) const {
  const CompiledPlan& code = bound_->code();
  const TableDefinition& table = code.table();
  std::optional<NormalizedBatch::Pair> pair = NormalizedBatch::pair_from_arrow(schema, batch, new_batch, table, error);
  if (!pair) return std::nullopt;
  const NormalizedBatch* rows = &pair->rows;
  const std::optional<NormalizedBatch>& new_rows = pair->new_rows;
  int64_t length = rows->length();
  size_t words = static_cast<size_t>((length + 63) / 64);
  BatchOutcome out;
  out.selection.assign(words, 0);
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
  if (fixed_result_) {
    if (*fixed_result_ == interp::RowResult::kPass) return all_rows_are({});
    return all_rows_are({*fixed_result_, bound_->statement_error().value_or("")});
  }

  // A numeric or uuid column the code reads must be in the format it reads.
  for (uint32_t column : code.layout().columns_read) {
    for (const NormalizedBatch* normalized : {rows, new_rows ? &*new_rows : nullptr}) {
      if (normalized == nullptr || normalized->has_column(column)) continue;
      TypeId type = table.columns[column].type.id;
      error = "column " + std::to_string(column + 1) + " (" + table.columns[column].name + "): the plan reads this " +
              std::string(type_name(type)) + " column, which a batch must hold as \"" + *arrow_format_of(type) + "\"";
      return std::nullopt;
    }
  }

  std::vector<uint64_t> exceptions(words, 0);
  const NativeColumn* new_columns = new_rows ? new_rows->columns() : rows->columns();
  code.batch_function()(rows->columns(), new_columns, length, params_, out.selection.data(), exceptions.data());
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

}  // namespace weftkit::policy::native
