// `weftkit-policyc eval`: row-level security decisions for given rows, one JSON line per row.
#include <iostream>

#include <nlohmann/json.hpp>

#include "codegen/interp/principal.h"
#include "codegen/interp/row_filter.h"
#include "compiler/driver/compile_files.h"
#include "tools/weftkit-policyc/commands.h"
#include "tools/weftkit-policyc/json_rows.h"

namespace weftkit::policy::cli {
namespace {

std::optional<StatementCommand> parse_command(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (text == "SELECT") return StatementCommand::kSelect;
  if (text == "INSERT") return StatementCommand::kInsert;
  if (text == "UPDATE") return StatementCommand::kUpdate;
  if (text == "DELETE") return StatementCommand::kDelete;
  return std::nullopt;
}

int usage_error(const std::string& message) {
  std::cerr << "weftkit-policyc: error: " << message << "\n";
  return kExitUsage;
}

}  // namespace

int run_eval(const CommandLine& line) {
  std::optional<StatementCommand> command = parse_command(*line.command);
  if (!command) return usage_error("unknown --command '" + *line.command + "' (expected SELECT, INSERT, UPDATE or DELETE)");
  if (*command == StatementCommand::kUpdate && !line.new_rows) return usage_error("UPDATE needs --new-rows NEW.jsonl");
  if (*command != StatementCommand::kUpdate && line.new_rows) return usage_error("--new-rows is only for UPDATE");
  ParsedResourceName table_name = parse_resource_name(*line.table);
  if (!table_name.name) return usage_error("bad --table '" + *line.table + "': it " + table_name.error);

  SourceTexts sources;
  Result<PolicyProgram> compiled = compile_files(line.files, sources);
  std::cerr << render_diagnostics(compiled.diagnostics(), sources);
  if (!compiled.ok()) return kExitPolicyErrors;
  const PolicyProgram& program = compiled.value();
  const TableDefinition* table = program.find_table(*table_name.name);
  if (table == nullptr) return usage_error("no table " + table_name.name->qualified() + " in the policy files");

  std::vector<RoleId> requested;
  for (const std::string& name : line.roles) {
    std::optional<RoleId> role = program.find_role(name);
    if (!role) return usage_error("unknown role '" + name + "' given with --role");
    requested.push_back(*role);
  }
  interp::Principal principal = interp::resolve_principal(program, *line.user, requested);
  interp::SessionValues session;
  session.current_user = *line.user;
  session.session_user = *line.user;
  for (const std::string& setting : line.settings) {
    size_t equals = setting.find('=');
    std::string name = setting.substr(0, equals);
    // As with SET, only custom settings (a qualified name such as app.tenant_id) can be set.
    size_t dot = name.find('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == name.size()) {
      return usage_error("bad --set '" + setting + "': the name must be a custom setting such as app.tenant_id");
    }
    session.set(name, setting.substr(equals + 1));
  }

  JsonRows rows = read_json_rows(*line.rows, *table);
  JsonRows new_rows;
  if (line.new_rows) new_rows = read_json_rows(*line.new_rows, *table);
  if (!rows.errors.empty() || !new_rows.errors.empty()) {
    for (const std::string& error : rows.errors) std::cerr << error << "\n";
    for (const std::string& error : new_rows.errors) std::cerr << error << "\n";
    return kExitUsage;
  }
  if (line.new_rows && new_rows.rows.size() != rows.rows.size()) {
    return usage_error("--rows has " + std::to_string(rows.rows.size()) + " rows but --new-rows has " +
                       std::to_string(new_rows.rows.size()) + "; UPDATE pairs them one to one");
  }

  auto applies = [&](const RowPolicy& policy) { return interp::policy_applies_to(program, principal, policy); };
  StatementShape shape{*command, !line.no_read, line.returning};
  interp::RowFilter filter(plan_statement(*table, shape, applies, interp::bypasses_row_security(program, principal)),
                           session);
  for (size_t index = 0; index < rows.rows.size(); ++index) {
    const std::vector<Value>* new_row = line.new_rows ? &new_rows.rows[index] : nullptr;
    interp::RowOutcome outcome = filter.check(rows.rows[index], new_row);
    nlohmann::ordered_json out = {{"row", index + 1}, {"result", interp::row_result_name(outcome.result)}};
    out["message"] = outcome.message.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(outcome.message);
    std::cout << out.dump() << "\n";
  }
  return kExitOk;
}

}  // namespace weftkit::policy::cli
