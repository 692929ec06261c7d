// The file watching the policy watchers share (PolicyWatcher for role and policy files,
// PolicyModuleWatcher for a module): inotify on directories, and a callback once a change to a
// watched name (or to a `..` name, as volume swaps make) has been followed by `debounce` of
// quiet. Watching directories rather than files sees a file
// renamed over the old one (editors, deployment tools) and a symbolic link swapped in its
// directory (Kubernetes ConfigMap and Secret volumes swap `..data`); the callback decides
// whether what it cares about changed (FileIdentity). An implementation detail of the public
// watchers, not an interface of its own.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <weftkit/status.h>

namespace weftkit::detail {

// Which file a path names (through symbolic links) and what it holds: a file rewritten,
// replaced or swapped in gets another identity. The contents' SHA-256 is part of it because
// modification times tick coarsely (a few milliseconds): two writes of the same size within
// one tick would otherwise look like one.
struct FileIdentity {
  uint64_t device = 0;
  uint64_t inode = 0;
  int64_t size = 0;
  int64_t modified_seconds = 0;
  int64_t modified_nanoseconds = 0;
  std::array<uint8_t, 32> contents_sha256{};
  bool operator==(const FileIdentity&) const = default;
};

// The file `path` names now, if any (and if it can be read).
std::optional<FileIdentity> identity_of_file(const std::string& path);
// The same for an open file (its size and times from fstat).
std::optional<FileIdentity> identity_of_descriptor(int file);

class DebouncedWatch {
 public:
  // Watches the directories of `files` (each once). `on_quiet` runs on the watch's own thread,
  // given the watch (for wait()).
  static StatusOr<std::unique_ptr<DebouncedWatch>> start(const std::vector<std::string>& files,
                                                         std::chrono::milliseconds debounce,
                                                         std::function<void(const DebouncedWatch&)> on_quiet);
  // Stops the thread and waits for it (and for an on_quiet in progress).
  ~DebouncedWatch();
  DebouncedWatch(const DebouncedWatch&) = delete;
  DebouncedWatch& operator=(const DebouncedWatch&) = delete;

  // For on_quiet's own waiting (a file still being written): sleeps `interval` unless the
  // watch is being stopped; false when it is.
  bool wait(std::chrono::milliseconds interval) const;

  struct State;

 private:
  explicit DebouncedWatch(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace weftkit::detail
