// PolicyModuleWatcher (policy_module.h): inotify on the module's directory, debounce, reload
// once the file is complete.
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>
#include <thread>

#include <weftkit/policy_module.h>
#include "runtime/src/module_load_attempt.h"

namespace weftkit {
using detail::FileIdentity;
using detail::identity_of_file;

struct PolicyModuleWatcher::State {
  PolicyStore* store = nullptr;
  std::string path;
  std::chrono::milliseconds debounce{0};
  std::chrono::milliseconds give_up_after{0};
  std::function<void(const ReloadEvent&)> on_reload;
  int inotify = -1;
  int stop_event = -1;
  std::optional<FileIdentity> last_seen;  // the file as last loaded or refused
  std::thread thread;

  ~State() {
    if (inotify >= 0) close(inotify);
    if (stop_event >= 0) close(stop_event);
  }

  // Waits `interval` unless asked to stop; false when asked to stop.
  bool wait(std::chrono::milliseconds interval) const {
    pollfd stop = {stop_event, POLLIN, 0};
    auto until = std::chrono::steady_clock::now() + interval;
    for (;;) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
      int ready = poll(&stop, 1, static_cast<int>(std::max<long long>(0, left.count())));
      if (ready > 0) return false;
      if (ready == 0 || errno != EINTR) return true;
    }
  }

  void reload_if_changed() {
    std::optional<FileIdentity> now = identity_of_file(path);
    if (now && last_seen && *now == *last_seen) return;  // another file of the directory changed
    ModuleReloadOptions options{debounce, give_up_after};
    detail::ModuleLoadAttempt outcome = detail::load_complete_policy_module(
        path, options, [this](std::chrono::milliseconds interval) { return wait(interval); });
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
    if (on_reload) on_reload(event);
  }

  void run() {
    alignas(inotify_event) char buffer[16 * 1024];
    bool pending = false;
    auto quiet_since = std::chrono::steady_clock::now();
    for (;;) {
      int timeout = -1;
      if (pending) {
        auto waited = std::chrono::steady_clock::now() - quiet_since;
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(debounce - waited).count();
        timeout = static_cast<int>(std::max<long long>(0, left));
      }
      pollfd descriptors[2] = {{inotify, POLLIN, 0}, {stop_event, POLLIN, 0}};
      int ready = poll(descriptors, 2, timeout);
      if (ready < 0 && errno != EINTR) return;
      if (descriptors[1].revents & POLLIN) return;
      if (ready > 0 && (descriptors[0].revents & POLLIN)) {
        // Any change in the directory: the module itself, a file renamed over it, or the
        // `..data` link of a ConfigMap volume that the module's path goes through.
        if (read(inotify, buffer, sizeof buffer) > 0) {
          pending = true;
          quiet_since = std::chrono::steady_clock::now();  // every change restarts the quiet period
        }
        continue;
      }
      if (pending && std::chrono::steady_clock::now() - quiet_since >= debounce) {
        pending = false;
        reload_if_changed();
      }
    }
  }
};

StatusOr<std::unique_ptr<PolicyModuleWatcher>> PolicyModuleWatcher::start(
    PolicyStore& store, std::string path, std::chrono::milliseconds debounce,
    std::function<void(const ReloadEvent&)> on_reload, std::chrono::milliseconds give_up_after) {
  if (path.empty()) return Status(StatusCode::kInvalidArgument, "the module watcher needs a module path");
  auto state = std::make_unique<State>();
  state->store = &store;
  state->path = std::filesystem::absolute(path).string();
  state->debounce = debounce;
  state->give_up_after = give_up_after;
  state->on_reload = std::move(on_reload);
  state->last_seen = identity_of_file(state->path);  // the store serves this file, presumably
  state->inotify = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
  state->stop_event = eventfd(0, EFD_CLOEXEC);
  if (state->inotify < 0 || state->stop_event < 0) {
    return Status(StatusCode::kInternal, std::string("cannot watch files: ") + std::strerror(errno));
  }
  std::string directory = std::filesystem::path(state->path).parent_path().string();
  if (inotify_add_watch(state->inotify, directory.c_str(),
                        IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_MODIFY | IN_ATTRIB) < 0) {
    return Status(StatusCode::kInvalidArgument, "cannot watch " + directory + ": " + std::strerror(errno));
  }
  State* running = state.get();
  state->thread = std::thread([running] { running->run(); });
  return std::unique_ptr<PolicyModuleWatcher>(new PolicyModuleWatcher(std::move(state)));
}

PolicyModuleWatcher::PolicyModuleWatcher(std::unique_ptr<State> state) : state_(std::move(state)) {}

PolicyModuleWatcher::~PolicyModuleWatcher() {
  uint64_t one = 1;
  ssize_t written = write(state_->stop_event, &one, sizeof one);
  (void)written;  // if the write failed the thread is already gone; join either way
  if (state_->thread.joinable()) state_->thread.join();
}

}  // namespace weftkit
