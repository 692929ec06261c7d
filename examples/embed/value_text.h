// Values to and from their text form: the CSV loader's and the demo's input, with PostgreSQL's
// input error messages, and the printed form of a row.
#pragma once

#include <optional>
#include <string>

#include "examples/embed/catalog.h"
#include "examples/embed/cell.h"
#include <weftkit/status.h>

namespace weftkit::embed {

// nullopt is SQL NULL. Errors read as PostgreSQL's: invalid input syntax for type integer: "x".
StatusOr<Cell> parse_value(const ColumnSchema& column, const std::optional<std::string>& text);

// NULL prints as "NULL" (psql prints nothing, which would hide an empty string).
std::string format_value(const ColumnSchema& column, const Cell& cell);

}  // namespace weftkit::embed
