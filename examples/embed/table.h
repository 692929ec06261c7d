// A table of the example engine: its schema and one Arrow-layout column per declared column.
#pragma once

#include <vector>

#include "examples/embed/arrow_column.h"
#include "examples/embed/catalog.h"
#include "examples/embed/cell.h"
#include <weftkit/status.h>

namespace weftkit::embed {

class Table {
 public:
  explicit Table(TableSchema schema);

  const TableSchema& schema() const { return schema_; }
  const std::string& name() const { return schema_.name; }
  int64_t row_count() const { return row_count_; }
  const std::vector<ArrowColumn>& columns() const { return columns_; }

  // One cell per column, in schema order. Fails, changing nothing, on NULL in a NOT NULL
  // column (PostgreSQL's message).
  Status append_row(const std::vector<Cell>& cells);
  void set_cell(int64_t row, size_t column, const Cell& cell);
  std::vector<Cell> row(int64_t row) const;

 private:
  TableSchema schema_;
  std::vector<ArrowColumn> columns_;
  int64_t row_count_ = 0;
};

}  // namespace weftkit::embed
