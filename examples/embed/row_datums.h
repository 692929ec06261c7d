// A row of cells as the runtime's Datums (policy_version.h): what StatementRowFilter::check
// reads for one row, e.g. the new row of an INSERT before it is stored.
#pragma once

#include <vector>

#include "examples/embed/catalog.h"
#include "examples/embed/cell.h"
#include <weftkit/policy_version.h>

namespace weftkit::embed {

// The Datums point into `cells`' text: keep the cells alive, and unchanged, while they are used.
std::vector<Datum> row_datums(const TableSchema& schema, const std::vector<Cell>& cells);

}  // namespace weftkit::embed
