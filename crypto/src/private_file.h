// Files that hold keys: read only when they are regular files of our own that nobody else may
// read, and replaced atomically (exclusive temporary file with an unpredictable name in the same
// directory, fsync, rename, fsync of the directory), so that a crash at any point leaves either
// the old or the new contents under the file's name.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <weftkit/crypto/error.h>

namespace weftkit::crypto::detail {

enum class ReplaceMode { kCreateOnly, kReplace };

// kCreateOnly fails with already_exists when path exists (decided atomically by link()).
Result<void> write_private_file(const std::string& path, std::span<const std::uint8_t> contents, ReplaceMode mode);

// An exclusive flock(2) on a lock file beside a private file (created 0600, never a symbolic
// link), held by writers from before they read the file to after they replaced it, so that two
// processes never interleave their read-check-write. Released when the object goes.
class FileLock {
 public:
  static Result<FileLock> acquire(const std::string& lock_path);
  FileLock(FileLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  FileLock& operator=(FileLock&&) = delete;
  FileLock(const FileLock&) = delete;
  ~FileLock();

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_;
};

// Removes temporary files a killed writer left beside path; only under its FileLock.
void remove_stale_temporaries(const std::string& path);

// insecure_permissions for a symbolic link, a file of another user or one with any group or
// other permission bit; io_error when it cannot be read.
Result<std::vector<std::uint8_t>> read_private_file(const std::string& path);

}  // namespace weftkit::crypto::detail
