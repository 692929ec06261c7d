// `weftkit-policyc eval`: row-level security decisions for given rows, one JSON line per row,
// answered by a policy version exactly as an engine's statements are: the version's row filter
// (what Statement::row_filter hands out once the statement's privileges are checked; eval
// decides row security only), fed the rows as one Arrow batch, or row by row as Datums when a
// value has no Arrow form. --engine picks the version: JIT-compiled in process, an
// ahead-of-time module built and loaded with the runtime's own loader, or the interpreter.
#include <stdlib.h>

#include <deque>
#include <filesystem>
#include <iostream>

#include <nlohmann/json.hpp>

#include "codegen/core/core_policy_version.h"
#include "codegen/native/arrow_batch_builder.h"
#include "codegen/llvm/jit_program.h"
#include "codegen/native/compiled_row_filter.h"
#include "codegen/jit/jit_policy_version.h"
#include "compiler/diag/status_adapter.h"
#include "compiler/driver/compile_files.h"
#include "tools/weftkit-policyc/commands.h"
#include "tools/weftkit-policyc/json_rows.h"
#include "tools/weftkit-policyc/shared_module.h"
#include <weftkit/policy_module.h>

namespace weftkit::policy::cli {
namespace {

std::optional<weftkit::Command> parse_command(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (text == "SELECT") return weftkit::Command::kSelect;
  if (text == "INSERT") return weftkit::Command::kInsert;
  if (text == "UPDATE") return weftkit::Command::kUpdate;
  if (text == "DELETE") return weftkit::Command::kDelete;
  return std::nullopt;
}

int usage_error(const std::string& message) {
  std::cerr << "weftkit-policyc: error: " << message << "\n";
  return kExitUsage;
}

int internal_error(std::string message) {
  // The linker's messages carry the prefix already.
  const std::string prefix = "weftkit-policyc: error: ";
  if (message.rfind(prefix, 0) != 0) message = prefix + message;
  std::cerr << message << "\n";
  return kExitPolicyErrors;
}

std::string origin_of(const CommandLine& line) {
  std::string origin;
  for (const std::string& file : line.files) origin += (origin.empty() ? "" : ", ") + file;
  return origin;
}

// An ahead-of-time module of the program, built in a private directory and loaded with the
// runtime's loader (which keeps its own copy: the directory goes at once).
weftkit::StatusOr<std::shared_ptr<const weftkit::PolicyVersion>> load_as_module(const PolicyProgram& program,
                                                                                const std::string& origin) {
  Result<llvm_backend::AotModule> module = emit_policy_module(program, origin, llvm_backend::NativeOutput::kObject);
  if (!module.ok()) {
    return status_from_diagnostics(module.diagnostics(), weftkit::StatusCode::kInternal, "emitting the module failed");
  }
  std::error_code no_temporary;
  std::filesystem::path temporary = std::filesystem::temp_directory_path(no_temporary);
  if (no_temporary) temporary = "/tmp";
  std::string directory = (temporary / "weftkit-eval-XXXXXX").string();
  if (mkdtemp(directory.data()) == nullptr) {
    return weftkit::Status(weftkit::StatusCode::kInternal, "cannot create a scratch directory");
  }
  std::string path = directory + "/policy.so";
  std::string error;
  weftkit::StatusOr<std::shared_ptr<const weftkit::PolicyVersion>> version =
      link_policy_module_object(module.value().bytes, path, error)
          ? weftkit::load_policy_module(path)
          : weftkit::StatusOr<std::shared_ptr<const weftkit::PolicyVersion>>(
                weftkit::Status(weftkit::StatusCode::kInternal, error));
  std::error_code ignored;
  std::filesystem::remove_all(directory, ignored);
  return version;
}

weftkit::StatusOr<std::shared_ptr<const weftkit::PolicyVersion>> make_version(const CommandLine& line,
                                                                             PolicyProgram program) {
  std::string origin = origin_of(line);
  if (line.engine == "interp") return core::make_interpreted_policy_version(std::move(program), std::move(origin));
  if (line.engine == "aot") return load_as_module(program, origin);
  Result<llvm_backend::JitEngine> engine = llvm_backend::JitEngine::create();
  if (!engine.ok()) {
    return status_from_diagnostics(engine.diagnostics(), weftkit::StatusCode::kInternal, "the JIT is not available");
  }
  // One statement to answer: only its plan is compiled, on this thread.
  jit::JitVersionOptions options;
  options.precompile_known_plans = false;
  options.compile_missing_plans_inline = true;
  options.on_plan_not_compiled = [](const std::string& reason) {
    std::cerr << "weftkit-policyc: note: " << reason << "; evaluated by the reference interpreter\n";
  };
  return jit::make_jit_policy_version(std::move(program), std::move(origin), std::move(engine).value(), options);
}

std::vector<weftkit::RowOutcome> answer_rows(const weftkit::StatementRowFilter& filter, const TableDefinition& table,
                                             const std::vector<std::vector<Value>>& rows,
                                             const std::vector<std::vector<Value>>* new_rows, std::string& error) {
  native::ArrowBatchBuilder batch(table, rows);
  std::optional<native::ArrowBatchBuilder> new_batch;
  if (new_rows != nullptr) new_batch.emplace(table, *new_rows);
  std::vector<weftkit::RowOutcome> outcomes;
  if (!batch.unrepresentable().empty() || (new_batch && !new_batch->unrepresentable().empty())) {
    // A value Arrow cannot carry: each row as Datums, as an engine with a row store would.
    for (size_t index = 0; index < rows.size(); ++index) {
      std::deque<std::string> text;  // numerics' text, which the Datums point into
      std::vector<native::NativeDatum> row = native::to_native_datums(rows[index], text);
      std::vector<native::NativeDatum> new_row;
      if (new_rows != nullptr) new_row = native::to_native_datums((*new_rows)[index], text);
      weftkit::StatusOr<weftkit::RowOutcome> outcome =
          filter.check(std::span(reinterpret_cast<const weftkit::Datum*>(row.data()), row.size()),
                       std::span(reinterpret_cast<const weftkit::Datum*>(new_row.data()), new_row.size()));
      if (!outcome.is_ok()) {
        error = outcome.status().message();
        return {};
      }
      outcomes.push_back(std::move(outcome).value());
    }
    return outcomes;
  }
  weftkit::StatusOr<weftkit::BatchOutcome> answer =
      filter.filter_batch(batch.schema(), batch.array(), new_batch ? &new_batch->array() : nullptr);
  if (!answer.is_ok()) {
    error = "the row filter refused the rows: " + answer.status().message();
    return {};
  }
  outcomes.resize(rows.size());
  for (size_t index = 0; index < rows.size(); ++index) {
    bool selected = (answer.value().selection[index / 64] >> (index % 64)) & 1;
    outcomes[index].result = selected ? weftkit::RowResult::kPass : weftkit::RowResult::kFiltered;
  }
  for (auto& [row, outcome] : answer.value().exceptions) outcomes[static_cast<size_t>(row)] = std::move(outcome);
  return outcomes;
}

const char* result_name(weftkit::RowResult result) {
  switch (result) {
    case weftkit::RowResult::kPass: return "pass";
    case weftkit::RowResult::kFiltered: return "filtered";
    case weftkit::RowResult::kViolation: return "violation";
    case weftkit::RowResult::kError: return "error";
  }
  return "error";
}

}  // namespace

int run_eval(const CommandLine& line) {
  std::optional<weftkit::Command> command = parse_command(*line.command);
  if (!command) return usage_error("unknown --command '" + *line.command + "' (expected SELECT, INSERT, UPDATE or DELETE)");
  if (*command == weftkit::Command::kUpdate && !line.new_rows) return usage_error("UPDATE needs --new-rows NEW.jsonl");
  if (*command != weftkit::Command::kUpdate && line.new_rows) return usage_error("--new-rows is only for UPDATE");
  ParsedResourceName table_name = parse_resource_name(*line.table);
  if (!table_name.name) return usage_error("bad --table '" + *line.table + "': it " + table_name.error);

  SourceTexts sources;
  Result<PolicyProgram> compiled = compile_files(line.files, sources);
  std::cerr << render_diagnostics(compiled.diagnostics(), sources);
  if (!compiled.ok()) return kExitPolicyErrors;
  const PolicyProgram& program = compiled.value();
  const TableDefinition* declared = program.find_table(*table_name.name);
  if (declared == nullptr) return usage_error("no table " + table_name.name->qualified() + " in the policy files");
  const TableDefinition table = *declared;  // the program moves into the version

  weftkit::Identity identity;
  identity.user = *line.user;
  for (const std::string& name : line.roles) {
    if (!program.find_role(name)) return usage_error("unknown role '" + name + "' given with --role");
    identity.roles.push_back(name);
  }
  for (const std::string& setting : line.settings) {
    size_t equals = setting.find('=');
    std::string name = setting.substr(0, equals);
    // As with SET, only custom settings (a qualified name such as app.tenant_id) can be set.
    size_t dot = name.find('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == name.size()) {
      return usage_error("bad --set '" + setting + "': the name must be a custom setting such as app.tenant_id");
    }
    identity.settings.emplace_back(name, setting.substr(equals + 1));
  }

  JsonRows rows = read_json_rows(*line.rows, table);
  JsonRows new_rows;
  if (line.new_rows) new_rows = read_json_rows(*line.new_rows, table);
  if (!rows.errors.empty() || !new_rows.errors.empty()) {
    for (const std::string& error : rows.errors) std::cerr << error << "\n";
    for (const std::string& error : new_rows.errors) std::cerr << error << "\n";
    return kExitUsage;
  }
  if (line.new_rows && new_rows.rows.size() != rows.rows.size()) {
    return usage_error("--rows has " + std::to_string(rows.rows.size()) + " rows but --new-rows has " +
                       std::to_string(new_rows.rows.size()) + "; UPDATE pairs them one to one");
  }

  weftkit::StatusOr<std::shared_ptr<const weftkit::PolicyVersion>> version = make_version(line, std::move(compiled).value());
  if (!version.is_ok()) return internal_error(version.status().message());
  weftkit::StatusOr<weftkit::ResolvedPrincipal> principal = version.value()->resolve(identity);
  if (!principal.is_ok()) return internal_error(principal.status().message());
  weftkit::StatementShape shape{*command, !line.no_read, line.returning};
  weftkit::StatusOr<std::unique_ptr<const weftkit::StatementRowFilter>> filter =
      version.value()->row_filter(principal.value(), identity, *line.table, shape);
  if (!filter.is_ok()) return internal_error(filter.status().message());
  std::string error;
  std::vector<weftkit::RowOutcome> outcomes =
      answer_rows(*filter.value(), table, rows.rows, line.new_rows ? &new_rows.rows : nullptr, error);
  if (!error.empty()) return internal_error("internal error: " + error);
  for (size_t index = 0; index < outcomes.size(); ++index) {
    const weftkit::RowOutcome& outcome = outcomes[index];
    nlohmann::ordered_json out = {{"row", index + 1}, {"result", result_name(outcome.result)}};
    out["message"] = outcome.message.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(outcome.message);
    std::cout << out.dump() << "\n";
  }
  return kExitOk;
}

}  // namespace weftkit::policy::cli
