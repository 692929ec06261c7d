// Loading and finding tables.
#include "examples/embed/table_store.h"

#include "examples/embed/csv_table_loader.h"

namespace weftkit::embed {

StatusOr<TableStore> TableStore::load(const std::vector<TableSchema>& catalog, const std::string& data_directory) {
  TableStore store;
  for (const TableSchema& schema : catalog) {
    std::string file_name = schema.name + ".csv";
    StatusOr<Table> table = load_table_from_csv(schema, data_directory + "/" + file_name, file_name);
    if (!table.is_ok()) return table.status();
    store.tables_.push_back(std::move(table).value());
  }
  return store;
}

Table* TableStore::find(std::string_view name) {
  for (Table& table : tables_) {
    if (table.name() == name) return &table;
  }
  return nullptr;
}

}  // namespace weftkit::embed
