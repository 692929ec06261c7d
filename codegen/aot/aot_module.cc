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
#include <string>
#include <unordered_map>

#include "codegen/aot/aot_symbols.h"
#include "codegen/interp/decision_text.h"
#include "codegen/interp/principal.h"
#include "codegen/llvm/known_plans.h"
#include "codegen/llvm/plan_cache.h"
#include "codegen/llvm/principal_plan_memo.h"
#include "codegen/llvm/statement_filter.h"
#include "compiler/bundle/bundle.h"
#include "compiler/ir/resource_class_index.h"
#include <weftkit/policy_module_abi.h>

struct weftkit_module_principal {
  weftkit::policy::interp::Principal principal;
  bool bypasses_row_security = false;
  mutable weftkit::policy::llvm_backend::PrincipalPlanMemo plans;  // its statements' compiled plans
};

struct weftkit_module_filter {
  weftkit::policy::llvm_backend::StatementFilter filter;
};

namespace weftkit::policy::aot {
namespace {

// Decoded once, on first use; a static object, not a heap one, so that unloading the library
// (dlclose, after a reload replaced this version) runs its destructor and frees the program.
struct ModuleState {
  bool ok = false;
  PolicyProgram program;
  ResourceClassIndex resource_names;  // every check by name looks its table up here
  std::unordered_map<std::string, const PrecompiledPlan*> plans;
  llvm_backend::PlanCache wrapped;  // precompiled plans wrapped as CompiledPlans, once each
  std::atomic<uint64_t> interpreted{0};

  ModuleState() {
    Result<PolicyProgram> decoded = read_bundle(
        std::string_view(reinterpret_cast<const char*>(weftkit_aot_bundle), weftkit_aot_bundle_size), weftkit_aot_origin);
    if (!decoded.ok()) return;  // a damaged module: the entry point returns null
    program = std::move(decoded).value();
    resource_names = ResourceClassIndex(program);
    for (uint64_t index = 0; index < weftkit_aot_plan_count; ++index) {
      plans.emplace(weftkit_aot_plans[index].key, &weftkit_aot_plans[index]);
    }
    wrap_precompiled_plans();
    ok = true;
  }

  // Wraps every precompiled plan now, on the loading thread, rather than on the first
  // statement of each plan: what a reader allocated and the module kept would be freed by the
  // store's reclaimer thread at unload, taking the reader's malloc arena lock — and a reclaimer
  // preempted while holding it stalls the reader for a time slice (bench/README.md,
  // runtime_reload).
  void wrap_precompiled_plans() {
    std::map<std::string, std::shared_ptr<const llvm_backend::CompiledPlan>> wrapped_now;
    for (llvm_backend::KnownPlan& known : llvm_backend::known_principal_plans(program)) {
      const TableDefinition& table = program.tables[known.table];
      std::string key = llvm_backend::plan_key(table.name.qualified(), known.plan);
      auto found = plans.find(key);
      if (found == plans.end() || wrapped_now.count(key) != 0) continue;
      auto plan = std::make_shared<llvm_backend::CompiledPlan>(std::move(known.plan), table);
      plan->set_code(found->second->row, found->second->batch, nullptr);  // the code lives as long as the library
      wrapped_now.emplace(std::move(key), std::move(plan));
    }
    wrapped.insert_all(wrapped_now);
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

interp::SessionValues session_of(const weftkit_module_identity& identity) {
  interp::SessionValues session;
  session.current_user = identity.user;
  session.session_user = identity.user;
  for (size_t index = 0; index < identity.setting_count; ++index) {
    session.set(identity.setting_names[index], identity.setting_values[index]);
  }
  return session;
}

int32_t resolve(const weftkit_module_identity* identity, uint64_t* masks, uint8_t* bypasses_row_security,
                weftkit_module_principal** principal, char** error) try {
  if (identity == nullptr || identity->user == nullptr || masks == nullptr || principal == nullptr) {
    return fail(error, WEFTKIT_MODULE_INVALID_ARGUMENT, "resolve: a null argument");
  }
  const PolicyProgram& program = state().program;
  std::vector<RoleId> requested;
  for (size_t index = 0; index < identity->role_count; ++index) {
    std::optional<RoleId> role = program.find_role(identity->roles[index]);
    if (!role) {
      return fail(error, WEFTKIT_MODULE_NOT_FOUND,
                  "role \"" + std::string(identity->roles[index]) + "\" is not defined by the serving policy version (" +
                      std::string(weftkit_aot_origin) + ")");
    }
    requested.push_back(*role);
  }
  auto resolved = std::make_unique<weftkit_module_principal>();
  resolved->principal = interp::resolve_principal(program, identity->user, requested);
  resolved->bypasses_row_security = interp::bypasses_row_security(program, resolved->principal);
  std::vector<uint32_t> held;
  for (const interp::HeldRole& role : resolved->principal.roles) held.push_back(role.role);
  weftkit_principal_masks(held.data(), static_cast<uint32_t>(held.size()), masks);
  if (bypasses_row_security != nullptr) *bypasses_row_security = resolved->bypasses_row_security ? 1 : 0;
  *principal = resolved.release();
  return WEFTKIT_MODULE_OK;
} catch (const std::bad_alloc&) {
  return fail(error, WEFTKIT_MODULE_INTERNAL, "out of memory");
} catch (const std::exception& failure) {
  return fail(error, WEFTKIT_MODULE_INTERNAL, std::string("internal error: ") + failure.what());
}

void free_principal(weftkit_module_principal* principal) { delete principal; }

uint32_t resource_class(const char* table, size_t table_length) {
  const ModuleState& module = state();
  if (table == nullptr) return module.program.permissions.class_count;
  return module.resource_names.classify(std::string_view(table, table_length));
}

StatementCommand command_of(uint32_t command) {
  switch (command) {
    case 1: return StatementCommand::kInsert;
    case 2: return StatementCommand::kUpdate;
    case 3: return StatementCommand::kDelete;
    default: return StatementCommand::kSelect;
  }
}

int32_t open_filter(const weftkit_module_principal* principal, const weftkit_module_identity* identity, const char* table,
                    size_t table_length, uint32_t command, uint8_t reads_columns, uint8_t returning,
                    weftkit_module_filter** filter, char** error) try {
  if (principal == nullptr || identity == nullptr || identity->user == nullptr || table == nullptr || filter == nullptr ||
      command > 3) {
    return fail(error, WEFTKIT_MODULE_INVALID_ARGUMENT, "open_filter: a null argument or an unknown command");
  }
  ModuleState& module = state();
  std::string_view table_name(table, table_length);
  ParsedResourceName name = parse_resource_name(table_name);
  if (!name.name) return fail(error, WEFTKIT_MODULE_INVALID_ARGUMENT, "bad table name '" + std::string(table_name) + "': it " + name.error);
  const TableDefinition* definition = module.program.find_table(*name.name);
  if (definition == nullptr) {
    return fail(error, WEFTKIT_MODULE_NOT_FOUND,
                "table " + name.name->qualified() + " is not declared (CREATE TABLE) in " + std::string(weftkit_aot_origin) +
                    ", so its columns and row-level security are unknown");
  }
  interp::SessionValues session = session_of(*identity);
  const size_t table_index = static_cast<size_t>(definition - module.program.tables.data());
  const StatementShape shape{command_of(command), reads_columns != 0, returning != 0};
  if (std::shared_ptr<const llvm_backend::CompiledPlan> known = principal->plans.find(table_index, shape)) {
    *filter = new weftkit_module_filter{llvm_backend::StatementFilter(std::move(known), std::move(session))};
    return WEFTKIT_MODULE_OK;
  }
  auto applies = [&](const RowPolicy& policy) {
    return interp::policy_applies_to(module.program, principal->principal, policy);
  };
  StatementPlan plan = plan_statement(*definition, shape, applies, principal->bypasses_row_security);
  auto found = module.plans.find(llvm_backend::plan_key(definition->name.qualified(), plan));
  if (found == module.plans.end()) {
    module.interpreted.fetch_add(1, std::memory_order_relaxed);
    *filter = new weftkit_module_filter{llvm_backend::StatementFilter(std::move(plan), std::move(session), *definition)};
    return WEFTKIT_MODULE_OK;
  }
  // Wrapped once per plan, not per statement (the plan copy and its layout are not free).
  std::shared_ptr<const llvm_backend::CompiledPlan> code = module.wrapped.find(found->first);
  if (!code) {
    auto fresh = std::make_shared<llvm_backend::CompiledPlan>(std::move(plan), *definition);
    fresh->set_code(found->second->row, found->second->batch, nullptr);  // the code lives as long as the library
    code = module.wrapped.insert(found->first, std::move(fresh));
  }
  principal->plans.remember(table_index, shape, code);
  *filter = new weftkit_module_filter{llvm_backend::StatementFilter(std::move(code), std::move(session))};
  return WEFTKIT_MODULE_OK;
} catch (const std::bad_alloc&) {
  return fail(error, WEFTKIT_MODULE_INTERNAL, "out of memory");
} catch (const std::exception& failure) {
  return fail(error, WEFTKIT_MODULE_INTERNAL, std::string("internal error: ") + failure.what());
}

void free_filter(weftkit_module_filter* filter) { delete filter; }

uint32_t check_row(const weftkit_module_filter* filter, const void* row, const void* new_row, char** message) try {
  if (filter == nullptr || row == nullptr) {
    if (message != nullptr) *message = copy_string("check_row: a null argument");
    return 3;
  }
  interp::RowOutcome outcome = filter->filter.check(static_cast<const llvm_backend::NativeDatum*>(row),
                                                    static_cast<const llvm_backend::NativeDatum*>(new_row));
  if (message != nullptr) *message = outcome.message.empty() ? nullptr : copy_string(outcome.message);
  return static_cast<uint32_t>(outcome.result);
} catch (...) {
  if (message != nullptr) *message = copy_string("internal error while checking a row");
  return 3;  // an error, never a pass
}

int32_t filter_batch(const weftkit_module_filter* filter, const ArrowSchema* schema, const ArrowArray* batch,
                     const ArrowArray* new_batch, uint64_t* selection, weftkit_module_exception_sink sink,
                     void* sink_context, char** error) try {
  if (filter == nullptr || schema == nullptr || batch == nullptr || selection == nullptr) {
    return fail(error, WEFTKIT_MODULE_INVALID_ARGUMENT, "filter_batch: a null argument");
  }
  std::string problem;
  std::optional<llvm_backend::BatchOutcome> outcome = filter->filter.filter_batch(*schema, *batch, new_batch, problem);
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
  return copy_string(interp::describe_decision(state().program, principal->principal, static_cast<Operation>(op),
                                               std::string_view(table, table_length)));
} catch (...) {
  return nullptr;
}

void free_string(char* text) { std::free(text); }
uint64_t precompiled_plan_count() { return weftkit_aot_plan_count; }
uint64_t interpreted_filter_count() { return state().interpreted.load(std::memory_order_relaxed); }

int64_t column_count(const char* table, size_t table_length) try {
  if (table == nullptr) return -1;
  ParsedResourceName name = parse_resource_name(std::string_view(table, table_length));
  if (!name.name) return -1;
  const TableDefinition* definition = state().program.find_table(*name.name);
  return definition != nullptr ? static_cast<int64_t>(definition->columns.size()) : -1;
} catch (...) {
  return -1;  // unknown: the runtime then refuses the filter rather than guess a row length
}

}  // namespace
}  // namespace weftkit::policy::aot

// The generated object's weftkit_policy_module returns this (see aot_symbols.h).
extern "C" const weftkit_module_v1* weftkit_aot_module_table(void) {
  using namespace weftkit::policy::aot;
  static const weftkit_module_v1* table = []() -> const weftkit_module_v1* {
    ModuleState& module = state();
    if (!module.ok) return nullptr;
    static weftkit_module_v1 functions{};
    functions.abi_version = WEFTKIT_MODULE_ABI_VERSION;
    functions.struct_size = sizeof(weftkit_module_v1);
    functions.origin = weftkit_aot_origin;
    functions.mask_count = module.program.permissions.class_count + 1;
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
    return &functions;
  }();
  return table;
}
