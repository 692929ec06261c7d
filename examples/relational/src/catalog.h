// The engine's tables: those the policy files declare (their CREATE TABLE, which the policies
// were type-checked against, so rows handed to the row filters have exactly those columns),
// plus those clients created, which are kept in <data dir>/catalog.sql across restarts.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "sql_ast.h"
#include "sql_error.h"

namespace relational {

struct TableSchema {
  std::string name;
  std::vector<ColumnDef> columns;
  bool from_policy_files = false;
};

class Catalog {
 public:
  explicit Catalog(std::string client_tables_file) : client_tables_file_(std::move(client_tables_file)) {}

  // Reads the CREATE TABLE statements of the .sql policy files (again, after a reload) and the
  // client tables saved before. Errors list every file that could not be read.
  std::vector<std::string> load(const std::vector<std::string>& policy_files);

  std::optional<TableSchema> find(const std::string& table) const;
  // Adds a client table and saves the client tables; 42P07 when the name is taken.
  SqlStatus create(const CreateTableStatement& create);

 private:
  const std::string client_tables_file_;
  mutable std::mutex mutex_;
  std::map<std::string, TableSchema> tables_;
};

}  // namespace relational
