// CSV records to typed rows.
#include "examples/embed/csv_table_loader.h"

#include "examples/embed/csv_reader.h"
#include "examples/embed/value_text.h"

namespace weftkit::embed {

StatusOr<Table> load_table_from_csv(const TableSchema& schema, const std::string& path, const std::string& display_name) {
  StatusOr<CsvFile> file = read_csv_file(path, display_name);
  if (!file.is_ok()) return file.status();
  const CsvFile& csv = file.value();

  // For each table column, the CSV field that holds it.
  std::vector<size_t> field_of_column;
  for (const ColumnSchema& column : schema.columns) {
    size_t found = csv.header.size();
    for (size_t field = 0; field < csv.header.size(); ++field) {
      if (csv.header[field] != column.name) continue;
      if (found != csv.header.size()) {
        return Status(StatusCode::kInvalidArgument, display_name + ":1: column " + column.name + " appears twice");
      }
      found = field;
    }
    if (found == csv.header.size()) {
      return Status(StatusCode::kInvalidArgument,
                    display_name + ":1: no column " + column.name + " (table " + schema.name + " declares it)");
    }
    field_of_column.push_back(found);
  }
  if (csv.header.size() != schema.columns.size()) {
    for (const std::string& name : csv.header) {
      bool declared = false;
      for (const ColumnSchema& column : schema.columns) declared = declared || column.name == name;
      if (!declared) {
        return Status(StatusCode::kInvalidArgument,
                      display_name + ":1: column " + name + " is not a column of table " + schema.name);
      }
    }
  }

  Table table(schema);
  for (const CsvRecord& record : csv.records) {
    std::string where = display_name + ":" + std::to_string(record.line) + ": ";
    std::vector<Cell> cells;
    for (size_t index = 0; index < schema.columns.size(); ++index) {
      StatusOr<Cell> cell = parse_value(schema.columns[index], record.fields[field_of_column[index]]);
      if (!cell.is_ok()) {
        return Status(cell.status().code(), where + "column " + schema.columns[index].name + ": " + cell.status().message());
      }
      cells.push_back(std::move(cell).value());
    }
    Status appended = table.append_row(cells);
    if (!appended.is_ok()) return Status(appended.code(), where + appended.message());
  }
  return table;
}

}  // namespace weftkit::embed
