// What the C API's translation units share (runtime/src/c_api*.cc and the compiler's
// codegen/module/c_api_compiler.cc): the opaque handles' definitions, Status turned into a
// weftkit_status plus weftkit_error, and the one guard that keeps exceptions inside.
// Private to those files; engines see only weftkit_policy.h.
#pragma once

#include <cstdint>
#include <exception>
#include <memory>
#include <new>
#include <string_view>
#include <utility>
#include <vector>

#include <weftkit/policy_module.h>
#include <weftkit/policy_runtime.h>
#include <weftkit/weftkit_policy.h>

// The handles behind the C API's opaque pointers (global, as the header declares them).
struct weftkit_store {
  std::shared_ptr<weftkit::PolicyStore> store;
};

struct weftkit_module_watcher {
  std::shared_ptr<weftkit::PolicyStore> store;  // the watcher publishes into it: keep it alive
  std::unique_ptr<weftkit::PolicyModuleWatcher> watcher;  // destroyed first: stops the thread
};

struct weftkit_context {
  std::shared_ptr<weftkit::PolicyStore> store;  // the context points into it: keep it alive
  weftkit::SecurityContext context;
};

struct weftkit_resource {
  weftkit::ResourceHandle handle;
};

struct weftkit_statement {
  weftkit::Statement statement;
};

struct weftkit_row_filter {
  std::unique_ptr<const weftkit::StatementRowFilter> filter;
};

struct weftkit_batch_exceptions {
  std::vector<std::pair<int64_t, weftkit::RowOutcome>> entries;
};

namespace weftkit::c_api {

weftkit_status to_c_status(StatusCode code);

// Sets *error (when `error` is not null) to a new weftkit_error holding `code` and the
// message, and returns `code`. Allocates with malloc and never throws: if memory runs out,
// *error stays null and the code still tells the caller.
weftkit_status fail(weftkit_status code, std::string_view message, weftkit_error** error) noexcept;

// OK → WEFTKIT_OK (*error untouched, already cleared by guarded); otherwise fail().
weftkit_status report(const Status& status, weftkit_error** error) noexcept;

// A malloc'ed NUL-terminated copy, for strings the caller frees with weftkit_string_free.
// Throws std::bad_alloc, to be caught by guarded().
char* duplicate(std::string_view text);

// Runs a C entry point's body with *error cleared first, turning any exception into
// WEFTKIT_INTERNAL: nothing thrown inside may unwind into C.
template <class Body>
weftkit_status guarded(weftkit_error** error, Body&& body) noexcept {
  if (error != nullptr) *error = nullptr;
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return fail(WEFTKIT_INTERNAL, "out of memory", error);
  } catch (const std::exception& exception) {
    return fail(WEFTKIT_INTERNAL, exception.what(), error);
  } catch (...) {
    return fail(WEFTKIT_INTERNAL, "internal error: an unknown exception reached the C API", error);
  }
}

// For checks: an exception denies.
template <class Body>
bool guarded_check(Body&& body) noexcept {
  try {
    return body();
  } catch (...) {
    return false;
  }
}

// Out-of-range values from C (an int in an enum's clothing) are refused, not cast blindly.
inline bool valid_operation(weftkit_operation op) {
  return static_cast<int>(op) >= 0 && static_cast<int>(op) <= static_cast<int>(Operation::kExecute);
}

inline bool valid_command(weftkit_command command) {
  return static_cast<int>(command) >= 0 && static_cast<int>(command) <= static_cast<int>(Command::kDelete);
}

}  // namespace weftkit::c_api
