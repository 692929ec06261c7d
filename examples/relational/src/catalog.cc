// The table catalog (see catalog.h).
#include "catalog.h"

#include "file_io.h"
#include "sql_parser.h"

namespace relational {
namespace {

std::string create_table_text(const TableSchema& table) {
  std::string text = "CREATE TABLE \"" + table.name + "\" (";
  for (size_t i = 0; i < table.columns.size(); ++i) {
    const ColumnDef& column = table.columns[i];
    if (i > 0) text += ", ";
    text += "\"" + column.name + "\" ";
    text += column.type == ColumnType::kText && column.max_length >= 0 ? "varchar(" + std::to_string(column.max_length) + ")"
            : column.type == ColumnType::kTimestamptz                   ? std::string("timestamptz")
                                                                        : std::string(type_name(column.type));
    if (column.not_null) text += " NOT NULL";
  }
  return text + ");\n";
}

}  // namespace

std::vector<std::string> Catalog::load(const std::vector<std::string>& policy_files) {
  // Held throughout, so a client's CREATE TABLE cannot fall between reading the saved client
  // tables and publishing the new catalog.
  std::lock_guard lock(mutex_);
  std::vector<std::string> errors;
  std::map<std::string, TableSchema> tables;
  auto add_from = [&](const std::string& path, bool from_policy) {
    std::optional<std::string> text = read_whole_file(path);
    if (!text) {
      if (from_policy) errors.push_back(path + ": cannot be read");
      return;
    }
    std::vector<std::string> skipped;
    SqlResult<std::vector<CreateTableStatement>> creates = parse_policy_tables(*text, skipped);
    if (!creates.ok()) {
      errors.push_back(path + ": " + creates.error().message);
      return;
    }
    for (const std::string& why : skipped) errors.push_back(path + ": a table is not stored: " + why);
    for (CreateTableStatement& create : creates.value()) {
      tables[create.table] = TableSchema{create.table, std::move(create.columns), from_policy};
    }
  };
  add_from(client_tables_file_, false);
  for (const std::string& file : policy_files) {
    if (file.size() > 4 && file.substr(file.size() - 4) == ".sql") add_from(file, true);
  }
  tables_ = std::move(tables);
  return errors;
}

std::optional<TableSchema> Catalog::find(const std::string& table) const {
  std::lock_guard lock(mutex_);
  auto found = tables_.find(table);
  if (found == tables_.end()) return std::nullopt;
  return found->second;
}

SqlStatus Catalog::create(const CreateTableStatement& create) {
  std::lock_guard lock(mutex_);
  if (tables_.count(create.table)) return SqlError{"42P07", "relation \"" + create.table + "\" already exists"};
  tables_[create.table] = TableSchema{create.table, create.columns, false};
  std::string text;
  for (const auto& [name, table] : tables_) {
    if (!table.from_policy_files) text += create_table_text(table);
  }
  if (!write_file_atomically(client_tables_file_, text)) {
    tables_.erase(create.table);
    return internal_error("could not save the catalog");
  }
  return std::nullopt;
}

}  // namespace relational
