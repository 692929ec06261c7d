// Loading a table from a CSV file: the header names the table's columns (in any order, each
// exactly once), and every field is converted to its column's type.
#pragma once

#include <string>

#include "examples/embed/catalog.h"
#include "examples/embed/table.h"
#include <weftkit/status.h>

namespace weftkit::embed {

// Errors read "orders.csv:4: column amount: invalid input syntax for type integer: "x"", with
// `display_name` for the file.
StatusOr<Table> load_table_from_csv(const TableSchema& schema, const std::string& path, const std::string& display_name);

}  // namespace weftkit::embed
