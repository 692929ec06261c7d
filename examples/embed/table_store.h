// The example engine's storage: its tables by name, loaded from a directory of CSV files
// (TABLE.csv for each table of the catalog).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "examples/embed/catalog.h"
#include "examples/embed/table.h"
#include <weftkit/status.h>

namespace weftkit::embed {

class TableStore {
 public:
  static StatusOr<TableStore> load(const std::vector<TableSchema>& catalog, const std::string& data_directory);

  // nullptr for a table the store does not have.
  Table* find(std::string_view name);
  // In catalog order.
  const std::vector<Table>& tables() const { return tables_; }

 private:
  std::vector<Table> tables_;  // a handful: found by a linear search
};

}  // namespace weftkit::embed
