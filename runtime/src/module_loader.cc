// Ahead-of-time modules behind the PolicyVersion interface (see policy_module.h and
// policy_module_abi.h).
#include <dlfcn.h>

#include <algorithm>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <weftkit/detail/reload_audit.h>
#include <weftkit/policy_module.h>
#include <weftkit/policy_module_abi.h>
#include "runtime/src/module_load_attempt.h"
#include "runtime/src/module_private_copy.h"

namespace weftkit {
namespace {

static_assert(static_cast<int>(StatusCode::kNotFound) == WEFTKIT_MODULE_NOT_FOUND);
static_assert(static_cast<int>(StatusCode::kPermissionDenied) == WEFTKIT_MODULE_PERMISSION_DENIED);
static_assert(static_cast<int>(StatusCode::kInternal) == WEFTKIT_MODULE_INTERNAL);

// Module loads (dlopen and the module's first call, which builds its static state) and
// unloads (dlclose, which runs its static destructors), one at a time. The dynamic loader
// serialises dlopen and dlclose anyway, but with a lock ThreadSanitizer cannot see; now that
// replaced modules are unloaded on the store's reclaimer thread, a new module mapped where an
// unloaded one was would look like a race on the same globals. Readers never take it.
std::mutex& module_loading() {
  static std::mutex loading;
  return loading;
}

// The loaded library: closed when the last version, principal or filter using it is gone.
struct Library {
  explicit Library(detail::ModulePrivateCopy private_copy) : copy(std::move(private_copy)) {}
  ~Library() {
    if (handle == nullptr) return;
    std::lock_guard<std::mutex> lock(module_loading());
    dlclose(handle);
    copy.closed();
  }

  detail::ModulePrivateCopy copy;
  void* handle = nullptr;
  const weftkit_module_v1* functions = nullptr;
};

static_assert(static_cast<int>(RowResult::kPass) == WEFTKIT_MODULE_ROW_PASS);
static_assert(static_cast<int>(RowResult::kFiltered) == WEFTKIT_MODULE_ROW_FILTERED);
static_assert(static_cast<int>(RowResult::kViolation) == WEFTKIT_MODULE_ROW_VIOLATION);
static_assert(static_cast<int>(RowResult::kError) == WEFTKIT_MODULE_ROW_ERROR);
static_assert(static_cast<int>(Command::kSelect) == WEFTKIT_MODULE_COMMAND_SELECT);
static_assert(static_cast<int>(Command::kInsert) == WEFTKIT_MODULE_COMMAND_INSERT);
static_assert(static_cast<int>(Command::kUpdate) == WEFTKIT_MODULE_COMMAND_UPDATE);
static_assert(static_cast<int>(Command::kDelete) == WEFTKIT_MODULE_COMMAND_DELETE);

// A module's row result; anything else it might return is an error, never a pass.
RowResult row_result_of(uint32_t result) {
  return result <= WEFTKIT_MODULE_ROW_ERROR ? static_cast<RowResult>(result) : RowResult::kError;
}

// Takes a module-allocated string.
std::string take_string(const Library& library, char* text) {
  if (text == nullptr) return {};
  std::string out = text;
  library.functions->free_string(text);
  return out;
}

Status module_status(const Library& library, int32_t code, char* message) {
  std::string text = take_string(library, message);
  if (code < 0 || code > WEFTKIT_MODULE_INTERNAL) code = WEFTKIT_MODULE_INTERNAL;
  return Status(static_cast<StatusCode>(code), text.empty() ? "the policy module failed without a message" : text);
}

// Identity as the C ABI wants it; the pointers live as long as this object.
// Built for every statement's row filter, so it allocates nothing for identities of up to
// kInline roles and settings (the pointer arrays live inside it).
class ModuleIdentity {
 public:
  explicit ModuleIdentity(const Identity& identity) {
    const char** roles = pointers(identity.roles.size(), roles_inline_, roles_heap_);
    for (size_t index = 0; index < identity.roles.size(); ++index) roles[index] = identity.roles[index].c_str();
    const char** names = pointers(identity.settings.size(), names_inline_, names_heap_);
    const char** values = pointers(identity.settings.size(), values_inline_, values_heap_);
    for (size_t index = 0; index < identity.settings.size(); ++index) {
      names[index] = identity.settings[index].first.c_str();
      values[index] = identity.settings[index].second.c_str();
    }
    view_.user = identity.user.c_str();
    view_.roles = roles;
    view_.role_count = identity.roles.size();
    view_.setting_names = names;
    view_.setting_values = values;
    view_.setting_count = identity.settings.size();
  }
  ModuleIdentity(const ModuleIdentity&) = delete;
  ModuleIdentity& operator=(const ModuleIdentity&) = delete;
  const weftkit_module_identity* get() const { return &view_; }

 private:
  static constexpr size_t kInline = 8;
  static const char** pointers(size_t count, const char** inline_array, std::vector<const char*>& heap) {
    if (count <= kInline) return inline_array;
    heap.resize(count);
    return heap.data();
  }

  const char* roles_inline_[kInline] = {};
  const char* names_inline_[kInline] = {};
  const char* values_inline_[kInline] = {};
  std::vector<const char*> roles_heap_, names_heap_, values_heap_;
  weftkit_module_identity view_{};
};

class ModuleStatementFilter final : public StatementRowFilter {
 public:
  ModuleStatementFilter(std::shared_ptr<const Library> library, weftkit_module_filter* filter, size_t column_count)
      : library_(std::move(library)),
        filter_(filter),
        check_row_(library_->functions->check_row),
        column_count_(column_count) {}
  ~ModuleStatementFilter() override { library_->functions->free_filter(filter_); }

  size_t column_count() const override { return column_count_; }

  RowOutcome check(const Datum* row, const Datum* new_row) const override {
    // Most rows pass or are filtered: asked without a message, the module only computes the
    // result; the rare rows that need their message are asked again for it.
    RowResult answer = result(row, new_row);
    if (answer == RowResult::kPass || answer == RowResult::kFiltered) return {answer, {}};
    char* message = nullptr;
    RowOutcome outcome;
    outcome.result = row_result_of(check_row_(filter_, row, new_row, &message));
    outcome.message = take_string(*library_, message);
    return outcome;
  }

  RowResult result(const Datum* row, const Datum* new_row) const override {
    return row_result_of(check_row_(filter_, row, new_row, nullptr));
  }

  StatusOr<BatchOutcome> filter_batch(const ArrowSchema& schema, const ArrowArray& batch,
                                      const ArrowArray* new_batch) const override {
    if (batch.length < 0) return Status(StatusCode::kInvalidArgument, "the batch has a negative length");
    BatchOutcome outcome;
    outcome.selection.assign(static_cast<size_t>((batch.length + 63) / 64), 0);
    auto sink = [](void* context, int64_t row, uint32_t result, const char* message) {
      auto* exceptions = static_cast<std::vector<std::pair<int64_t, RowOutcome>>*>(context);
      exceptions->emplace_back(row, RowOutcome{row_result_of(result), message != nullptr ? message : ""});
    };
    char* error = nullptr;
    int32_t code = library_->functions->filter_batch(filter_, &schema, &batch, new_batch, outcome.selection.data(), sink,
                                                     &outcome.exceptions, &error);
    if (code != WEFTKIT_MODULE_OK) return module_status(*library_, code, error);
    return outcome;
  }

 private:
  std::shared_ptr<const Library> library_;
  weftkit_module_filter* filter_;
  decltype(weftkit_module_v1::check_row) check_row_;  // read once: a row costs one indirect call
  size_t column_count_;
};

// Reads user_entry's encoding (policy_module_abi.h); nullopt when it is malformed, which a
// module built by this project never writes: the user is then treated as unknown.
class DirectoryUserDecoder {
 public:
  explicit DirectoryUserDecoder(std::string_view bytes) : rest_(bytes) {}

  std::optional<DirectoryUser> decode() {
    DirectoryUser user;
    if (rest_.empty()) return std::nullopt;
    const char flag = rest_.front();
    rest_.remove_prefix(1);
    if (flag != 0 && flag != 1) return std::nullopt;
    if (flag == 1) {
      std::optional<std::string> tenant = text();
      if (!tenant) return std::nullopt;
      user.default_tenant = std::move(tenant);
    }
    if (!strings(user.other_tenants) || !strings(user.roles) || !rest_.empty()) return std::nullopt;
    return user;
  }

 private:
  std::optional<uint32_t> u32() {
    if (rest_.size() < 4) return std::nullopt;
    uint32_t value = 0;
    for (int index = 0; index < 4; ++index) value |= static_cast<uint32_t>(static_cast<uint8_t>(rest_[index])) << (8 * index);
    rest_.remove_prefix(4);
    return value;
  }
  std::optional<std::string> text() {
    std::optional<uint32_t> length = u32();
    if (!length || *length > rest_.size()) return std::nullopt;
    std::string value(rest_.substr(0, *length));
    rest_.remove_prefix(*length);
    return value;
  }
  bool strings(std::vector<std::string>& out) {
    std::optional<uint32_t> count = u32();
    // Each string takes at least its 4-byte length: a count past that cannot be honest.
    if (!count || *count > rest_.size() / 4) return false;
    for (uint32_t index = 0; index < *count; ++index) {
      std::optional<std::string> value = text();
      if (!value) return false;
      out.push_back(std::move(*value));
    }
    return true;
  }

  std::string_view rest_;
};

class ModulePolicyVersion final : public PolicyVersion {
 public:
  ModulePolicyVersion(std::shared_ptr<const Library> library, std::string path)
      : library_(std::move(library)), path_(std::move(path)) {}

  std::string describe() const override { return std::string(library_->functions->origin) + " (module " + path_ + ")"; }

  StatusOr<ResolvedPrincipal> resolve(const Identity& identity) const override {
    ModuleIdentity view(identity);
    ResolvedPrincipal resolved;
    resolved.masks.assign(library_->functions->mask_count, 0);
    uint8_t bypass = 0;
    weftkit_module_principal* principal = nullptr;
    char* error = nullptr;
    int32_t code = library_->functions->resolve(view.get(), resolved.masks.data(), &bypass, &principal, &error);
    if (code != WEFTKIT_MODULE_OK) return module_status(*library_, code, error);
    resolved.masks.back() = 0;  // the always-denied entry, whatever the module wrote
    resolved.bypasses_row_security = bypass != 0;
    std::shared_ptr<const Library> library = library_;
    resolved.detail = std::shared_ptr<const void>(principal, [library](const void* held) {
      library->functions->free_principal(static_cast<weftkit_module_principal*>(const_cast<void*>(held)));
    });
    return resolved;
  }

  uint32_t resource_class(std::string_view table) const override {
    uint32_t found = library_->functions->resource_class(table.data(), table.size());
    uint32_t last = library_->functions->mask_count - 1;
    return found < last ? found : last;  // never past the masks, whatever the module says
  }

  StatusOr<std::unique_ptr<const StatementRowFilter>> row_filter(const ResolvedPrincipal& principal,
                                                                 const Identity& identity, std::string_view table,
                                                                 const StatementShape& shape) const override {
    ModuleIdentity view(identity);
    weftkit_module_filter* filter = nullptr;
    char* error = nullptr;
    int32_t code = library_->functions->open_filter(static_cast<const weftkit_module_principal*>(principal.detail.get()),
                                                    view.get(), table.data(), table.size(),
                                                    static_cast<uint32_t>(shape.command), shape.reads_columns ? 1 : 0,
                                                    shape.returning ? 1 : 0, &filter, &error);
    if (code != WEFTKIT_MODULE_OK) return module_status(*library_, code, error);
    int64_t columns = library_->functions->column_count(table.data(), table.size());
    if (columns < 0) {
      // Without a row length the filter could not be used safely: refuse it, never guess.
      library_->functions->free_filter(filter);
      return Status(StatusCode::kInternal, "policy module " + path_ + " opened a row filter on " + std::string(table) +
                                               " but does not report its column count");
    }
    return std::unique_ptr<const StatementRowFilter>(
        std::make_unique<ModuleStatementFilter>(library_, filter, static_cast<size_t>(columns)));
  }

  std::string explain(const ResolvedPrincipal& principal, const Identity&, Operation op,
                      std::string_view table) const override {
    char* text = library_->functions->explain(static_cast<const weftkit_module_principal*>(principal.detail.get()),
                                              static_cast<uint32_t>(op), table.data(), table.size());
    if (text == nullptr) return "DENY: the policy module could not explain this decision";
    return take_string(*library_, text);
  }

  RowFilterCounts row_filter_counts() const override {
    return {library_->functions->precompiled_plan_count(), library_->functions->interpreted_filter_count()};
  }

  std::optional<DirectoryUser> find_user(std::string_view user) const override {
    char* entry = nullptr;
    size_t entry_length = 0;
    if (library_->functions->user_entry(user.data(), user.size(), &entry, &entry_length) != WEFTKIT_MODULE_OK ||
        entry == nullptr) {
      return std::nullopt;
    }
    std::optional<DirectoryUser> decoded = DirectoryUserDecoder(std::string_view(entry, entry_length)).decode();
    library_->functions->free_string(entry);
    return decoded;
  }

  bool role_exists(std::string_view role) const override {
    return library_->functions->role_exists(role.data(), role.size()) == 1;
  }

 private:
  std::shared_ptr<const Library> library_;
  std::string path_;
};

// Every entry of the table is called without a further check.
bool function_table_complete(const weftkit_module_v1& table) {
  return table.struct_size >= sizeof(weftkit_module_v1) && table.mask_count != 0 && table.origin != nullptr &&
         table.resolve != nullptr && table.free_principal != nullptr && table.resource_class != nullptr &&
         table.open_filter != nullptr && table.free_filter != nullptr && table.check_row != nullptr &&
         table.filter_batch != nullptr && table.explain != nullptr && table.free_string != nullptr &&
         table.precompiled_plan_count != nullptr && table.interpreted_filter_count != nullptr &&
         table.column_count != nullptr && table.user_entry != nullptr && table.role_exists != nullptr;
}

// dlerror() names the file it opened, the private copy; the operator knows the module by its
// own path.
std::string load_failure_reason(const std::string& loader_path, const std::string& module_path) {
  const char* reason = dlerror();
  std::string text = reason != nullptr ? reason : "unknown reason";
  for (size_t at = text.find(loader_path); at != std::string::npos; at = text.find(loader_path, at + module_path.size())) {
    text.replace(at, loader_path.size(), module_path);
  }
  // The caller's message names the module already.
  if (text.rfind(module_path + ": ", 0) == 0) text.erase(0, module_path.size() + 2);
  return text;
}

}  // namespace

namespace detail {

ModuleLoadAttempt try_load_policy_module(const std::string& path) {
  ModuleLoadAttempt attempt;
  StatusOr<detail::ModulePrivateCopy> copy = detail::ModulePrivateCopy::of(path);
  if (!copy.is_ok()) {
    attempt.version = copy.status();
    // A file cut short while it was copied is still being written; a missing or unreadable
    // one is not (deployments rename a whole file into place), and is reported at once.
    attempt.incomplete = copy.status().message().ends_with("the file shrank while it was read");
    return attempt;
  }
  // Nothing of the file is mapped as code before its copy passed this: a truncated module
  // mapped by the loader faults the process when touched.
  attempt.file = copy.value().source();
  ModuleImageCheck checked = copy.value().check();
  if (!checked.status.is_ok()) {
    attempt.version = Status(checked.status.code(), "cannot load policy module " + path + ": " + checked.status.message());
    attempt.incomplete = !checked.complete;
    return attempt;
  }
  auto library = std::make_shared<Library>(std::move(copy).value());
  std::unique_lock<std::mutex> loading(module_loading());
  library->handle = dlopen(library->copy.loader_path().c_str(), RTLD_NOW | RTLD_LOCAL);
  library->copy.opened();
  if (library->handle == nullptr) {
    attempt.version = Status(StatusCode::kPolicyError, "cannot load policy module " + path + ": " +
                                                           load_failure_reason(library->copy.loader_path(), path));
    return attempt;
  }
  auto entry = reinterpret_cast<weftkit_module_entry>(dlsym(library->handle, WEFTKIT_MODULE_ENTRY_SYMBOL));
  if (entry == nullptr) {
    attempt.version =
        Status(StatusCode::kPolicyError, path + " is not a WeftKit policy module (no " WEFTKIT_MODULE_ENTRY_SYMBOL ")");
    return attempt;
  }
  library->functions = entry();
  loading.unlock();
  if (library->functions == nullptr) {
    attempt.version = Status(StatusCode::kPolicyError,
                             "policy module " + path + " is damaged: its embedded policy bundle does not verify");
    return attempt;
  }
  if (library->functions->abi_version != WEFTKIT_MODULE_ABI_VERSION) {
    attempt.version = Status(StatusCode::kPolicyError, "policy module " + path + " has module ABI version " +
                                                           std::to_string(library->functions->abi_version) +
                                                           ", this runtime needs " +
                                                           std::to_string(WEFTKIT_MODULE_ABI_VERSION) + ": recompile it");
    return attempt;
  }
  // Only now is the rest of the table known to have this runtime's layout.
  if (!function_table_complete(*library->functions)) {
    attempt.version =
        Status(StatusCode::kPolicyError, "policy module " + path + " is damaged: its function table is incomplete");
    return attempt;
  }
  attempt.version = std::shared_ptr<const PolicyVersion>(std::make_shared<ModulePolicyVersion>(std::move(library), path));
  return attempt;
}

ModuleLoadAttempt load_complete_policy_module(const std::string& path, const ModuleReloadOptions& options,
                                              const std::function<bool(std::chrono::milliseconds)>& wait) {
  const auto started = std::chrono::steady_clock::now();
  // Each attempt copies and hashes the whole file: never in a busy loop.
  const std::chrono::milliseconds interval = std::max(options.retry_interval, std::chrono::milliseconds(10));
  for (bool retried = false;; retried = true) {
    ModuleLoadAttempt attempt = try_load_policy_module(path);
    if (attempt.version.is_ok() || !attempt.incomplete) return attempt;
    auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    if (waited + interval > options.give_up_after || !wait(interval)) {
      if (retried) {
        Status last = attempt.version.status();
        attempt.version = Status(last.code(), last.message() + " (gave up after " + std::to_string(waited.count()) +
                                                  " ms of waiting for a complete file)");
      }
      return attempt;
    }
  }
}

}  // namespace detail

StatusOr<std::shared_ptr<const PolicyVersion>> load_policy_module(const std::string& path) {
  return std::move(detail::try_load_policy_module(path).version);
}

Status reload_policy_module(PolicyStore& store, const std::string& path, const ModuleReloadOptions& options) {
  const uint64_t old_generation = store.generation();
  const bool audited = detail::wants_reload_events(store);
  StatusOr<std::shared_ptr<const PolicyVersion>> version =
      detail::load_complete_policy_module(path, options, [](std::chrono::milliseconds interval) {
        std::this_thread::sleep_for(interval);
        return true;
      }).version;
  // Hashed after the load: the bytes of the file as it ends up, which a complete load used.
  const std::vector<std::string> hashes = audited ? detail::sha256_of_files({path}) : std::vector<std::string>{};
  Status outcome = version.is_ok() ? Status::ok() : version.status();
  if (version.is_ok()) store.publish(std::move(version).value());
  if (audited) detail::report_reload(store, old_generation, {path}, hashes, outcome);
  return outcome;
}

}  // namespace weftkit
