// PolicyWatcher (include/weftkit/policy_compiler.h): a debounced directory watch, and a reload
// once one of the role or policy files is another one.
#include <optional>

#include <weftkit/detail/debounced_watch.h>
#include <weftkit/policy_compiler.h>

namespace weftkit {

struct PolicyWatcher::State {
  PolicyCompiler compiler;
  PolicyStore* store = nullptr;
  std::vector<std::string> files;
  std::function<void(const ReloadEvent&)> on_reload;
  std::vector<std::optional<detail::FileIdentity>> last_seen;  // per file, as last compiled
  std::unique_ptr<detail::DebouncedWatch> watch;  // stopped first: its thread calls reload_if_changed

  ~State() { watch.reset(); }

  std::vector<std::optional<detail::FileIdentity>> identities() const {
    std::vector<std::optional<detail::FileIdentity>> now;
    for (const std::string& file : files) now.push_back(detail::identity_of_file(file));
    return now;
  }

  // A change elsewhere in the directories (another file, an editor's swap file) reloads
  // nothing; a file rewritten, renamed over, or swapped in through a symbolic link does.
  void reload_if_changed() {
    std::vector<std::optional<detail::FileIdentity>> now = identities();
    if (now == last_seen) return;
    last_seen = now;  // as compiled: a change during the compile brings another reload
    ReloadEvent event;
    event.status = compiler.reload(*store, files);
    event.generation = store->generation();
    if (on_reload) on_reload(event);
  }
};

StatusOr<std::unique_ptr<PolicyWatcher>> PolicyWatcher::start(PolicyCompiler compiler, PolicyStore& store,
                                                              std::vector<std::string> files,
                                                              std::chrono::milliseconds debounce,
                                                              std::function<void(const ReloadEvent&)> on_reload) {
  if (files.empty()) return Status(StatusCode::kInvalidArgument, "the watcher needs at least one file");
  auto state = std::make_unique<State>();
  state->compiler = std::move(compiler);
  state->store = &store;
  state->files = std::move(files);
  state->on_reload = std::move(on_reload);
  state->last_seen = state->identities();  // the store serves these files, presumably
  State* running = state.get();
  StatusOr<std::unique_ptr<detail::DebouncedWatch>> watch = detail::DebouncedWatch::start(
      state->files, debounce, [running](const detail::DebouncedWatch&) { running->reload_if_changed(); });
  if (!watch.is_ok()) return watch.status();
  state->watch = std::move(watch).value();
  return std::unique_ptr<PolicyWatcher>(new PolicyWatcher(std::move(state)));
}

PolicyWatcher::PolicyWatcher(std::unique_ptr<State> state) : state_(std::move(state)) {}

PolicyWatcher::~PolicyWatcher() = default;

}  // namespace weftkit
