// What the runtime's C API translation units (runtime/src/c_api*.cc) share: the opaque
// handles' definitions and checks of enum values from C; the error conversion and the guard
// come from <weftkit/detail/c_api_bridge.h>, which libraries outside the runtime use too.
// Private to those files; engines see only weftkit_policy.h.
#pragma once

#include <cstdint>
#include <exception>
#include <memory>
#include <new>
#include <string_view>
#include <utility>
#include <vector>

#include <weftkit/detail/c_api_bridge.h>
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
  size_t column_count = 0;  // filter->column_count(), read once: every row's length is checked against it
};

struct weftkit_batch_exceptions {
  std::vector<std::pair<int64_t, weftkit::RowOutcome>> entries;
};

namespace weftkit::c_api {

// Out-of-range values from C (an int in an enum's clothing) are refused, not cast blindly.
inline bool valid_operation(weftkit_operation op) {
  return static_cast<int>(op) >= 0 && static_cast<int>(op) <= static_cast<int>(Operation::kExecute);
}

inline bool valid_command(weftkit_command command) {
  return static_cast<int>(command) >= 0 && static_cast<int>(command) <= static_cast<int>(Command::kDelete);
}

}  // namespace weftkit::c_api
