// The engines a case runs through (see case_engines.h).
#include "tests/cases/case_engines.h"

#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <deque>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <thread>

#include "codegen/aot/module_linker.h"
#include "codegen/semantics/principal.h"
#include "codegen/interp/row_filter.h"
#include "codegen/llvm/aot_emit.h"
#include "codegen/native/compiled_row_filter.h"
#include "codegen/native/known_plans.h"
#include "compiler/bundle/bundle.h"
#include "compiler/driver/compile_files.h"
#include "tests/codegen/support/copied_row_batch.h"
#include "tools/weftkit-policyc/json_rows.h"
#include <weftkit/policy_compiler.h>
#include <weftkit/policy_module.h>
#include <weftkit/policy_runtime.h>

namespace weftkit::policy::cases {
namespace {

using Row = std::vector<Value>;

// A private directory for the case's files, removed with them.
class Scratch {
 public:
  Scratch() {
    path_ = (std::filesystem::temp_directory_path() / "weftkit-case-XXXXXX").string();
    if (mkdtemp(path_.data()) == nullptr) path_.clear();
  }
  ~Scratch() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  std::string write(const std::string& name, const std::string& contents) const {
    std::string file = path_ + "/" + name;
    std::ofstream(file, std::ios::binary) << contents;
    return file;
  }
  bool ok() const { return !path_.empty(); }

 private:
  std::string path_;
};

std::string describe(const interp::RowOutcome& outcome) {
  std::string text = interp::row_result_name(outcome.result);
  if (!outcome.message.empty()) text += ": " + outcome.message;
  return text;
}

interp::RowOutcome reference_form(const weftkit::RowOutcome& outcome) {
  return interp::RowOutcome{static_cast<interp::RowResult>(outcome.result), outcome.message};
}

std::string describe(const weftkit::RowOutcome& outcome) { return describe(reference_form(outcome)); }

weftkit::StatementShape runtime_shape(const StatementShape& shape) {
  weftkit::Command command = weftkit::Command::kSelect;
  switch (shape.command) {
    case StatementCommand::kSelect: command = weftkit::Command::kSelect; break;
    case StatementCommand::kInsert: command = weftkit::Command::kInsert; break;
    case StatementCommand::kUpdate: command = weftkit::Command::kUpdate; break;
    case StatementCommand::kDelete: command = weftkit::Command::kDelete; break;
  }
  return weftkit::StatementShape{command, shape.reads_columns, shape.returning};
}

std::string messages_of(const Diagnostics& diagnostics) {
  std::string text;
  for (const Diagnostic& diagnostic : diagnostics.all()) text += (text.empty() ? "" : "; ") + diagnostic.message;
  return text;
}

// The rows as `eval --rows` reads them; errors name the case file's lines.
std::vector<Row> read_rows(const PolicyCase& policy_case, const std::vector<std::string>& json,
                           const TableDefinition& table, const Scratch& scratch, std::string& error) {
  std::string text;
  for (const std::string& line : json) text += line + "\n";
  std::string path = scratch.write("rows.jsonl", text);
  cli::JsonRows read = cli::read_json_rows(path, table);
  for (const std::string& problem : read.errors) {
    // "<path>:<n>: message" → "<case file>:<row line>: message"
    size_t number_begin = path.size() + 1;
    size_t number_end = problem.find(':', number_begin);
    size_t index = std::stoul(problem.substr(number_begin, number_end - number_begin)) - 1;
    error += policy_case.file + ":" + std::to_string(policy_case.rows[index].line) + ":" +
             problem.substr(number_end + 1) + "\n";
  }
  return read.rows;
}

// A row as weftkit::Datums (the native layout, which weftkit::Datum mirrors).
struct RuntimeRow {
  explicit RuntimeRow(const Row& row) : native(native::to_native_datums(row, storage)) {}
  std::span<const weftkit::Datum> datums() const {
    static_assert(sizeof(weftkit::Datum) == sizeof(native::NativeDatum));
    return {reinterpret_cast<const weftkit::Datum*>(native.data()), native.size()};
  }
  std::deque<std::string> storage;
  std::vector<native::NativeDatum> native;
};

class CaseRunner {
 public:
  explicit CaseRunner(const PolicyCase& policy_case) : case_(policy_case) {}

  CaseRun run() {
    if (!scratch_.ok()) return fail("cannot create a scratch directory");
    if (!compile()) return std::move(run_);
    run_.engines.push_back(interpreter());
    std::shared_ptr<const weftkit::PolicyVersion> jit = jit_version(run_.engines.emplace_back());
    std::shared_ptr<const weftkit::PolicyVersion> module = module_version(run_.engines.emplace_back());
    run_.engines.push_back(runtime_api("runtime-jit", jit));
    run_.engines.push_back(runtime_api("runtime-aot", module));
    return std::move(run_);
  }

 private:
  CaseRun fail(const std::string& why) {
    run_.setup_error = case_.where() + ": " + why;
    return std::move(run_);
  }

  bool compile() {
    std::vector<SourceInput> inputs;
    if (!case_.roles.empty()) inputs.push_back({"roles.yaml", case_.roles});
    inputs.push_back({"policies.sql", case_.sql});
    SourceTexts sources;
    Result<PolicyProgram> compiled = compile_sources(inputs, sources);
    if (!compiled.ok()) {
      fail("the case's policies do not compile:\n" + render_diagnostics(compiled.diagnostics(), sources));
      return false;
    }
    program_ = compiled.value();
    for (size_t i = 0; i < program_.tables.size() && !table_; ++i) {
      const ResourceName& name = program_.tables[i].name;
      if (case_.table.empty() || case_.table == name.table || case_.table == name.qualified()) table_ = i;
    }
    if (!table_) {
      fail(case_.table.empty() ? "the case's sql creates no table" : "no table `" + case_.table + "` in the sql");
      return false;
    }
    table_name_ = program_.tables[*table_].name.qualified();
    roles_path_ = case_.roles.empty() ? "" : scratch_.write("roles.yaml", case_.roles);
    sql_path_ = scratch_.write("policies.sql", case_.sql);

    std::vector<std::string> rows_json, new_rows_json;
    for (const CaseRow& row : case_.rows) {
      rows_json.push_back(row.row_json);
      if (row.new_row_json) new_rows_json.push_back(*row.new_row_json);
    }
    std::string error;
    rows_ = read_rows(case_, rows_json, program_.tables[*table_], scratch_, error);
    if (!new_rows_json.empty()) new_rows_ = read_rows(case_, new_rows_json, program_.tables[*table_], scratch_, error);
    if (!error.empty()) {
      run_.setup_error = error;
      return false;
    }
    identity_.user = case_.user;
    identity_.roles = case_.requested_roles;
    identity_.settings = case_.settings;
    return plan();
  }

  // The statement's plan for the principal, as the reference evaluator makes it.
  bool plan() {
    std::vector<RoleId> requested;
    for (const std::string& name : case_.requested_roles) {
      std::optional<RoleId> role = program_.find_role(name);
      if (!role) {
        fail("requested role `" + name + "` is not in roles:");
        return false;
      }
      requested.push_back(*role);
    }
    semantics::Principal principal = semantics::resolve_principal(program_, case_.user, requested);
    bool bypass = semantics::bypasses_row_security(program_, principal);
    auto applies = [&](const RowPolicy& policy) { return semantics::policy_applies_to(program_, principal, policy); };
    plan_ = plan_statement(program_.tables[*table_], case_.shape, applies, bypass);
    session_.current_user = case_.user;
    session_.session_user = case_.user;
    for (const auto& [name, value] : case_.settings) session_.set(name, value);
    return true;
  }

  const Row* new_row(size_t index) const { return new_rows_.empty() ? nullptr : &new_rows_[index]; }

  EngineAnswers interpreter() const {
    EngineAnswers answers{"interp", "", {}};
    interp::RowFilter filter(plan_, session_);
    for (size_t i = 0; i < rows_.size(); ++i) answers.outcomes.push_back(describe(filter.check(rows_[i], new_row(i))));
    return answers;
  }

  // The row's answer, and the batch's when it differs from it.
  std::string ask(const weftkit::StatementRowFilter& filter, size_t index) const {
    RuntimeRow row(rows_[index]);
    std::optional<RuntimeRow> new_datums;
    if (new_row(index) != nullptr) new_datums.emplace(*new_row(index));
    weftkit::StatusOr<weftkit::RowOutcome> checked =
        filter.check(row.datums(), new_datums ? new_datums->datums() : std::span<const weftkit::Datum>{});
    if (!checked.is_ok()) return "check refused the row: " + checked.status().message();
    std::string answer = describe(checked.value());
    // A scan's question, the result alone, must get the same answer.
    weftkit::RowResult alone = filter.result(row.datums().data(), new_datums ? new_datums->datums().data() : nullptr);
    if (alone != checked.value().result) {
      return answer + " (result() says " + std::to_string(static_cast<int>(alone)) + ")";
    }

    testing::CopiedRowBatch copies(program_.tables[*table_], rows_[index], new_row(index));
    if (!copies.representable()) return answer;
    weftkit::StatusOr<weftkit::BatchOutcome> filtered =
        filter.filter_batch(copies.schema(), copies.array(), copies.new_array());
    if (!filtered.is_ok()) return answer + " (filter_batch refused the batch: " + filtered.status().message() + ")";
    native::BatchOutcome batch;
    batch.selection = std::move(filtered.value().selection);
    for (const auto& [row_index, outcome] : filtered.value().exceptions) {
      batch.exceptions.emplace_back(row_index, reference_form(outcome));
    }
    std::string disagreement = copies.disagreement(batch, answer, "filter_batch");
    return disagreement.empty() ? answer : answer + " (" + disagreement + ")";
  }

  void ask_every_row(const weftkit::StatementRowFilter& filter, EngineAnswers& answers) const {
    for (size_t i = 0; i < rows_.size(); ++i) answers.outcomes.push_back(ask(filter, i));
  }

  // The version's own row filter for the case's principal (as a statement gets it, without
  // the store). Empty, with the reason in `answers`, when there is none.
  std::unique_ptr<const weftkit::StatementRowFilter> version_filter(const weftkit::PolicyVersion& version,
                                                                    EngineAnswers& answers) const {
    weftkit::StatusOr<weftkit::ResolvedPrincipal> principal = version.resolve(identity_);
    if (!principal.is_ok()) {
      answers.unavailable = "resolving the principal failed: " + principal.status().message();
      return nullptr;
    }
    weftkit::StatusOr<std::unique_ptr<const weftkit::StatementRowFilter>> filter =
        version.row_filter(principal.value(), identity_, table_name_, runtime_shape(case_.shape));
    if (!filter.is_ok()) {
      answers.unavailable = "row_filter refused the statement: " + filter.status().message();
      return nullptr;
    }
    return std::move(filter).value();
  }

  std::shared_ptr<const weftkit::PolicyVersion> jit_version(EngineAnswers& answers) const {
    answers.engine = "jit";
    static weftkit::StatusOr<weftkit::PolicyCompiler> compiler = weftkit::PolicyCompiler::create();
    if (!compiler.is_ok()) {
      answers.unavailable = "PolicyCompiler::create failed: " + compiler.status().message();
      return nullptr;
    }
    std::vector<std::string> files;
    if (!roles_path_.empty()) files.push_back(roles_path_);
    files.push_back(sql_path_);
    weftkit::StatusOr<std::shared_ptr<const weftkit::PolicyVersion>> version = compiler.value().compile(files);
    if (!version.is_ok()) {
      answers.unavailable = "PolicyCompiler::compile failed: " + version.status().message();
      return nullptr;
    }
    // A principal roles.yaml does not name gets compiled code from a background thread; until
    // then the interpreter answers. Ask again until the JIT's own code answers.
    std::unique_ptr<const weftkit::StatementRowFilter> filter;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (true) {
      uint64_t interpreted = version.value()->row_filter_counts().interpreted_filters;
      filter = version_filter(*version.value(), answers);
      if (!filter) return version.value();
      if (version.value()->row_filter_counts().interpreted_filters == interpreted) break;
      if (std::chrono::steady_clock::now() > deadline) {
        answers.unavailable = "the JIT version still answers with its interpreter after 20 s";
        return version.value();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ask_every_row(*filter, answers);
    return version.value();
  }

  // A module with the precompiled plans `compile --emit=so` writes, plus this statement's plan
  // (a principal with requested roles may plan one of its own), so that its code answers.
  std::shared_ptr<const weftkit::PolicyVersion> module_version(EngineAnswers& answers) const {
    answers.engine = "aot";
    llvm_backend::AotModuleContents contents;
    contents.bundle = write_bundle(program_);
    contents.origin = case_.where();
    contents.plans = native::known_principal_plans(program_);
    contents.plans.push_back({*table_, plan_});
    Result<llvm_backend::AotModule> object =
        llvm_backend::emit_aot_module(program_, contents, llvm_backend::NativeOutput::kObject);
    if (!object.ok()) {
      answers.unavailable = "emitting the module failed: " + messages_of(object.diagnostics());
      return nullptr;
    }
    std::string object_path = scratch_.write("module.o", object.value().bytes);
    std::string module_path = object_path.substr(0, object_path.size() - 2) + ".so";
    Diagnostics linking;
    if (!aot::link_policy_module(object_path, module_path, linking)) {
      answers.unavailable = "linking the module failed: " + messages_of(linking);
      return nullptr;
    }
    weftkit::StatusOr<std::shared_ptr<const weftkit::PolicyVersion>> loaded = weftkit::load_policy_module(module_path);
    if (!loaded.is_ok()) {
      answers.unavailable = "load_policy_module failed: " + loaded.status().message();
      return nullptr;
    }
    std::unique_ptr<const weftkit::StatementRowFilter> filter = version_filter(*loaded.value(), answers);
    if (!filter) return loaded.value();
    if (loaded.value()->row_filter_counts().interpreted_filters != 0) {
      answers.unavailable = "the module answers this statement with its interpreter: its code generator did not "
                            "lower the plan";
      return loaded.value();
    }
    ask_every_row(*filter, answers);
    return loaded.value();
  }

  // Exactly as an engine asks: a store serving the version, a context, a statement, its filter.
  EngineAnswers runtime_api(const char* name, std::shared_ptr<const weftkit::PolicyVersion> version) const {
    EngineAnswers answers{name, "", {}};
    if (!version) {
      answers.unavailable = "no version to serve (see its engine)";
      return answers;
    }
    weftkit::PolicyStore store(std::move(version));
    weftkit::StatusOr<weftkit::SecurityContext> context = weftkit::SecurityContext::build(store, identity_);
    if (!context.is_ok()) {
      answers.unavailable = "SecurityContext::build failed: " + context.status().message();
      return answers;
    }
    weftkit::StatusOr<weftkit::Statement> statement = context.value().begin_statement();
    if (!statement.is_ok()) {
      answers.unavailable = "begin_statement failed: " + statement.status().message();
      return answers;
    }
    weftkit::StatusOr<std::unique_ptr<const weftkit::StatementRowFilter>> filter =
        statement.value().row_filter(table_name_, runtime_shape(case_.shape));
    if (!filter.is_ok()) {
      answers.unavailable = "Statement::row_filter refused the statement: " + filter.status().message();
      return answers;
    }
    ask_every_row(*filter.value(), answers);
    return answers;
  }

  const PolicyCase& case_;
  CaseRun run_;
  Scratch scratch_;
  PolicyProgram program_;
  std::optional<size_t> table_;
  std::string table_name_;
  std::string roles_path_;
  std::string sql_path_;
  std::vector<Row> rows_;
  std::vector<Row> new_rows_;
  weftkit::Identity identity_;
  StatementPlan plan_;
  semantics::SessionValues session_;
};

}  // namespace

CaseRun run_case(const PolicyCase& policy_case) { return CaseRunner(policy_case).run(); }

}  // namespace weftkit::policy::cases
