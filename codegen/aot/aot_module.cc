// The support code inside an ahead-of-time policy module (a shared library written by
// `weftkit-policyc compile --emit=so`): it decodes the embedded bundle once, resolves
// principals with the generated permission functions, and answers row filters with the
// precompiled plans — or, for a plan that was not precompiled (a role combination no user in
// roles.yaml holds, a construct the code generator does not lower), with the reference
// interpreter it carries. Implements the C ABI of include/weftkit/policy_module_abi.h.
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <map>
#include <new>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "codegen/native/aot_symbols.h"
#include "codegen/core/policy_version_core.h"
#include "codegen/native/known_plans.h"
#include "codegen/native/native_plan.h"
#include "codegen/native/plan_cache.h"
#include "codegen/native/statement_filter.h"
#include "compiler/bundle/bundle.h"
#include <weftkit/policy_module_abi.h>

struct weftkit_module_principal {
  std::shared_ptr<const weftkit::policy::core::CorePrincipal> resolved;
};

struct weftkit_module_filter {
  weftkit::policy::native::StatementFilter filter;
};

namespace weftkit::policy::aot {
namespace {

// The module's compiled plans: the precompiled functions of its object, each wrapped once as
// a CompiledPlan when the module is loaded.
class PrecompiledPlans final : public core::PlanSource {
 public:
  std::shared_ptr<const native::CompiledPlan> find(const std::string& key) const override {
    return wrapped_.find(key);
  }
  // A module compiles nothing after it is built: the interpreter answers such plans.
  void missing(const std::string&, const StatementPlan&, const TableDefinition&) const override {}
  uint64_t native_plan_count() const override { return weftkit_aot_plan_count; }

  // Wraps every precompiled plan now, on the loading thread, rather than on the first
  // statement of each plan: what a reader allocated and the module kept would be freed by the
  // store's reclaimer thread at unload, taking the reader's malloc arena lock — and a reclaimer
  // preempted while holding it stalls the reader for a time slice (bench/README.md,
  // runtime_reload).
  void wrap(const PolicyProgram& program) {
    std::unordered_map<std::string, const native::PrecompiledPlan*> table;
    for (uint64_t index = 0; index < weftkit_aot_plan_count; ++index) {
      table.emplace(weftkit_aot_plans[index].key, &weftkit_aot_plans[index]);
    }
    std::map<std::string, std::shared_ptr<const native::CompiledPlan>> wrapped_now;
    for (native::KnownPlan& known : native::known_principal_plans(program)) {
      const TableDefinition& table_definition = program.tables[known.table];
      std::string key = native::plan_key(table_definition.name.qualified(), known.plan);
      auto found = table.find(key);
      if (found == table.end() || wrapped_now.count(key) != 0) continue;
      auto plan = std::make_shared<native::CompiledPlan>(std::move(known.plan), table_definition);
      plan->set_code(found->second->row, found->second->batch, nullptr);  // the code lives as long as the library
      wrapped_now.emplace(std::move(key), std::move(plan));
    }
    wrapped_.insert_all(wrapped_now);
  }

 private:
  native::PlanCache wrapped_;
};

// Decoded once, on first use; a static object, not a heap one, so that unloading the library
// (dlclose, after a reload replaced this version) runs its destructor and frees the program.
struct ModuleState {
  std::unique_ptr<const core::PolicyVersionCore> core;  // null: the embedded bundle does not verify
  PrecompiledPlans plans;

  ModuleState() {
    Result<PolicyProgram> decoded = read_bundle(
        std::string_view(reinterpret_cast<const char*>(weftkit_aot_bundle), weftkit_aot_bundle_size), weftkit_aot_origin);
    if (!decoded.ok()) return;  // a damaged module: the entry point returns null
    core = std::make_unique<const core::PolicyVersionCore>(std::move(decoded).value(), weftkit_aot_origin);
    plans.wrap(core->program());
  }
};

ModuleState& state() {
  static ModuleState loaded;
  return loaded;
}

char* copy_string(const std::string& text) {
  char* out = static_cast<char*>(std::malloc(text.size() + 1));
  if (out != nullptr) std::memcpy(out, text.c_str(), text.size() + 1);
  return out;
}

int32_t fail(char** error, int32_t code, const std::string& message) {
  if (error != nullptr) *error = copy_string(message);
  return code;
}

int32_t fail(char** error, const weftkit::Status& status) {
  static_assert(static_cast<int>(weftkit::StatusCode::kNotFound) == WEFTKIT_MODULE_NOT_FOUND);
  static_assert(static_cast<int>(weftkit::StatusCode::kInvalidArgument) == WEFTKIT_MODULE_INVALID_ARGUMENT);
  return fail(error, static_cast<int32_t>(status.code()), status.message());
}

// Whether the runtime passed the very identity the principal was resolved for (every
// statement of a context does): compared in place, so that a statement copies no strings.
bool is_resolved_identity(const weftkit_module_identity& view, const core::CorePrincipal& principal) {
  if (principal.user != view.user || principal.roles.size() != view.role_count ||
      principal.settings.size() != view.setting_count) {
    return false;
  }
  for (size_t index = 0; index < view.role_count; ++index) {
    if (principal.roles[index] != view.roles[index]) return false;
  }
  for (size_t index = 0; index < view.setting_count; ++index) {
    if (principal.settings[index].first != view.setting_names[index] ||
        principal.settings[index].second != view.setting_values[index]) {
      return false;
    }
  }
  return true;
}

weftkit::Identity identity_of(const weftkit_module_identity& view) {
  weftkit::Identity identity;
  identity.user = view.user;
  for (size_t index = 0; index < view.role_count; ++index) identity.roles.emplace_back(view.roles[index]);
  for (size_t index = 0; index < view.setting_count; ++index) {
    identity.settings.emplace_back(view.setting_names[index], view.setting_values[index]);
  }
  return identity;
}

int32_t resolve(const weftkit_module_identity* identity, uint64_t* masks, uint8_t* bypasses_row_security,
                weftkit_module_principal** principal, char** error) try {
  if (identity == nullptr || identity->user == nullptr || masks == nullptr || principal == nullptr) {
    return fail(error, WEFTKIT_MODULE_INVALID_ARGUMENT, "resolve: a null argument");
  }
  weftkit::StatusOr<std::shared_ptr<const core::CorePrincipal>> resolved = state().core->resolve(identity_of(*identity));
  if (!resolved.is_ok()) return fail(error, resolved.status());
  const std::vector<RoleId>& held = resolved.value()->held_roles;
  weftkit_principal_masks(held.data(), static_cast<uint32_t>(held.size()), masks);
  if (bypasses_row_security != nullptr) *bypasses_row_security = resolved.value()->bypasses_row_security ? 1 : 0;
  *principal = new weftkit_module_principal{std::move(resolved).value()};
  return WEFTKIT_MODULE_OK;
} catch (const std::bad_alloc&) {
  return fail(error, WEFTKIT_MODULE_INTERNAL, "out of memory");
} catch (const std::exception& failure) {
  return fail(error, WEFTKIT_MODULE_INTERNAL, std::string("internal error: ") + failure.what());
}

void free_principal(weftkit_module_principal* principal) { delete principal; }

uint32_t resource_class(const char* table, size_t table_length) {
  const core::PolicyVersionCore& core = *state().core;
  if (table == nullptr) return core.program().permissions.class_count;
  return core.resource_class(std::string_view(table, table_length));
}

// The module ABI's command numbers (policy_module_abi.h) as the runtime's commands.
std::optional<weftkit::Command> command_of(uint32_t command) {
  switch (command) {
    case WEFTKIT_MODULE_COMMAND_SELECT: return weftkit::Command::kSelect;
    case WEFTKIT_MODULE_COMMAND_INSERT: return weftkit::Command::kInsert;
    case WEFTKIT_MODULE_COMMAND_UPDATE: return weftkit::Command::kUpdate;
    case WEFTKIT_MODULE_COMMAND_DELETE: return weftkit::Command::kDelete;
    default: return std::nullopt;
  }
}

int32_t open_filter(const weftkit_module_principal* principal, const weftkit_module_identity* identity, const char* table,
                    size_t table_length, uint32_t command, uint8_t reads_columns, uint8_t returning,
                    weftkit_module_filter** filter, char** error) try {
  std::optional<weftkit::Command> statement_command = command_of(command);
  if (principal == nullptr || identity == nullptr || identity->user == nullptr || table == nullptr || filter == nullptr ||
      !statement_command) {
    return fail(error, WEFTKIT_MODULE_INVALID_ARGUMENT, "open_filter: a null argument or an unknown command");
  }
  const StatementShape shape{core::statement_command(*statement_command), reads_columns != 0, returning != 0};
  ModuleState& module = state();
  const std::string_view table_name(table, table_length);
  weftkit::StatusOr<core::PolicyVersionCore::RowFilter> opened =
      is_resolved_identity(*identity, *principal->resolved)
          ? module.core->row_filter_as_resolved(*principal->resolved, table_name, shape, module.plans)
          : module.core->row_filter(*principal->resolved, identity_of(*identity), table_name, shape, module.plans);
  if (!opened.is_ok()) return fail(error, opened.status());
  *filter = new weftkit_module_filter{std::move(opened.value().filter)};
  return WEFTKIT_MODULE_OK;
} catch (const std::bad_alloc&) {
  return fail(error, WEFTKIT_MODULE_INTERNAL, "out of memory");
} catch (const std::exception& failure) {
  return fail(error, WEFTKIT_MODULE_INTERNAL, std::string("internal error: ") + failure.what());
}

void free_filter(weftkit_module_filter* filter) { delete filter; }

// check_row and the exception sink hand the reference evaluator's results over as the ABI's
// WEFTKIT_MODULE_ROW_* numbers by a cast; these keep the two enumerations in step.
static_assert(static_cast<uint32_t>(interp::RowResult::kPass) == WEFTKIT_MODULE_ROW_PASS);
static_assert(static_cast<uint32_t>(interp::RowResult::kFiltered) == WEFTKIT_MODULE_ROW_FILTERED);
static_assert(static_cast<uint32_t>(interp::RowResult::kViolation) == WEFTKIT_MODULE_ROW_VIOLATION);
static_assert(static_cast<uint32_t>(interp::RowResult::kError) == WEFTKIT_MODULE_ROW_ERROR);

uint32_t check_row(const weftkit_module_filter* filter, const void* row, const void* new_row, char** message) try {
  if (filter == nullptr || row == nullptr) {
    if (message != nullptr) *message = copy_string("check_row: a null argument");
    return WEFTKIT_MODULE_ROW_ERROR;
  }
  const auto* datums = static_cast<const native::NativeDatum*>(row);
  const auto* new_datums = static_cast<const native::NativeDatum*>(new_row);
  // No message asked for: the result alone, without building one.
  if (message == nullptr) return static_cast<uint32_t>(filter->filter.result(datums, new_datums));
  interp::RowOutcome outcome = filter->filter.check(datums, new_datums);
  *message = outcome.message.empty() ? nullptr : copy_string(outcome.message);
  return static_cast<uint32_t>(outcome.result);
} catch (...) {
  if (message != nullptr) *message = copy_string("internal error while checking a row");
  return WEFTKIT_MODULE_ROW_ERROR;  // an error, never a pass
}

int32_t filter_batch(const weftkit_module_filter* filter, const ArrowSchema* schema, const ArrowArray* batch,
                     const ArrowArray* new_batch, uint64_t* selection, weftkit_module_exception_sink sink,
                     void* sink_context, char** error) try {
  if (filter == nullptr || schema == nullptr || batch == nullptr || selection == nullptr) {
    return fail(error, WEFTKIT_MODULE_INVALID_ARGUMENT, "filter_batch: a null argument");
  }
  std::string problem;
  std::optional<native::BatchOutcome> outcome = filter->filter.filter_batch(*schema, *batch, new_batch, problem);
  if (!outcome) return fail(error, WEFTKIT_MODULE_INVALID_ARGUMENT, problem);
  std::memcpy(selection, outcome->selection.data(), outcome->selection.size() * sizeof(uint64_t));
  if (sink != nullptr) {
    for (const auto& [row, row_outcome] : outcome->exceptions) {
      sink(sink_context, row, static_cast<uint32_t>(row_outcome.result), row_outcome.message.c_str());
    }
  }
  return WEFTKIT_MODULE_OK;
} catch (const std::bad_alloc&) {
  return fail(error, WEFTKIT_MODULE_INTERNAL, "out of memory");
} catch (const std::exception& failure) {
  return fail(error, WEFTKIT_MODULE_INTERNAL, std::string("internal error: ") + failure.what());
}

char* explain(const weftkit_module_principal* principal, uint32_t op, const char* table, size_t table_length) try {
  if (principal == nullptr || table == nullptr || op >= static_cast<uint32_t>(kOperationCount)) return nullptr;
  return copy_string(
      state().core->explain(*principal->resolved, static_cast<Operation>(op), std::string_view(table, table_length)));
} catch (...) {
  return nullptr;
}

void free_string(char* text) { std::free(text); }
uint64_t precompiled_plan_count() { return weftkit_aot_plan_count; }
uint64_t interpreted_filter_count() { return state().core->interpreted_filter_count(); }

int64_t column_count(const char* table, size_t table_length) try {
  if (table == nullptr) return -1;
  weftkit::StatusOr<const TableDefinition*> definition = state().core->table(std::string_view(table, table_length));
  return definition.is_ok() ? static_cast<int64_t>(definition.value()->columns.size()) : -1;
} catch (...) {
  return -1;  // unknown: the runtime then refuses the filter rather than guess a row length
}

void append_u32(std::string& out, uint32_t value) {
  for (int shift = 0; shift < 32; shift += 8) out.push_back(static_cast<char>((value >> shift) & 0xff));
}

void append_strings(std::string& out, const std::vector<std::string>& strings) {
  append_u32(out, static_cast<uint32_t>(strings.size()));
  for (const std::string& text : strings) {
    append_u32(out, static_cast<uint32_t>(text.size()));
    out += text;
  }
}

int32_t user_entry(const char* user, size_t user_length, char** entry, size_t* entry_length) try {
  if (user == nullptr || entry == nullptr || entry_length == nullptr) return WEFTKIT_MODULE_INVALID_ARGUMENT;
  std::optional<weftkit::DirectoryUser> found = state().core->directory_user(std::string_view(user, user_length));
  if (!found) return WEFTKIT_MODULE_NOT_FOUND;
  std::string encoded(1, found->default_tenant ? '\1' : '\0');
  if (found->default_tenant) {
    append_u32(encoded, static_cast<uint32_t>(found->default_tenant->size()));
    encoded += *found->default_tenant;
  }
  append_strings(encoded, found->other_tenants);
  append_strings(encoded, found->roles);
  // Not copy_string: the encoding holds NUL bytes.
  char* bytes = static_cast<char*>(std::malloc(encoded.size()));
  if (bytes == nullptr) return WEFTKIT_MODULE_INTERNAL;
  std::memcpy(bytes, encoded.data(), encoded.size());
  *entry = bytes;
  *entry_length = encoded.size();
  return WEFTKIT_MODULE_OK;
} catch (...) {
  return WEFTKIT_MODULE_INTERNAL;
}

int32_t role_exists(const char* role, size_t role_length) try {
  if (role == nullptr) return 0;
  return state().core->program().find_role(std::string_view(role, role_length)).has_value() ? 1 : 0;
} catch (...) {
  return 0;
}

}  // namespace
}  // namespace weftkit::policy::aot

// The generated object's weftkit_policy_module returns this (see aot_symbols.h).
extern "C" const weftkit_module_v1* weftkit_aot_module_table(void) {
  using namespace weftkit::policy::aot;
  static const weftkit_module_v1* table = []() -> const weftkit_module_v1* {
    ModuleState& module = state();
    if (!module.core) return nullptr;
    static weftkit_module_v1 functions{};
    functions.abi_version = WEFTKIT_MODULE_ABI_VERSION;
    functions.struct_size = sizeof(weftkit_module_v1);
    functions.origin = weftkit_aot_origin;
    functions.mask_count = module.core->program().permissions.class_count + 1;
    functions.resolve = resolve;
    functions.free_principal = free_principal;
    functions.resource_class = resource_class;
    functions.open_filter = open_filter;
    functions.free_filter = free_filter;
    functions.check_row = check_row;
    functions.filter_batch = filter_batch;
    functions.explain = explain;
    functions.free_string = free_string;
    functions.precompiled_plan_count = precompiled_plan_count;
    functions.interpreted_filter_count = interpreted_filter_count;
    functions.column_count = column_count;
    functions.user_entry = user_entry;
    functions.role_exists = role_exists;
    return &functions;
  }();
  return table;
}
