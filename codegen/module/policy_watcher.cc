// PolicyWatcher (include/weftkit/policy_compiler.h): inotify, debounce, reload.
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>
#include <thread>

#include <weftkit/policy_compiler.h>

namespace weftkit {

struct PolicyWatcher::State {
  PolicyCompiler compiler;
  PolicyStore* store = nullptr;
  std::vector<std::string> files;
  std::chrono::milliseconds debounce{0};
  std::function<void(const ReloadEvent&)> on_reload;
  int inotify = -1;
  int stop_event = -1;
  std::map<int, std::string> watched_directories;  // watch descriptor → directory
  std::set<std::pair<std::string, std::string>> watched_files;  // (directory, file name)
  std::thread thread;

  ~State() {
    if (inotify >= 0) close(inotify);
    if (stop_event >= 0) close(stop_event);
  }

  // Whether the events in `buffer` touch one of the watched files.
  bool touches_watched_file(const char* buffer, ssize_t length) const {
    bool touched = false;
    for (ssize_t offset = 0; offset < length;) {
      const auto* event = reinterpret_cast<const inotify_event*>(buffer + offset);
      auto directory = watched_directories.find(event->wd);
      if (directory != watched_directories.end() && event->len > 0 &&
          watched_files.count({directory->second, std::string(event->name)}) > 0) {
        touched = true;
      }
      offset += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
    }
    return touched;
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
        ssize_t length = read(inotify, buffer, sizeof buffer);
        if (length > 0 && touches_watched_file(buffer, length)) {
          pending = true;
          quiet_since = std::chrono::steady_clock::now();  // every change restarts the quiet period
        }
        continue;
      }
      if (pending && std::chrono::steady_clock::now() - quiet_since >= debounce) {
        pending = false;
        ReloadEvent event;
        event.status = compiler.reload(*store, files);
        event.generation = store->generation();
        if (on_reload) on_reload(event);
      }
    }
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
  state->debounce = debounce;
  state->on_reload = std::move(on_reload);
  state->inotify = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
  state->stop_event = eventfd(0, EFD_CLOEXEC);
  if (state->inotify < 0 || state->stop_event < 0) {
    return Status(StatusCode::kInternal, std::string("cannot watch files: ") + std::strerror(errno));
  }
  for (const std::string& file : state->files) {
    std::filesystem::path path = std::filesystem::absolute(file);
    std::string directory = path.parent_path().string();
    state->watched_files.insert({directory, path.filename().string()});
    bool already = false;
    for (const auto& [descriptor, watched] : state->watched_directories) already = already || watched == directory;
    if (already) continue;
    int descriptor = inotify_add_watch(state->inotify, directory.c_str(),
                                       IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_MODIFY);
    if (descriptor < 0) {
      return Status(StatusCode::kInvalidArgument, "cannot watch " + directory + ": " + std::strerror(errno));
    }
    state->watched_directories[descriptor] = directory;
  }
  State* running = state.get();
  state->thread = std::thread([running] { running->run(); });
  return std::unique_ptr<PolicyWatcher>(new PolicyWatcher(std::move(state)));
}

PolicyWatcher::PolicyWatcher(std::unique_ptr<State> state) : state_(std::move(state)) {}

PolicyWatcher::~PolicyWatcher() {
  uint64_t one = 1;
  ssize_t written = write(state_->stop_event, &one, sizeof one);
  (void)written;  // if the write failed the thread is already gone; join either way
  if (state_->thread.joinable()) state_->thread.join();
}

}  // namespace weftkit
