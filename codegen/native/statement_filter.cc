// Compiled or interpreted statement filters (see statement_filter.h).
#include "codegen/native/statement_filter.h"

#include <cstring>

#include "codegen/native/arrow_columns.h"
#include "codegen/native/native_values.h"

namespace weftkit::policy::native {

std::vector<Value> values_of(const NativeDatum* row, const TableDefinition& table) {
  std::vector<Value> values;
  values.reserve(table.columns.size());
  for (size_t index = 0; index < table.columns.size(); ++index) {
    values.push_back(value_of_datum(row[index], table.columns[index].type.id));
  }
  return values;
}

StatementFilter::StatementFilter(std::shared_ptr<const CompiledPlan> code, semantics::SessionValues session)
    : filter_(std::in_place_type<JitRowFilter>, std::move(code), std::move(session)) {}

StatementFilter::StatementFilter(std::shared_ptr<const BoundPlan> bound)
    : filter_(std::in_place_type<JitRowFilter>, std::move(bound)) {}

StatementFilter::StatementFilter(StatementPlan plan, semantics::SessionValues session, TableDefinition table)
    : filter_(std::in_place_type<Interpreted>, Interpreted{interp::RowFilter(std::move(plan), std::move(session)), std::move(table)}) {}

interp::RowOutcome StatementFilter::check(const NativeDatum* row, const NativeDatum* new_row) const {
  if (const auto* native = std::get_if<JitRowFilter>(&filter_)) return native->check_datums(row, new_row);
  const Interpreted& interpreted = std::get<Interpreted>(filter_);
  std::vector<Value> old_values = values_of(row, interpreted.table);
  if (new_row == nullptr) return interpreted.filter.check(old_values);
  std::vector<Value> new_values = values_of(new_row, interpreted.table);
  return interpreted.filter.check(old_values, &new_values);
}

std::optional<BatchOutcome> StatementFilter::filter_batch(const ArrowSchema& schema, const ArrowArray& batch,
                                                          const ArrowArray* new_batch, std::string& error) const {
  if (const auto* native = std::get_if<JitRowFilter>(&filter_)) return native->filter_batch(schema, batch, new_batch, error);
  const Interpreted& interpreted = std::get<Interpreted>(filter_);
  std::optional<NormalizedBatch::Pair> pair = NormalizedBatch::pair_from_arrow(schema, batch, new_batch, interpreted.table, error);
  if (!pair) return std::nullopt;
  const NormalizedBatch* rows = &pair->rows;
  const std::optional<NormalizedBatch>& new_rows = pair->new_rows;
  BatchOutcome out;
  out.selection.assign(static_cast<size_t>((rows->length() + 63) / 64), 0);
  std::vector<NativeDatum> old_datums;
  std::vector<NativeDatum> new_datums;
  for (int64_t row = 0; row < rows->length(); ++row) {
    rows->read_row(row, old_datums);
    if (new_rows) new_rows->read_row(row, new_datums);
    interp::RowOutcome outcome = check(old_datums.data(), new_rows ? new_datums.data() : nullptr);
    if (outcome.result == interp::RowResult::kPass) {
      out.selection[static_cast<size_t>(row / 64)] |= uint64_t{1} << (row % 64);
    } else if (outcome.result != interp::RowResult::kFiltered) {
      out.exceptions.emplace_back(row, std::move(outcome));
    }
  }
  return out;
}

}  // namespace weftkit::policy::native
