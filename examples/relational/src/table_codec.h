// A table's rows as bytes (what the page storage persists, encrypted or not) and back.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "catalog.h"
#include "sql_error.h"

namespace relational {

using Row = std::vector<Value>;

std::string encode_rows(const TableSchema& table, const std::vector<Row>& rows);
// Refuses bytes that do not describe rows of `table` (truncated, another column count).
SqlResult<std::vector<Row>> decode_rows(const TableSchema& table, std::string_view bytes);

}  // namespace relational
