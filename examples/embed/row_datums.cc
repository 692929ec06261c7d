// Cells to Datums: the same values, moved to PostgreSQL's epoch (2000-01-01) for dates and
// timestamps, where the Arrow columns count from 1970-01-01.
#include "examples/embed/row_datums.h"

#include "examples/embed/civil_time.h"

namespace weftkit::embed {
namespace {

const int64_t kPostgresEpochDays = days_from_civil(2000, 1, 1);  // 10957 days after 1970-01-01

}  // namespace

std::vector<Datum> row_datums(const TableSchema& schema, const std::vector<Cell>& cells) {
  std::vector<Datum> datums(cells.size());
  for (size_t index = 0; index < cells.size(); ++index) {
    const Cell& cell = cells[index];
    Datum& datum = datums[index];
    if (cell.is_null) continue;  // a default Datum is NULL
    datum.is_null = 0;
    switch (schema.columns[index].type) {
      case ColumnType::kInteger:
      case ColumnType::kBigint: datum.bits = cell.integer; break;
      case ColumnType::kText:
        datum.data = cell.text.data();
        datum.length = static_cast<int64_t>(cell.text.size());
        break;
      case ColumnType::kDate: datum.bits = cell.integer - kPostgresEpochDays; break;
      case ColumnType::kTimestamptz: datum.bits = cell.integer - kPostgresEpochDays * kMicrosPerDay; break;
    }
  }
  return datums;
}

}  // namespace weftkit::embed
