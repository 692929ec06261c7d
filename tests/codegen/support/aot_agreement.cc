// Ahead-of-time code checked against the reference evaluator, row by row (see aot_agreement.h).
#include "tests/codegen/support/aot_agreement.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>

#include "codegen/aot/module_linker.h"
#include "codegen/llvm/aot_emit.h"
#include "codegen/native/compiled_row_filter.h"
#include "codegen/native/native_plan.h"
#include "compiler/bundle/bundle.h"
#include <weftkit/policy_module.h>
#include "tests/codegen/support/copied_row_batch.h"
#include "tests/codegen/support/jit_agreement.h"

namespace weftkit::policy::testing {
namespace {

std::string messages_of(const Diagnostics& diagnostics) {
  std::string text;
  for (const Diagnostic& diagnostic : diagnostics.all()) text += (text.empty() ? "" : "; ") + diagnostic.message;
  return text;
}

weftkit::Command runtime_command(StatementCommand command) {
  switch (command) {
    case StatementCommand::kSelect: return weftkit::Command::kSelect;
    case StatementCommand::kInsert: return weftkit::Command::kInsert;
    case StatementCommand::kUpdate: return weftkit::Command::kUpdate;
    case StatementCommand::kDelete: return weftkit::Command::kDelete;
  }
  return weftkit::Command::kSelect;
}

interp::RowOutcome reference_outcome(const weftkit::RowOutcome& outcome) {
  return interp::RowOutcome{static_cast<interp::RowResult>(outcome.result), outcome.message};
}

// The datums the runtime's row filters read: the native layout, which weftkit::Datum mirrors
// (codegen/jit/jit_policy_version.cc checks that it does).
const weftkit::Datum* runtime_datums(const std::vector<native::NativeDatum>& datums) {
  static_assert(sizeof(weftkit::Datum) == sizeof(native::NativeDatum));
  return reinterpret_cast<const weftkit::Datum*>(datums.data());
}

std::atomic<uint64_t> next_module{0};

}  // namespace

AotAgreement::AotAgreement(const PolicyProgram& program, size_t table, const StatementShape& shape,
                           const StatementSubject& subject, const StatementPlan& plan)
    : table_(program.tables.at(table)) {
  llvm_backend::AotModuleContents contents;
  contents.bundle = write_bundle(program);
  contents.origin = "the AOT agreement check";
  contents.plans.push_back({table, plan});
  Result<llvm_backend::AotModule> object =
      llvm_backend::emit_aot_module(program, contents, llvm_backend::NativeOutput::kObject);
  if (!object.ok()) {
    unavailable_because_ = "emitting the module failed: " + messages_of(object.diagnostics());
    return;
  }
  if (object.value().plans_compiled != 1) {
    unavailable_because_ = "the AOT emitter refused the plan: " + native::lay_out_native_plan(plan).unsupported_reason;
    return;
  }

  // Files of this process alone, so that dlopen never hands back another test's module.
  std::string stem = (std::filesystem::temp_directory_path() /
                      ("weftkit-aot-agreement-" + std::to_string(getpid()) + "-" + std::to_string(next_module++)))
                         .string();
  std::ofstream(stem + ".o", std::ios::binary) << object.value().bytes;
  Diagnostics linking;
  bool linked = aot::link_policy_module(stem + ".o", stem + ".so", linking);
  std::filesystem::remove(stem + ".o");
  if (!linked) {
    std::filesystem::remove(stem + ".so");
    unavailable_because_ = messages_of(linking);
    return;
  }
  weftkit::StatusOr<std::shared_ptr<const weftkit::PolicyVersion>> loaded = weftkit::load_policy_module(stem + ".so");
  std::filesystem::remove(stem + ".so");  // the runtime loaded a private copy
  if (!loaded.is_ok()) {
    unavailable_because_ = loaded.status().message();
    return;
  }
  const weftkit::PolicyVersion& version = *loaded.value();

  weftkit::Identity identity;
  identity.user = subject.user;
  identity.roles = subject.requested_roles;
  identity.settings = subject.settings;
  weftkit::StatusOr<weftkit::ResolvedPrincipal> principal = version.resolve(identity);
  if (!principal.is_ok()) {
    unavailable_because_ = "the module did not resolve " + subject.user + ": " + principal.status().message();
    return;
  }
  weftkit::StatusOr<std::unique_ptr<const weftkit::StatementRowFilter>> filter = version.row_filter(
      principal.value(), identity, table_.name.qualified(),
      weftkit::StatementShape{runtime_command(shape.command), shape.reads_columns, shape.returning});
  if (!filter.is_ok()) {
    unavailable_because_ = "the module refused the statement: " + filter.status().message();
    return;
  }
  filter_ = std::move(filter).value();
  weftkit::RowFilterCounts counts = version.row_filter_counts();
  if (counts.native_plans != 1 || counts.interpreted_filters != 0) {
    unavailable_because_ = "the module answers this statement with its interpreter: it planned a statement other than "
                           "the reference's";
  }
}

AotAgreement::~AotAgreement() = default;

std::string AotAgreement::disagreement(const interp::RowOutcome& expected, const std::vector<Value>& row,
                                       const std::vector<Value>* new_row) const {
  if (!unavailable_because_.empty()) return "no AOT code to compare: " + unavailable_because_;
  std::string want = describe_outcome(expected);
  std::vector<native::NativeDatum> datums = native::to_native_datums(row);
  std::vector<native::NativeDatum> new_datums;
  if (new_row != nullptr) new_datums = native::to_native_datums(*new_row);
  std::string row_answer = describe_outcome(reference_outcome(
      filter_->check(runtime_datums(datums), new_row != nullptr ? runtime_datums(new_datums) : nullptr)));
  if (row_answer != want) return "AOT check: " + row_answer;

  CopiedRowBatch copies(table_, row, new_row);
  if (!copies.representable()) return "";
  weftkit::StatusOr<weftkit::BatchOutcome> filtered =
      filter_->filter_batch(copies.schema(), copies.array(), copies.new_array());
  if (!filtered.is_ok()) return "AOT filter_batch refused the batch: " + filtered.status().message();
  native::BatchOutcome batch;
  batch.selection = std::move(filtered.value().selection);
  for (const auto& [row_index, outcome] : filtered.value().exceptions) {
    batch.exceptions.emplace_back(row_index, reference_outcome(outcome));
  }
  return copies.disagreement(batch, want, "AOT filter_batch");
}

}  // namespace weftkit::policy::testing
