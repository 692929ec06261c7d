// Writing case files. YAML strings are written as JSON strings, which YAML reads the same.
#include "tests/pg/case_files.h"

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "tests/pg/case_sql.h"

namespace weftkit::policy::pgtest {
namespace {

std::string yaml_string(const std::string& text) { return nlohmann::json(text).dump(); }

std::string yaml_list(const std::vector<std::string>& items) {
  std::string text = "[";
  for (size_t index = 0; index < items.size(); ++index) text += (index ? ", " : "") + yaml_string(items[index]);
  return text + "]";
}

void write_file(const std::filesystem::path& path, const std::string& contents) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << contents;
  if (!file) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace

std::string roles_yaml(const PolicyCase& policy_case) {
  std::string text = "# Roles and users of a generated WeftKit Policy differential test case.\n";
  text += policy_case.roles.empty() ? "roles: []\n" : "roles:\n";
  for (const Role& role : policy_case.roles) {
    text += "  - name: " + yaml_string(role.name) + "\n";
    if (!role.inherits.empty()) text += "    inherits: " + yaml_list(role.inherits) + "\n";
  }
  text += "users:\n";
  text += "  - name: " + yaml_string(policy_case.principal.user) + "\n";
  text += "    roles: " + yaml_list(policy_case.principal.roles) + "\n";
  for (const std::string& user : policy_case.other_users) {
    text += "  - name: " + yaml_string(user) + "\n    roles: []\n";
  }
  return text;
}

std::string rows_jsonl(const PolicyCase& policy_case, const std::vector<Row>& rows) {
  std::string text;
  for (const Row& row : rows) {
    nlohmann::ordered_json object = nlohmann::ordered_json::object();
    for (size_t column = 0; column < policy_case.columns.size(); ++column) {
      object[policy_case.columns[column].name] = row.at(column);
    }
    text += object.dump() + "\n";
  }
  return text;
}

void write_case_files(const std::string& directory, const PolicyCase& policy_case) {
  std::filesystem::path base(directory);
  write_file(base / kPoliciesFile, policies_sql_file(policy_case));
  write_file(base / kRolesFile, roles_yaml(policy_case));
  write_file(base / kRowsFile, rows_jsonl(policy_case, policy_case.rows));
  std::filesystem::path new_rows = base / kNewRowsFile;
  if (policy_case.statement.command == Command::kUpdate) {
    write_file(new_rows, rows_jsonl(policy_case, policy_case.new_rows));
  } else {
    std::filesystem::remove(new_rows);
  }
}

}  // namespace weftkit::policy::pgtest
