// Rows for `eval`: JSON Lines, one object per row, keys naming the table's columns, converted
// to typed values as PostgreSQL would read them. Bad input is reported with its line number.
#pragma once

#include <string>
#include <vector>

#include "compiler/ir/row_security.h"
#include "compiler/values/value.h"

namespace weftkit::policy::cli {

struct JsonRows {
  std::vector<std::vector<Value>> rows;  // one Value per table column, NULL when absent
  std::vector<std::string> errors;       // "rows.jsonl:3: unknown column \"x\" ..."
};

JsonRows read_json_rows(const std::string& path, const TableDefinition& table);

}  // namespace weftkit::policy::cli
