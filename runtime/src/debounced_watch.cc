// Directory watching with a quiet period (see <weftkit/detail/debounced_watch.h>).
#include <weftkit/detail/debounced_watch.h>

#include <fcntl.h>
#include <openssl/evp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>
#include <thread>

namespace weftkit::detail {

std::optional<FileIdentity> identity_of_descriptor(int file) {
  struct stat status {};
  if (fstat(file, &status) != 0) return std::nullopt;
  FileIdentity identity{static_cast<uint64_t>(status.st_dev), static_cast<uint64_t>(status.st_ino),
                        static_cast<int64_t>(status.st_size), static_cast<int64_t>(status.st_mtim.tv_sec),
                        static_cast<int64_t>(status.st_mtim.tv_nsec)};
  EVP_MD_CTX* digest = EVP_MD_CTX_new();
  if (digest == nullptr || EVP_DigestInit_ex(digest, EVP_sha256(), nullptr) != 1) {
    EVP_MD_CTX_free(digest);
    return std::nullopt;
  }
  char buffer[64 * 1024];
  bool read_all = true;
  for (off_t offset = 0;;) {
    ssize_t got = pread(file, buffer, sizeof buffer, offset);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) read_all = false;
    if (got <= 0) break;
    EVP_DigestUpdate(digest, buffer, static_cast<size_t>(got));
    offset += got;
  }
  unsigned int length = 0;
  bool done = read_all && EVP_DigestFinal_ex(digest, identity.contents_sha256.data(), &length) == 1;
  EVP_MD_CTX_free(digest);
  if (!done) return std::nullopt;
  return identity;
}

std::optional<FileIdentity> identity_of_file(const std::string& path) {
  int file = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (file < 0) return std::nullopt;
  std::optional<FileIdentity> identity = identity_of_descriptor(file);
  close(file);
  return identity;
}

struct DebouncedWatch::State {
  std::chrono::milliseconds debounce{0};
  std::function<void(const DebouncedWatch&)> on_quiet;
  const DebouncedWatch* owner = nullptr;  // set before the thread starts
  std::set<std::string> names;            // the watched files' names in their directories

  // Whether the events in `buffer` touch a watched name, or a name starting with ".." (the
  // links and timestamped directories a Kubernetes volume swaps). Other files of the
  // directories (a log written every second) never hold a reload back.
  bool touches_watched_name(const char* buffer, ssize_t length) const {
    for (ssize_t offset = 0; offset < length;) {
      const auto* event = reinterpret_cast<const inotify_event*>(buffer + offset);
      if (event->len > 0) {
        std::string name(event->name);
        if (names.count(name) != 0 || name.rfind("..", 0) == 0) return true;
      }
      offset += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
    }
    return false;
  }
  int inotify = -1;
  int stop_event = -1;
  std::thread thread;

  ~State() {
    if (inotify >= 0) close(inotify);
    if (stop_event >= 0) close(stop_event);
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
        if (length > 0 && touches_watched_name(buffer, length)) {
          pending = true;
          quiet_since = std::chrono::steady_clock::now();  // every change restarts the quiet period
        }
        continue;
      }
      if (pending && std::chrono::steady_clock::now() - quiet_since >= debounce) {
        pending = false;
        on_quiet(*owner);
      }
    }
  }
};

StatusOr<std::unique_ptr<DebouncedWatch>> DebouncedWatch::start(const std::vector<std::string>& files,
                                                                std::chrono::milliseconds debounce,
                                                                std::function<void(const DebouncedWatch&)> on_quiet) {
  auto state = std::make_unique<State>();
  state->debounce = debounce;
  state->on_quiet = std::move(on_quiet);
  state->inotify = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
  state->stop_event = eventfd(0, EFD_CLOEXEC);
  if (state->inotify < 0 || state->stop_event < 0) {
    return Status(StatusCode::kInternal, std::string("cannot watch files: ") + std::strerror(errno));
  }
  std::set<std::string> directories;
  for (const std::string& file : files) {
    std::filesystem::path path = std::filesystem::absolute(file);
    directories.insert(path.parent_path().string());
    state->names.insert(path.filename().string());
  }
  for (const std::string& directory : directories) {
    if (inotify_add_watch(state->inotify, directory.c_str(),
                          IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_MODIFY | IN_ATTRIB) < 0) {
      return Status(StatusCode::kInvalidArgument, "cannot watch " + directory + ": " + std::strerror(errno));
    }
  }
  State* running = state.get();
  std::unique_ptr<DebouncedWatch> watch(new DebouncedWatch(std::move(state)));
  running->owner = watch.get();
  running->thread = std::thread([running] { running->run(); });
  return watch;
}

DebouncedWatch::DebouncedWatch(std::unique_ptr<State> state) : state_(std::move(state)) {}

DebouncedWatch::~DebouncedWatch() {
  uint64_t one = 1;
  ssize_t written = write(state_->stop_event, &one, sizeof one);
  (void)written;  // if the write failed the thread is already gone; join either way
  if (state_->thread.joinable()) state_->thread.join();
}

bool DebouncedWatch::wait(std::chrono::milliseconds interval) const {
  pollfd stop = {state_->stop_event, POLLIN, 0};
  auto until = std::chrono::steady_clock::now() + interval;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
    int ready = poll(&stop, 1, static_cast<int>(std::max<long long>(0, left.count())));
    if (ready > 0) return false;
    if (ready == 0 || errno != EINTR) return true;
  }
}

}  // namespace weftkit::detail
