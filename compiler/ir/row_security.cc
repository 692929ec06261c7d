// Names and lookups for row-level security definitions.
#include "compiler/ir/row_security.h"

namespace weftkit::policy {

std::string_view policy_command_name(PolicyCommand command) {
  switch (command) {
    case PolicyCommand::kAll: return "ALL";
    case PolicyCommand::kSelect: return "SELECT";
    case PolicyCommand::kInsert: return "INSERT";
    case PolicyCommand::kUpdate: return "UPDATE";
    case PolicyCommand::kDelete: return "DELETE";
  }
  return "ALL";
}

std::string_view statement_command_name(StatementCommand command) {
  switch (command) {
    case StatementCommand::kSelect: return "SELECT";
    case StatementCommand::kInsert: return "INSERT";
    case StatementCommand::kUpdate: return "UPDATE";
    case StatementCommand::kDelete: return "DELETE";
  }
  return "SELECT";
}

const ColumnDefinition* TableDefinition::find_column(std::string_view column) const {
  for (const ColumnDefinition& definition : columns) {
    if (definition.name == column) return &definition;
  }
  return nullptr;
}

std::optional<uint32_t> TableDefinition::column_index(std::string_view column) const {
  for (uint32_t index = 0; index < columns.size(); ++index) {
    if (columns[index].name == column) return index;
  }
  return std::nullopt;
}

}  // namespace weftkit::policy
