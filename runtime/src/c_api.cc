// The C API (weftkit_policy.h) over the C++ runtime: stores (from modules), contexts, checks,
// statements. Row filters are in c_api_row_filter.cc, the compiler handle in codegen/jit/.
#include <cstddef>
#include <cstring>
#include <optional>

#include <weftkit/policy_module.h>
#include "runtime/src/c_api_boundary.h"

using weftkit::c_api::duplicate;
using weftkit::c_api::fail;
using weftkit::c_api::guarded;
using weftkit::c_api::guarded_check;
using weftkit::c_api::report;
using weftkit::c_api::valid_operation;

// The C enums are the C++ ones spelled for C: same values, checked here once.
static_assert(WEFTKIT_OP_SELECT == static_cast<int>(weftkit::Operation::kSelect));
static_assert(WEFTKIT_OP_INSERT == static_cast<int>(weftkit::Operation::kInsert));
static_assert(WEFTKIT_OP_UPDATE == static_cast<int>(weftkit::Operation::kUpdate));
static_assert(WEFTKIT_OP_DELETE == static_cast<int>(weftkit::Operation::kDelete));
static_assert(WEFTKIT_OP_TRUNCATE == static_cast<int>(weftkit::Operation::kTruncate));
static_assert(WEFTKIT_OP_REFERENCES == static_cast<int>(weftkit::Operation::kReferences));
static_assert(WEFTKIT_OP_TRIGGER == static_cast<int>(weftkit::Operation::kTrigger));
static_assert(WEFTKIT_OP_COPY_TO == static_cast<int>(weftkit::Operation::kCopyTo));
static_assert(WEFTKIT_OP_COPY_FROM == static_cast<int>(weftkit::Operation::kCopyFrom));
static_assert(WEFTKIT_OP_CREATE == static_cast<int>(weftkit::Operation::kCreate));
static_assert(WEFTKIT_OP_ALTER == static_cast<int>(weftkit::Operation::kAlter));
static_assert(WEFTKIT_OP_DROP == static_cast<int>(weftkit::Operation::kDrop));
static_assert(WEFTKIT_OP_GRANT == static_cast<int>(weftkit::Operation::kGrant));
static_assert(WEFTKIT_OP_REVOKE == static_cast<int>(weftkit::Operation::kRevoke));
static_assert(WEFTKIT_OP_CONNECT == static_cast<int>(weftkit::Operation::kConnect));
static_assert(WEFTKIT_OP_EXECUTE == static_cast<int>(weftkit::Operation::kExecute));
static_assert(WEFTKIT_AUTH_PASSWORD == static_cast<int>(weftkit::AuthMethod::kPassword));
static_assert(WEFTKIT_AUTH_JWT == static_cast<int>(weftkit::AuthMethod::kJwt));
static_assert(WEFTKIT_AUTH_MTLS == static_cast<int>(weftkit::AuthMethod::kMtls));

// weftkit_datum is weftkit::Datum byte for byte: rows are passed through without copying.
static_assert(sizeof(weftkit_datum) == sizeof(weftkit::Datum));
static_assert(alignof(weftkit_datum) == alignof(weftkit::Datum));
static_assert(offsetof(weftkit_datum, bits) == offsetof(weftkit::Datum, bits));
static_assert(offsetof(weftkit_datum, data) == offsetof(weftkit::Datum, data));
static_assert(offsetof(weftkit_datum, length) == offsetof(weftkit::Datum, length));
static_assert(offsetof(weftkit_datum, is_null) == offsetof(weftkit::Datum, is_null));
static_assert(offsetof(weftkit_datum, is_error) == offsetof(weftkit::Datum, is_error));
static_assert(offsetof(weftkit_datum, padding) == offsetof(weftkit::Datum, padding));

namespace {

weftkit::Operation to_operation(weftkit_operation op) { return static_cast<weftkit::Operation>(op); }

// The C identity as the C++ one, or the reason it is unusable.
weftkit_status to_identity(const weftkit_identity& in, weftkit::Identity& out, weftkit_error** error) {
  // A NULL user is the same mistake as an empty one; SecurityContext::build names it.
  out.user = in.user != nullptr ? in.user : "";
  if (in.tenant != nullptr) out.tenant = in.tenant;
  if (in.role_count > 0 && in.roles == nullptr) {
    return fail(WEFTKIT_INVALID_ARGUMENT, "identity.roles is NULL but identity.role_count is not 0", error);
  }
  for (size_t index = 0; index < in.role_count; ++index) {
    if (in.roles[index] == nullptr) {
      return fail(WEFTKIT_INVALID_ARGUMENT, "identity.roles[" + std::to_string(index) + "] is NULL", error);
    }
    out.roles.emplace_back(in.roles[index]);
  }
  if (in.setting_count > 0 && in.settings == nullptr) {
    return fail(WEFTKIT_INVALID_ARGUMENT, "identity.settings is NULL but identity.setting_count is not 0", error);
  }
  for (size_t index = 0; index < in.setting_count; ++index) {
    const weftkit_setting& setting = in.settings[index];
    if (setting.name == nullptr || setting.value == nullptr) {
      return fail(WEFTKIT_INVALID_ARGUMENT,
                  "identity.settings[" + std::to_string(index) + "] has a NULL name or value", error);
    }
    out.settings.emplace_back(setting.name, setting.value);
  }
  if (in.source_address != nullptr) out.source_address = in.source_address;
  int auth = static_cast<int>(in.auth_method);
  if (auth < 0 || auth > static_cast<int>(weftkit::AuthMethod::kMtls)) {
    return fail(WEFTKIT_INVALID_ARGUMENT, "identity.auth_method " + std::to_string(auth) + " is not a weftkit_auth_method",
                error);
  }
  out.auth_method = static_cast<weftkit::AuthMethod>(auth);
  return WEFTKIT_OK;
}

}  // namespace

extern "C" {

weftkit_status weftkit_store_open_module(const char* path, weftkit_store** out, weftkit_error** error) {
  return guarded(error, [&]() -> weftkit_status {
    if (out != nullptr) *out = nullptr;
    if (path == nullptr || out == nullptr) {
      return fail(WEFTKIT_INVALID_ARGUMENT, "weftkit_store_open_module: path and out must not be NULL", error);
    }
    weftkit::StatusOr<std::shared_ptr<const weftkit::PolicyVersion>> version = weftkit::load_policy_module(path);
    if (!version.is_ok()) return report(version.status(), error);
    *out = new weftkit_store{std::make_shared<weftkit::PolicyStore>(std::move(version).value())};
    return WEFTKIT_OK;
  });
}

weftkit_status weftkit_store_reload_module(weftkit_store* store, const char* path, weftkit_error** error) {
  return guarded(error, [&]() -> weftkit_status {
    if (store == nullptr || path == nullptr) {
      return fail(WEFTKIT_INVALID_ARGUMENT, "weftkit_store_reload_module: store and path must not be NULL", error);
    }
    return report(weftkit::reload_policy_module(*store->store, path), error);
  });
}

weftkit_status weftkit_store_reload_module_waiting(weftkit_store* store, const char* path, uint32_t retry_interval_ms,
                                                   uint32_t give_up_after_ms, weftkit_error** error) {
  return guarded(error, [&]() -> weftkit_status {
    if (store == nullptr || path == nullptr) {
      return fail(WEFTKIT_INVALID_ARGUMENT, "weftkit_store_reload_module_waiting: store and path must not be NULL",
                  error);
    }
    weftkit::ModuleReloadOptions options{std::chrono::milliseconds(retry_interval_ms),
                                         std::chrono::milliseconds(give_up_after_ms)};
    return report(weftkit::reload_policy_module(*store->store, path, options), error);
  });
}

weftkit_status weftkit_store_watch_module(weftkit_store* store, const char* path, uint32_t debounce_ms,
                                          uint32_t give_up_after_ms, weftkit_reload_callback on_reload,
                                          void* user_data, weftkit_module_watcher** out, weftkit_error** error) {
  return guarded(error, [&]() -> weftkit_status {
    if (out != nullptr) *out = nullptr;
    if (store == nullptr || path == nullptr || out == nullptr) {
      return fail(WEFTKIT_INVALID_ARGUMENT, "weftkit_store_watch_module: store, path and out must not be NULL", error);
    }
    auto watcher = std::make_unique<weftkit_module_watcher>();
    watcher->store = store->store;
    auto report_reload = [on_reload, user_data](const weftkit::ReloadEvent& event) {
      if (on_reload == nullptr) return;
      on_reload(user_data, weftkit::c_api::to_c_status(event.status.code()), event.generation,
                event.status.is_ok() ? nullptr : event.status.message().c_str());
    };
    weftkit::StatusOr<std::unique_ptr<weftkit::PolicyModuleWatcher>> started = weftkit::PolicyModuleWatcher::start(
        *watcher->store, path, std::chrono::milliseconds(debounce_ms), report_reload,
        std::chrono::milliseconds(give_up_after_ms));
    if (!started.is_ok()) return report(started.status(), error);
    watcher->watcher = std::move(started).value();
    *out = watcher.release();
    return WEFTKIT_OK;
  });
}

void weftkit_module_watcher_free(weftkit_module_watcher* watcher) { delete watcher; }

void weftkit_store_free(weftkit_store* store) { delete store; }

weftkit_status weftkit_store_generation(const weftkit_store* store, uint64_t* out) {
  if (store == nullptr || out == nullptr) return WEFTKIT_INVALID_ARGUMENT;
  *out = store->store->generation();
  return WEFTKIT_OK;
}

weftkit_status weftkit_store_row_filter_counts(const weftkit_store* store, uint64_t* native_plans,
                                               uint64_t* interpreted_filters) {
  if (store == nullptr || native_plans == nullptr || interpreted_filters == nullptr) return WEFTKIT_INVALID_ARGUMENT;
  weftkit::RowFilterCounts counts = store->store->current()->row_filter_counts();
  *native_plans = counts.native_plans;
  *interpreted_filters = counts.interpreted_filters;
  return WEFTKIT_OK;
}

weftkit_status weftkit_context_build(const weftkit_store* store, const weftkit_identity* identity,
                                     weftkit_context** out, weftkit_error** error) {
  return guarded(error, [&]() -> weftkit_status {
    if (out != nullptr) *out = nullptr;
    if (store == nullptr || identity == nullptr || out == nullptr) {
      return fail(WEFTKIT_INVALID_ARGUMENT, "weftkit_context_build: store, identity and out must not be NULL", error);
    }
    weftkit::Identity converted;
    if (weftkit_status status = to_identity(*identity, converted, error); status != WEFTKIT_OK) return status;
    weftkit::StatusOr<weftkit::SecurityContext> built = weftkit::SecurityContext::build(*store->store, std::move(converted));
    if (!built.is_ok()) return report(built.status(), error);
    *out = new weftkit_context{store->store, std::move(built).value()};
    return WEFTKIT_OK;
  });
}

void weftkit_context_free(weftkit_context* context) { delete context; }

const char* weftkit_context_session_id(const weftkit_context* context) {
  return context == nullptr ? nullptr : context->context.identity().session_id.c_str();
}

bool weftkit_allowed(weftkit_context* context, weftkit_operation op, const char* table) {
  if (context == nullptr || table == nullptr || !valid_operation(op)) return false;
  return guarded_check([&] { return context->context.allowed(to_operation(op), table); });
}

weftkit_status weftkit_resource_create(weftkit_context* context, const char* table, weftkit_resource** out,
                                       weftkit_error** error) {
  return guarded(error, [&]() -> weftkit_status {
    if (out != nullptr) *out = nullptr;
    if (context == nullptr || table == nullptr || out == nullptr) {
      return fail(WEFTKIT_INVALID_ARGUMENT, "weftkit_resource_create: context, table and out must not be NULL", error);
    }
    *out = new weftkit_resource{context->context.resource(table)};
    return WEFTKIT_OK;
  });
}

void weftkit_resource_free(weftkit_resource* resource) { delete resource; }

bool weftkit_allowed_resource(weftkit_context* context, weftkit_operation op, weftkit_resource* resource) {
  if (context == nullptr || resource == nullptr || !valid_operation(op)) return false;
  return guarded_check([&] { return context->context.allowed(to_operation(op), resource->handle); });
}

weftkit_status weftkit_statement_begin(weftkit_context* context, weftkit_statement** out, weftkit_error** error) {
  return guarded(error, [&]() -> weftkit_status {
    if (out != nullptr) *out = nullptr;
    if (context == nullptr || out == nullptr) {
      return fail(WEFTKIT_INVALID_ARGUMENT, "weftkit_statement_begin: context and out must not be NULL", error);
    }
    weftkit::StatusOr<weftkit::Statement> begun = context->context.begin_statement();
    if (!begun.is_ok()) return report(begun.status(), error);
    *out = new weftkit_statement{std::move(begun).value()};
    return WEFTKIT_OK;
  });
}

void weftkit_statement_free(weftkit_statement* statement) { delete statement; }

uint64_t weftkit_statement_number(const weftkit_statement* statement) {
  return statement == nullptr ? 0 : statement->statement.number();
}

bool weftkit_statement_allowed(const weftkit_statement* statement, weftkit_operation op, const char* table) {
  if (statement == nullptr || table == nullptr || !valid_operation(op)) return false;
  return guarded_check([&] { return statement->statement.allowed(to_operation(op), table); });
}

weftkit_status weftkit_statement_explain(const weftkit_statement* statement, weftkit_operation op, const char* table,
                                         char* buffer, size_t buffer_size, size_t* length, weftkit_error** error) {
  return guarded(error, [&]() -> weftkit_status {
    if (statement == nullptr || table == nullptr || (buffer == nullptr && buffer_size > 0)) {
      return fail(WEFTKIT_INVALID_ARGUMENT,
                  "weftkit_statement_explain: statement and table must not be NULL, nor buffer when buffer_size > 0",
                  error);
    }
    if (!valid_operation(op)) {
      return fail(WEFTKIT_INVALID_ARGUMENT, "operation " + std::to_string(static_cast<int>(op)) + " is not a weftkit_operation",
                  error);
    }
    std::string text = statement->statement.explain(to_operation(op), table);
    if (length != nullptr) *length = text.size();
    if (buffer_size > 0) {
      size_t written = text.size() < buffer_size ? text.size() : buffer_size - 1;
      std::memcpy(buffer, text.data(), written);
      buffer[written] = '\0';
    }
    if (text.size() >= buffer_size) {
      return fail(WEFTKIT_BUFFER_TOO_SMALL,
                  "the explanation needs " + std::to_string(text.size() + 1) + " bytes with its NUL; the buffer has " +
                      std::to_string(buffer_size),
                  error);
    }
    return WEFTKIT_OK;
  });
}

weftkit_status weftkit_statement_explain_alloc(const weftkit_statement* statement, weftkit_operation op,
                                               const char* table, char** out, weftkit_error** error) {
  return guarded(error, [&]() -> weftkit_status {
    if (out != nullptr) *out = nullptr;
    if (statement == nullptr || table == nullptr || out == nullptr) {
      return fail(WEFTKIT_INVALID_ARGUMENT, "weftkit_statement_explain_alloc: statement, table and out must not be NULL",
                  error);
    }
    if (!valid_operation(op)) {
      return fail(WEFTKIT_INVALID_ARGUMENT, "operation " + std::to_string(static_cast<int>(op)) + " is not a weftkit_operation",
                  error);
    }
    *out = duplicate(statement->statement.explain(to_operation(op), table));
    return WEFTKIT_OK;
  });
}

}  // extern "C"

namespace weftkit::c_api {

weftkit_store* wrap_store(std::shared_ptr<PolicyStore> store) { return new weftkit_store{std::move(store)}; }

PolicyStore& store_of(weftkit_store& store) { return *store.store; }
const SecurityContext& context_of(const weftkit_context& context) { return context.context; }
const Statement& statement_of(const weftkit_statement& statement) { return statement.statement; }
std::shared_ptr<const PolicyStore> shared_store_of(const weftkit_store& store) { return store.store; }

}  // namespace weftkit::c_api
