// Rows in and out of a table's columns.
#include "examples/embed/table.h"

namespace weftkit::embed {

Table::Table(TableSchema schema) : schema_(std::move(schema)) {
  for (const ColumnSchema& column : schema_.columns) columns_.emplace_back(column.type);
}

Status Table::append_row(const std::vector<Cell>& cells) {
  if (cells.size() != columns_.size()) {
    return Status(StatusCode::kInvalidArgument, "a row of " + name() + " needs " + std::to_string(columns_.size()) +
                                                    " values, not " + std::to_string(cells.size()));
  }
  for (size_t index = 0; index < cells.size(); ++index) {
    if (cells[index].is_null && schema_.columns[index].not_null) {
      return Status(StatusCode::kInvalidArgument, "null value in column \"" + schema_.columns[index].name +
                                                      "\" of relation \"" + name() + "\" violates not-null constraint");
    }
  }
  for (size_t index = 0; index < cells.size(); ++index) columns_[index].append(cells[index]);
  ++row_count_;
  return Status::ok();
}

void Table::set_cell(int64_t row, size_t column, const Cell& cell) { columns_[column].set(row, cell); }

std::vector<Cell> Table::row(int64_t row) const {
  std::vector<Cell> cells;
  for (const ArrowColumn& column : columns_) cells.push_back(column.cell(row));
  return cells;
}

}  // namespace weftkit::embed
