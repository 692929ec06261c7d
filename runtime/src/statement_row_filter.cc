// StatementRowFilter's length-checked row check: a row of the wrong length is refused before
// the filter, which reads column_count() Datums blindly, can read past it.
#include <string>

#include <weftkit/policy_version.h>

namespace weftkit {
namespace {

Status wrong_length(const char* what, size_t datums, size_t columns) {
  return Status(StatusCode::kInvalidArgument, std::string(what) + " has " + std::to_string(datums) +
                                                  " datums but the filter's table has " + std::to_string(columns) +
                                                  " columns");
}

}  // namespace

StatusOr<RowOutcome> StatementRowFilter::check(std::span<const Datum> row, std::span<const Datum> new_row) const {
  size_t columns = column_count();
  if (row.size() != columns) return wrong_length("the row", row.size(), columns);
  if (!new_row.empty() && new_row.size() != columns) return wrong_length("the new row", new_row.size(), columns);
  // A table without columns still gets a row pointer: filters may assume it is never null.
  static const Datum kNoColumns;
  const Datum* row_data = row.empty() ? &kNoColumns : row.data();
  const Datum* new_row_data = new_row.empty() ? nullptr : new_row.data();
  return check(row_data, new_row_data);
}

}  // namespace weftkit
