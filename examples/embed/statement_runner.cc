// SELECT, INSERT and UPDATE through a Statement's row filter.
#include "examples/embed/statement_runner.h"

#include "examples/embed/row_datums.h"
#include "examples/embed/table_batch.h"

namespace weftkit::embed {
namespace {

// A statement in progress: the version it pinned, held to its end, and its row filter.
struct OpenStatement {
  Statement statement;
  std::unique_ptr<const StatementRowFilter> filter;
};

StatusOr<OpenStatement> open_statement(SecurityContext& context, const Table& table, const StatementShape& shape) {
  StatusOr<Statement> statement = context.begin_statement();
  if (!statement.is_ok()) return statement.status();
  StatusOr<std::unique_ptr<const StatementRowFilter>> filter = statement.value().row_filter(table.name(), shape);
  if (!filter.is_ok()) return filter.status();
  return OpenStatement{std::move(statement).value(), std::move(filter).value()};
}

// A violation is a refusal; an error is the policy failing on the row's data (a bad cast, a
// division by zero). Either fails the statement with PostgreSQL's message.
Status row_error(const RowOutcome& outcome) {
  return Status(outcome.result == RowResult::kViolation ? StatusCode::kPermissionDenied : StatusCode::kInvalidArgument,
                outcome.message);
}

}  // namespace

StatusOr<std::vector<int64_t>> select_all(SecurityContext& context, const Table& table) {
  StatusOr<OpenStatement> open = open_statement(context, table, {Command::kSelect});
  if (!open.is_ok()) return open.status();
  TableBatch batch(table);
  StatusOr<BatchOutcome> outcome = open.value().filter->filter_batch(batch.schema(), batch.array(), nullptr);
  if (!outcome.is_ok()) return outcome.status();
  // A SELECT meets no violations, but a policy can raise an error for a row (say, a cast that
  // fails): as in PostgreSQL the statement fails with the first one.
  if (!outcome.value().exceptions.empty()) return row_error(outcome.value().exceptions.front().second);
  std::vector<int64_t> rows;
  const std::vector<uint64_t>& selection = outcome.value().selection;
  for (int64_t row = 0; row < table.row_count(); ++row) {
    if ((selection[static_cast<size_t>(row / 64)] >> (row % 64)) & 1) rows.push_back(row);
  }
  return rows;
}

Status insert_row(SecurityContext& context, Table& table, const std::vector<Cell>& row) {
  // Without RETURNING an INSERT reads nothing back, so the SELECT policies do not apply.
  StatusOr<OpenStatement> open =
      open_statement(context, table, {Command::kInsert, /*reads_columns=*/false, /*returning=*/false});
  if (!open.is_ok()) return open.status();
  std::vector<Datum> datums = row_datums(table.schema(), row);
  RowOutcome outcome = open.value().filter->check(datums.data(), nullptr);
  if (outcome.result != RowResult::kPass) return row_error(outcome);
  return table.append_row(row);
}

StatusOr<int64_t> update_rows(SecurityContext& context, Table& table,
                              const std::function<bool(const std::vector<Cell>&)>& where, size_t column,
                              const Cell& value) {
  // A WHERE clause reads columns: the SELECT policies apply too (and SELECT is required).
  StatusOr<OpenStatement> open =
      open_statement(context, table, {Command::kUpdate, /*reads_columns=*/true, /*returning=*/false});
  if (!open.is_ok()) return open.status();
  std::vector<int64_t> updated;
  for (int64_t row = 0; row < table.row_count(); ++row) {
    std::vector<Cell> old_row = table.row(row);
    // The engine's own WHERE first, then the policies: PostgreSQL runs the policies first (they
    // are security barriers), which gives the same rows; only the order of errors could differ.
    if (!where(old_row)) continue;
    std::vector<Cell> new_row = old_row;
    new_row[column] = value;
    std::vector<Datum> old_datums = row_datums(table.schema(), old_row);
    std::vector<Datum> new_datums = row_datums(table.schema(), new_row);
    RowOutcome outcome = open.value().filter->check(old_datums.data(), new_datums.data());
    if (outcome.result == RowResult::kFiltered) continue;  // a row the principal may not update: skipped
    if (outcome.result != RowResult::kPass) return row_error(outcome);
    updated.push_back(row);
  }
  if (value.is_null && table.schema().columns[column].not_null && !updated.empty()) {
    return Status(StatusCode::kInvalidArgument, "null value in column \"" + table.schema().columns[column].name +
                                                    "\" of relation \"" + table.name() + "\" violates not-null constraint");
  }
  for (int64_t row : updated) table.set_cell(row, column, value);
  return static_cast<int64_t>(updated.size());
}

}  // namespace weftkit::embed
