// `weftkit-policyc eval`: row-level security decisions for given rows, one JSON line per row.
#include <iostream>

#include <nlohmann/json.hpp>

#include "codegen/interp/principal.h"
#include "codegen/interp/row_filter.h"
#include "codegen/llvm/arrow_batch_builder.h"
#include "codegen/llvm/jit_program.h"
#include "codegen/llvm/jit_row_filter.h"
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

// The JIT's answers: every row in one Arrow batch through the batch function, the violations
// and errors described by the row function. nullopt (with a note on stderr) when the plan
// holds something the JIT does not compile; the caller then uses the interpreter.
std::optional<std::vector<interp::RowOutcome>> jit_outcomes(const StatementPlan& plan, const TableDefinition& table,
                                                            const interp::SessionValues& session,
                                                            const std::vector<std::vector<Value>>& rows,
                                                            const std::vector<std::vector<Value>>* new_rows) {
  auto fall_back = [](const std::string& why) {
    std::cerr << "weftkit-policyc: note: " << why << "; evaluated by the reference interpreter\n";
    return std::nullopt;
  };
  Result<llvm_backend::JitEngine> engine = llvm_backend::JitEngine::create();
  if (!engine.ok()) return fall_back("the JIT is not available: " + engine.diagnostics().all().front().message);
  Result<std::shared_ptr<const llvm_backend::JitPlan>> code = engine.value().compile_plan(plan, table);
  if (!code.ok()) return fall_back(code.diagnostics().all().front().message);
  llvm_backend::JitRowFilter filter(code.value(), session);
  llvm_backend::ArrowBatchBuilder batch(table, rows);
  std::optional<llvm_backend::ArrowBatchBuilder> new_batch;
  if (new_rows != nullptr) new_batch.emplace(table, *new_rows);
  if (!batch.unrepresentable().empty() || (new_batch && !new_batch->unrepresentable().empty())) {
    // A value Arrow cannot carry: the compiled row function answers each row instead.
    std::vector<interp::RowOutcome> outcomes;
    for (size_t index = 0; index < rows.size(); ++index) {
      outcomes.push_back(filter.check(rows[index], new_rows != nullptr ? &(*new_rows)[index] : nullptr));
    }
    return outcomes;
  }
  std::string error;
  std::optional<llvm_backend::BatchOutcome> answer =
      filter.filter_batch(batch.schema(), batch.array(), new_batch ? &new_batch->array() : nullptr, error);
  if (!answer) return fall_back("internal error: the JIT refused the rows: " + error);
  std::vector<interp::RowOutcome> outcomes(rows.size());
  for (size_t index = 0; index < rows.size(); ++index) {
    bool selected = (answer->selection[index / 64] >> (index % 64)) & 1;
    outcomes[index].result = selected ? interp::RowResult::kPass : interp::RowResult::kFiltered;
  }
  for (const auto& [row, outcome] : answer->exceptions) outcomes[static_cast<size_t>(row)] = outcome;
  return outcomes;
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
  StatementPlan plan = plan_statement(*table, shape, applies, interp::bypasses_row_security(program, principal));
  std::optional<std::vector<interp::RowOutcome>> outcomes;
  if (line.engine == "jit") outcomes = jit_outcomes(plan, *table, session, rows.rows, line.new_rows ? &new_rows.rows : nullptr);
  if (!outcomes) {
    interp::RowFilter filter(std::move(plan), session);
    outcomes.emplace();
    for (size_t index = 0; index < rows.rows.size(); ++index) {
      outcomes->push_back(filter.check(rows.rows[index], line.new_rows ? &new_rows.rows[index] : nullptr));
    }
  }
  for (size_t index = 0; index < outcomes->size(); ++index) {
    const interp::RowOutcome& outcome = (*outcomes)[index];
    nlohmann::ordered_json out = {{"row", index + 1}, {"result", interp::row_result_name(outcome.result)}};
    out["message"] = outcome.message.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(outcome.message);
    std::cout << out.dump() << "\n";
  }
  return kExitOk;
}

}  // namespace weftkit::policy::cli
