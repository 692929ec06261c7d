// Ahead-of-time code checked against the reference evaluator, row by row (see aot_agreement.h).
#include "tests/codegen/support/aot_agreement.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>

#include "codegen/aot/module_linker.h"
#include "codegen/llvm/aot_emit.h"
#include "codegen/llvm/jit_row_filter.h"
#include "codegen/llvm/native_plan.h"
#include "compiler/bundle/bundle.h"
#include "tests/codegen/support/copied_row_batch.h"
#include "tests/codegen/support/jit_agreement.h"

namespace weftkit::policy::testing {
namespace {

std::string messages_of(const Diagnostics& diagnostics) {
  std::string text;
  for (const Diagnostic& diagnostic : diagnostics.all()) text += (text.empty() ? "" : "; ") + diagnostic.message;
  return text;
}

uint32_t module_command(StatementCommand command) {
  switch (command) {
    case StatementCommand::kSelect: return 0;
    case StatementCommand::kInsert: return 1;
    case StatementCommand::kUpdate: return 2;
    case StatementCommand::kDelete: return 3;
  }
  return 0;
}

// The subject as the module's C ABI wants it; the pointers live as long as this object.
class SubjectView {
 public:
  explicit SubjectView(const StatementSubject& subject) {
    for (const std::string& role : subject.requested_roles) roles_.push_back(role.c_str());
    for (const auto& [name, value] : subject.settings) {
      names_.push_back(name.c_str());
      values_.push_back(value.c_str());
    }
    view_ = {subject.user.c_str(), roles_.data(), roles_.size(), names_.data(), values_.data(), names_.size()};
  }
  const weftkit_module_identity* get() const { return &view_; }

 private:
  std::vector<const char*> roles_;
  std::vector<const char*> names_;
  std::vector<const char*> values_;
  weftkit_module_identity view_{};
};

// A module-allocated string, freed.
std::string take_string(const weftkit_module_v1& module, char* text) {
  if (text == nullptr) return "";
  std::string out = text;
  module.free_string(text);
  return out;
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
    unavailable_because_ = "the AOT emitter refused the plan: " + llvm_backend::lay_out_native_plan(plan).unsupported_reason;
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
  Result<std::unique_ptr<ModuleLibrary>> opened = ModuleLibrary::open(stem + ".so");
  std::filesystem::remove(stem + ".so");  // the mapping stays
  if (!opened.ok()) {
    unavailable_because_ = messages_of(opened.diagnostics());
    return;
  }
  library_ = std::move(opened).value();
  const weftkit_module_v1& module = library_->functions();

  SubjectView identity(subject);
  std::vector<uint64_t> masks(module.mask_count);
  uint8_t bypasses_row_security = 0;
  char* error = nullptr;
  if (module.resolve(identity.get(), masks.data(), &bypasses_row_security, &principal_, &error) != WEFTKIT_MODULE_OK) {
    unavailable_because_ = "the module did not resolve " + subject.user + ": " + take_string(module, error);
    return;
  }
  std::string name = table_.name.qualified();
  if (module.open_filter(principal_, identity.get(), name.data(), name.size(), module_command(shape.command),
                         shape.reads_columns ? 1 : 0, shape.returning ? 1 : 0, &filter_, &error) != WEFTKIT_MODULE_OK) {
    unavailable_because_ = "the module refused the statement: " + take_string(module, error);
    return;
  }
  if (module.precompiled_plan_count() != 1 || module.interpreted_filter_count() != 0) {
    unavailable_because_ = "the module answers this statement with its interpreter: it planned a statement other than "
                           "the reference's";
  }
}

AotAgreement::~AotAgreement() {
  if (library_ == nullptr) return;
  if (filter_ != nullptr) library_->functions().free_filter(filter_);
  if (principal_ != nullptr) library_->functions().free_principal(principal_);
}

std::string AotAgreement::disagreement(const interp::RowOutcome& expected, const std::vector<Value>& row,
                                       const std::vector<Value>* new_row) const {
  if (!unavailable_because_.empty()) return "no AOT code to compare: " + unavailable_because_;
  const weftkit_module_v1& module = library_->functions();
  std::string want = describe_outcome(expected);
  std::vector<llvm_backend::NativeDatum> datums = llvm_backend::to_native_datums(row);
  std::vector<llvm_backend::NativeDatum> new_datums;
  if (new_row != nullptr) new_datums = llvm_backend::to_native_datums(*new_row);
  char* message = nullptr;
  interp::RowOutcome by_row;
  uint32_t result = module.check_row(filter_, datums.data(), new_row != nullptr ? new_datums.data() : nullptr, &message);
  by_row.result = result <= 3 ? static_cast<interp::RowResult>(result) : interp::RowResult::kError;
  by_row.message = take_string(module, message);
  std::string row_answer = describe_outcome(by_row);
  if (row_answer != want) return "AOT check_row: " + row_answer;

  CopiedRowBatch copies(table_, row, new_row);
  if (!copies.representable()) return "";
  llvm_backend::BatchOutcome batch;
  batch.selection.assign((static_cast<size_t>(copies.array().length) + 63) / 64, 0);
  auto sink = [](void* context, int64_t row_index, uint32_t code, const char* text) {
    auto* exceptions = static_cast<std::vector<std::pair<int64_t, interp::RowOutcome>>*>(context);
    exceptions->emplace_back(row_index, interp::RowOutcome{code <= 3 ? static_cast<interp::RowResult>(code)
                                                                     : interp::RowResult::kError,
                                                           text != nullptr ? text : ""});
  };
  char* error = nullptr;
  if (module.filter_batch(filter_, &copies.schema(), &copies.array(), copies.new_array(), batch.selection.data(), sink,
                          &batch.exceptions, &error) != WEFTKIT_MODULE_OK) {
    return "AOT filter_batch refused the batch: " + take_string(module, error);
  }
  return copies.disagreement(batch, want, "AOT filter_batch");
}

}  // namespace weftkit::policy::testing
