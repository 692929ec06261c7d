// One attempt at loading a policy module file, and the loop of attempts that waits for a file
// still being written: shared by reload_policy_module and PolicyModuleWatcher.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <weftkit/policy_module.h>
#include "runtime/src/module_private_copy.h"

namespace weftkit::detail {

struct ModuleLoadAttempt {
  StatusOr<std::shared_ptr<const PolicyVersion>> version = Status(StatusCode::kInternal, "not attempted");
  bool incomplete = false;  // refused for a reason a file still being written shows
  std::optional<FileIdentity> file;  // the file as it was copied (none if it could not be)
};

ModuleLoadAttempt try_load_policy_module(const std::string& path);

// Attempts until one loads, one fails for good, or `options.give_up_after` has passed, calling
// `wait(options.retry_interval)` between attempts; `wait` returns false to stop waiting (the
// watcher is being destroyed). Returns the last attempt, its failure saying how long it waited.
ModuleLoadAttempt load_complete_policy_module(
    const std::string& path, const ModuleReloadOptions& options,
    const std::function<bool(std::chrono::milliseconds)>& wait);

}  // namespace weftkit::detail
