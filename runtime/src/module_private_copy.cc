// Private copies of policy modules for dlopen (see module_private_copy.h).
#include "runtime/src/module_private_copy.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>

namespace weftkit::detail {
namespace {

Status unreadable(const std::string& module_path, const std::string& reason) {
  return Status(StatusCode::kNotFound, "cannot read policy module " + module_path + ": " + reason);
}

// Copies all of `source` into `target` (both open descriptors); returns "" or why it could not.
std::string copy_all(int source, int target) {
  struct stat status {};
  if (fstat(source, &status) != 0) return std::strerror(errno);
  if (S_ISDIR(status.st_mode)) return std::strerror(EISDIR);
  if (!S_ISREG(status.st_mode)) return "not a regular file";
  off_t offset = 0;
  while (offset < status.st_size) {
    ssize_t sent = sendfile(target, source, &offset, static_cast<size_t>(status.st_size - offset));
    if (sent < 0 && errno == EINTR) continue;
    if (sent < 0) return std::strerror(errno);
    if (sent == 0) return "the file shrank while it was read";
  }
  return "";
}

// Linux 6.3 lets an administrator make memory files non-executable unless created with
// MFD_EXEC (sysctl vm.memfd_noexec = 1), or refuse executable ones (= 2); older kernels refuse
// the unknown flag. glibc 2.36's headers do not define it.
#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif

int create_executable_memory_file() {
  int file = memfd_create("weftkit-module", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
  if (file < 0 && errno == EINVAL) file = memfd_create("weftkit-module", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  return file;
}

std::atomic<uint64_t> next_temporary_copy{0};

}  // namespace

StatusOr<ModulePrivateCopy> ModulePrivateCopy::of(const std::string& module_path) {
  StatusOr<ModulePrivateCopy> in_memory = in_memory_file(module_path);
  if (in_memory.is_ok() || in_memory.status().code() == StatusCode::kNotFound) return in_memory;
  return in_temporary_directory(module_path);
}

StatusOr<ModulePrivateCopy> ModulePrivateCopy::in_memory_file(const std::string& module_path) {
  int source = open(module_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (source < 0) return unreadable(module_path, std::strerror(errno));
  ModulePrivateCopy copy;
  copy.memory_file_ = create_executable_memory_file();
  if (copy.memory_file_ < 0) {
    int error = errno;
    close(source);
    return Status(StatusCode::kInternal, std::string("cannot create a memory file: ") + std::strerror(error));
  }
  std::string failure = copy_all(source, copy.memory_file_);
  close(source);
  if (!failure.empty()) return unreadable(module_path, failure);
  // Nobody, not even another process through /proc, can change the code once it is copied.
  // Best effort: a kernel without seals still gets a private copy.
  (void)fcntl(copy.memory_file_, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL);
  copy.loader_path_ = "/proc/self/fd/" + std::to_string(copy.memory_file_);
  if (access(copy.loader_path_.c_str(), R_OK) != 0) {
    // No /proc (a chroot, a sandbox): the loader could not open the memory file by name.
    return Status(StatusCode::kInternal, "/proc/self/fd is not available");
  }
  return copy;
}

StatusOr<ModulePrivateCopy> ModulePrivateCopy::in_temporary_directory(const std::string& module_path) {
  std::error_code error;
  std::filesystem::path path = std::filesystem::temp_directory_path(error) /
                               ("weftkit-module-" + std::to_string(getpid()) + "-" +
                                std::to_string(next_temporary_copy.fetch_add(1)) + ".so");
  std::filesystem::file_status status = std::filesystem::status(module_path, error);
  if (error) return unreadable(module_path, error.message());
  if (std::filesystem::is_directory(status)) return unreadable(module_path, std::strerror(EISDIR));
  if (!std::filesystem::is_regular_file(status)) return unreadable(module_path, "not a regular file");
  if (!std::filesystem::copy_file(module_path, path, std::filesystem::copy_options::overwrite_existing, error)) {
    std::string reason = error.message();
    std::filesystem::remove(path, error);
    return unreadable(module_path, reason);
  }
  ModulePrivateCopy copy;
  copy.loader_path_ = path.string();
  copy.temporary_file_ = true;
  return copy;
}

ModulePrivateCopy::ModulePrivateCopy(ModulePrivateCopy&& other) noexcept
    : loader_path_(std::move(other.loader_path_)),
      memory_file_(std::exchange(other.memory_file_, -1)),
      temporary_file_(std::exchange(other.temporary_file_, false)) {}

ModulePrivateCopy::~ModulePrivateCopy() {
  // Destroyed without closed(): the library was never opened (or the caller gave up on it).
  opened();
  if (memory_file_ >= 0) close(memory_file_);
}

void ModulePrivateCopy::opened() {
  if (!temporary_file_) return;
  std::error_code error;
  std::filesystem::remove(loader_path_, error);  // the mapping stays; nothing to clean up later
  temporary_file_ = false;
}

void ModulePrivateCopy::closed() {
  if (memory_file_ < 0) return;
  // RTLD_NOLOAD answers whether the loader still holds a library by that name or inode
  // (dlclose does not unload one that another library or the loader itself still uses).
  void* still_loaded = dlopen(loader_path_.c_str(), RTLD_LAZY | RTLD_NOLOAD);
  if (still_loaded != nullptr) {
    dlclose(still_loaded);
    memory_file_ = -1;  // kept open for the life of the process: its number stays unique
    return;
  }
  close(memory_file_);
  memory_file_ = -1;
}

}  // namespace weftkit::detail
