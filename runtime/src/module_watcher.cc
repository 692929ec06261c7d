// PolicyModuleWatcher (policy_module.h): a debounced directory watch, and a reload once the
// module file is another one and complete.
#include <optional>

#include <weftkit/detail/debounced_watch.h>
#include <weftkit/detail/reload_audit.h>
#include <weftkit/policy_module.h>
#include "runtime/src/module_load_attempt.h"

namespace weftkit {

struct PolicyModuleWatcher::State {
  PolicyStore* store = nullptr;
  std::string path;
  std::chrono::milliseconds debounce{0};
  std::chrono::milliseconds give_up_after{0};
  std::function<void(const ReloadEvent&)> on_reload;
  std::optional<detail::FileIdentity> last_seen;  // the file as last loaded or refused
  std::unique_ptr<detail::DebouncedWatch> watch;  // stopped first: its thread calls reload_if_changed

  ~State() { watch.reset(); }

  void reload_if_changed(const detail::DebouncedWatch& watching) {
    std::optional<detail::FileIdentity> now = detail::identity_of_file(path);
    if (now && last_seen && *now == *last_seen) return;  // another file of the directory changed
    const uint64_t old_generation = store->generation();
    const bool audited = detail::wants_reload_events(*store);
    ModuleReloadOptions options{debounce, give_up_after};
    detail::ModuleLoadAttempt outcome = detail::load_complete_policy_module(
        path, options, [&watching](std::chrono::milliseconds interval) { return watching.wait(interval); });
    ReloadEvent event;
    if (outcome.version.is_ok()) {
      store->publish(std::move(outcome.version).value());
    } else {
      event.status = outcome.version.status();
    }
    // The file as the deciding attempt copied it: the same file is not reloaded or refused
    // again, and a change made after that copy (even during the load) brings another reload.
    last_seen = outcome.file ? outcome.file : now;
    event.generation = store->generation();
    if (audited) {
      detail::report_reload(*store, old_generation, {path}, detail::sha256_of_files({path}), event.status);
    }
    if (on_reload) on_reload(event);
  }
};

StatusOr<std::unique_ptr<PolicyModuleWatcher>> PolicyModuleWatcher::start(
    PolicyStore& store, std::string path, std::chrono::milliseconds debounce,
    std::function<void(const ReloadEvent&)> on_reload, std::chrono::milliseconds give_up_after) {
  if (path.empty()) return Status(StatusCode::kInvalidArgument, "the module watcher needs a module path");
  auto state = std::make_unique<State>();
  state->store = &store;
  state->path = path;
  state->debounce = debounce;
  state->give_up_after = give_up_after;
  state->on_reload = std::move(on_reload);
  state->last_seen = detail::identity_of_file(path);  // the store serves this file, presumably
  State* running = state.get();
  StatusOr<std::unique_ptr<detail::DebouncedWatch>> watch =
      detail::DebouncedWatch::start({path}, debounce,
                                    [running](const detail::DebouncedWatch& watching) { running->reload_if_changed(watching); });
  if (!watch.is_ok()) return watch.status();
  state->watch = std::move(watch).value();
  return std::unique_ptr<PolicyModuleWatcher>(new PolicyModuleWatcher(std::move(state)));
}

PolicyModuleWatcher::PolicyModuleWatcher(std::unique_ptr<State> state) : state_(std::move(state)) {}

PolicyModuleWatcher::~PolicyModuleWatcher() = default;

}  // namespace weftkit
