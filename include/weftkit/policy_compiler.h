// For engines that compile policy text at run time (they link weftkit_policy_compiler, which
// brings the compiler and LLVM's JIT; the runtime alone does not): role and policy files to a
// PolicyVersion, and reload = compile off the hot path, then publish.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <weftkit/policy_runtime.h>

namespace weftkit {

struct CompileOptions {
  // Threads that compile a version's statement plans, the calling one included; 0: one per
  // hardware thread, the fastest compile. A reload runs beside readers, and on a small machine
  // a compile on every core preempts them: hardware threads - 1 leaves them one (on 2 cores it
  // halved the readers' stalls over 100 us for a reload ~4 ms slower; bench/README.md,
  // runtime_reload).
  unsigned plan_threads = 0;
};

class PolicyCompiler {
 public:
  static StatusOr<PolicyCompiler> create();

  // roles files (.yaml/.yml) and policy files (.sql). On failure the status is kPolicyError
  // and its message holds every diagnostic as file:line:col with the source line.
  StatusOr<std::shared_ptr<const PolicyVersion>> compile(const std::vector<std::string>& files,
                                                         const CompileOptions& options = {}) const;

  // Compiles `files` and publishes the result. A failure changes nothing: the store keeps
  // serving its version and the status says why.
  Status reload(PolicyStore& store, const std::vector<std::string>& files, const CompileOptions& options = {}) const;

  struct State;

 private:
  std::shared_ptr<State> state_;
};

// Watches role and policy files (inotify on their directories, so that editors that save by
// renaming a new file over the old one are seen too) and reloads the store when they change,
// once the changes have been quiet for `debounce`. Each reload's outcome goes to `on_reload`,
// called on the watcher's thread. Stops (and joins its thread) when destroyed.
class PolicyWatcher {
 public:
  static StatusOr<std::unique_ptr<PolicyWatcher>> start(PolicyCompiler compiler, PolicyStore& store,
                                                       std::vector<std::string> files,
                                                       std::chrono::milliseconds debounce,
                                                       std::function<void(const ReloadEvent&)> on_reload);
  ~PolicyWatcher();
  PolicyWatcher(const PolicyWatcher&) = delete;
  PolicyWatcher& operator=(const PolicyWatcher&) = delete;

  struct State;

 private:
  explicit PolicyWatcher(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace weftkit
