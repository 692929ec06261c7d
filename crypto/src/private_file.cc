// Reading and atomically replacing owner-only files (see private_file.h).
#include "crypto/src/private_file.h"

#include <fcntl.h>
#include <openssl/rand.h>
#include <dirent.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

namespace weftkit::crypto::detail {
namespace {

struct PathParts {
  std::string directory;
  std::string name;
};

PathParts split(const std::string& path) {
  std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) return {".", path};
  return {slash == 0 ? "/" : path.substr(0, slash), path.substr(slash + 1)};
}

Error io_error(const std::string& what, const std::string& path, int error_number) {
  return Error(ErrorCode::kIoError, what + " '" + path + "': " + std::strerror(error_number));
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

bool write_all(int fd, std::span<const std::uint8_t> bytes) {
  while (!bytes.empty()) {
    ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    bytes = bytes.subspan(static_cast<std::size_t>(written));
  }
  return true;
}

std::string random_suffix() {
  std::uint8_t bytes[12];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return {};
  static const char kHex[] = "0123456789abcdef";
  std::string text;
  for (std::uint8_t b : bytes) {
    text += kHex[b >> 4];
    text += kHex[b & 15];
  }
  return text;
}

}  // namespace

Result<void> write_private_file(const std::string& path, std::span<const std::uint8_t> contents, ReplaceMode mode) {
  PathParts parts = split(path);
  if (parts.name.empty()) return Error(ErrorCode::kInvalidArgument, "'" + path + "' names no file");
  Fd directory(::open(parts.directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (directory.get() < 0) return io_error("cannot open the directory of", path, errno);
  std::string suffix = random_suffix();
  if (suffix.empty()) return Error(ErrorCode::kInternal, "RAND_bytes failed");
  // Unpredictable and exclusive: another user cannot plant a file or link under this name first.
  std::string temporary = "." + parts.name + ".tmp-" + suffix;
  Fd file(::openat(directory.get(), temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (file.get() < 0) return io_error("cannot create a temporary file beside", path, errno);
  auto fail = [&](const std::string& what, int error_number) -> Result<void> {
    ::unlinkat(directory.get(), temporary.c_str(), 0);
    return io_error(what, path, error_number);
  };
  // The umask can only have removed bits; this makes the mode exact.
  if (::fchmod(file.get(), 0600) != 0) return fail("cannot set mode 0600 on the temporary file for", errno);
  if (!write_all(file.get(), contents)) return fail("cannot write the temporary file for", errno);
  if (::fsync(file.get()) != 0) return fail("cannot fsync the temporary file for", errno);
  if (::close(file.release()) != 0) return fail("cannot close the temporary file for", errno);
  if (mode == ReplaceMode::kCreateOnly) {
    // link() fails if the name exists, where rename() would silently replace it.
    if (::linkat(directory.get(), temporary.c_str(), directory.get(), parts.name.c_str(), 0) != 0) {
      int error_number = errno;
      ::unlinkat(directory.get(), temporary.c_str(), 0);
      if (error_number == EEXIST) return Error(ErrorCode::kAlreadyExists, "'" + path + "' already exists");
      return io_error("cannot create", path, error_number);
    }
    ::unlinkat(directory.get(), temporary.c_str(), 0);
  } else if (::renameat(directory.get(), temporary.c_str(), directory.get(), parts.name.c_str()) != 0) {
    return fail("cannot rename the temporary file onto", errno);
  }
  // The rename is durable only once the directory entry is.
  if (::fsync(directory.get()) != 0) return io_error("cannot fsync the directory of", path, errno);
  return {};
}

Result<FileLock> FileLock::acquire(const std::string& lock_path) {
  int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return io_error("cannot open the lock file", lock_path, errno);
  FileLock lock(fd);
  while (::flock(fd, LOCK_EX) != 0) {
    if (errno != EINTR) return io_error("cannot lock", lock_path, errno);
  }
  return lock;
}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the last descriptor releases the flock
}

void remove_stale_temporaries(const std::string& path) {
  PathParts parts = split(path);
  std::string prefix = "." + parts.name + ".tmp-";
  Fd directory(::open(parts.directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (directory.get() < 0) return;
  DIR* listing = ::fdopendir(::dup(directory.get()));
  if (listing == nullptr) return;
  std::vector<std::string> stale;
  while (dirent* entry = ::readdir(listing)) {
    std::string_view name = entry->d_name;
    if (name.starts_with(prefix)) stale.emplace_back(name);
  }
  ::closedir(listing);
  for (const std::string& name : stale) ::unlinkat(directory.get(), name.c_str(), 0);
}

Result<std::vector<std::uint8_t>> read_private_file(const std::string& path) {
  Fd file(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (file.get() < 0) {
    int error_number = errno;
    if (error_number == ELOOP) {
      return Error(ErrorCode::kInsecurePermissions, "'" + path + "' is a symbolic link; a keyring must be a regular file");
    }
    return io_error("cannot open", path, error_number);
  }
  struct stat info {};
  if (::fstat(file.get(), &info) != 0) return io_error("cannot stat", path, errno);
  if (!S_ISREG(info.st_mode)) return Error(ErrorCode::kInsecurePermissions, "'" + path + "' is not a regular file");
  if (info.st_uid != ::geteuid()) {
    return Error(ErrorCode::kInsecurePermissions, "'" + path + "' belongs to user " + std::to_string(info.st_uid) +
                                                      ", not to this process's user " + std::to_string(::geteuid()));
  }
  if ((info.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(info.st_mode & 07777));
    return Error(ErrorCode::kInsecurePermissions,
                 "'" + path + "' has mode " + mode + ": others may read it; it must be 0600 (chmod 600)");
  }
  std::vector<std::uint8_t> contents(static_cast<std::size_t>(info.st_size));
  std::size_t done = 0;
  while (done < contents.size()) {
    ssize_t got = ::read(file.get(), contents.data() + done, contents.size() - done);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return io_error("cannot read", path, errno);
    if (got == 0) break;
    done += static_cast<std::size_t>(got);
  }
  contents.resize(done);
  return contents;
}

}  // namespace weftkit::crypto::detail
