// Loading ahead-of-time policy modules (`weftkit-policyc compile --emit=so`): a PolicyVersion
// from a shared library, without LLVM or the compiler. Nothing of a module file is mapped as
// code before its private copy passed the checks of policy_module_seal.h (its integrity record,
// then its ELF headers against its length), and the library's C ABI version is checked before
// anything in it is used; a module that does not fit is refused, never half-loaded.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <weftkit/policy_runtime.h>

namespace weftkit {

// The library is copied to a private file before it is loaded, so that the operator may
// replace the module file at any time (and reload it) while the old version still serves.
// One attempt: a file that is incomplete (truncated, not sealed yet) is refused at once.
StatusOr<std::shared_ptr<const PolicyVersion>> load_policy_module(const std::string& path);

// How a reload treats a module file that is still being written: copying a new module over
// the old one, or a deployment tool writing it in pieces, shows a file that is truncated, has
// no valid integrity record yet, or changes while it is copied. Such a file is tried again
// every `retry_interval` until it is complete or `give_up_after` has passed; then the reload
// fails with the last reason. A complete module that is refused (a bad ELF header, another
// ABI version) fails at once.
struct ModuleReloadOptions {
  std::chrono::milliseconds retry_interval{200};
  std::chrono::milliseconds give_up_after{5000};
};

// load_policy_module (waiting for an incomplete file as `options` say), then publish. A
// failure changes nothing: the store keeps serving its version.
Status reload_policy_module(PolicyStore& store, const std::string& path, const ModuleReloadOptions& options = {});

// Watches a module file and reloads the store when it changes: inotify on its directory, so
// that a module renamed over the old one, copied over it, or swapped in through a symbolic
// link (a Kubernetes ConfigMap or Secret volume's `..data`) is seen; once the directory has
// been quiet for `debounce`, the file is reloaded if it is not the one loaded last (device,
// inode, size or modification time differ). A file still being written is waited for as
// reload_policy_module does (retrying every `debounce`, up to `give_up_after`); only final
// outcomes are reported to `on_reload`, on the watcher's thread: a published version, or why
// the file was refused (the serving version stays). Stops (and joins its thread) when
// destroyed.
class PolicyModuleWatcher {
 public:
  static StatusOr<std::unique_ptr<PolicyModuleWatcher>> start(PolicyStore& store, std::string path,
                                                             std::chrono::milliseconds debounce,
                                                             std::function<void(const ReloadEvent&)> on_reload,
                                                             std::chrono::milliseconds give_up_after =
                                                                 std::chrono::milliseconds(5000));
  ~PolicyModuleWatcher();
  PolicyModuleWatcher(const PolicyModuleWatcher&) = delete;
  PolicyModuleWatcher& operator=(const PolicyModuleWatcher&) = delete;

  struct State;

 private:
  explicit PolicyModuleWatcher(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace weftkit
