// Rows printed as psql prints a result: aligned columns, a header, "(N rows)".
#pragma once

#include <ostream>
#include <vector>

#include "examples/embed/table.h"

namespace weftkit::embed {

void print_rows(std::ostream& out, const Table& table, const std::vector<int64_t>& rows);

}  // namespace weftkit::embed
