// Private copies of policy modules for dlopen (see module_private_copy.h).
#include "runtime/src/module_private_copy.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>

namespace weftkit::detail {
namespace {

Status unreadable(const std::string& module_path, const std::string& reason) {
  return Status(StatusCode::kNotFound, "cannot read policy module " + module_path + ": " + reason);
}

constexpr const char* kShrank = "the file shrank while it was read";

// Size and modification time: what tells a file that changed while it was copied.
struct FileStamp {
  off_t size = 0;
  timespec modified{};
  bool operator==(const FileStamp& other) const {
    return size == other.size && modified.tv_sec == other.modified.tv_sec && modified.tv_nsec == other.modified.tv_nsec;
  }
};

FileStamp stamp_of(const struct stat& status) { return {status.st_size, status.st_mtim}; }

struct CopyResult {
  std::string failure;          // "" when copied
  bool source_changed = false;  // the source's size or time moved while it was copied
};

CopyResult copy_failed(std::string reason, bool source_changed = false) {
  CopyResult result;
  result.failure = std::move(reason);
  result.source_changed = source_changed;
  return result;
}

// Copies all of `source` into `target` (both open descriptors), as long as the source was when
// the copy began.
CopyResult copy_all(int source, int target) {
  struct stat before {};
  if (fstat(source, &before) != 0) return copy_failed(std::strerror(errno));
  if (S_ISDIR(before.st_mode)) return copy_failed(std::strerror(EISDIR));
  if (!S_ISREG(before.st_mode)) return copy_failed("not a regular file");
  off_t offset = 0;
  while (offset < before.st_size) {
    ssize_t sent = sendfile(target, source, &offset, static_cast<size_t>(before.st_size - offset));
    if (sent < 0 && errno == EINTR) continue;
    if (sent < 0) return copy_failed(std::strerror(errno));
    if (sent == 0) return copy_failed(kShrank, true);
  }
  struct stat after {};
  if (fstat(source, &after) != 0) return copy_failed(std::strerror(errno));
  CopyResult copied;
  copied.source_changed = !(stamp_of(before) == stamp_of(after));
  return copied;
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

// The bytes of an open file, mapped read-only for the length of a check.
class MappedFile {
 public:
  explicit MappedFile(int file) {
    struct stat status {};
    if (fstat(file, &status) != 0) return;
    size_ = static_cast<size_t>(status.st_size);
    if (size_ == 0) {
      valid_ = true;
      return;
    }
    void* address = mmap(nullptr, size_, PROT_READ, MAP_SHARED, file, 0);
    if (address == MAP_FAILED) return;
    address_ = address;
    valid_ = true;
  }
  ~MappedFile() {
    if (address_ != nullptr) munmap(address_, size_);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  bool valid() const { return valid_; }
  std::span<const uint8_t> bytes() const { return {static_cast<const uint8_t*>(address_), address_ ? size_ : 0}; }

 private:
  void* address_ = nullptr;
  size_t size_ = 0;
  bool valid_ = false;
};

// What was loaded: the operator's file (device, inode, modification time) with the size and
// SHA-256 of the bytes copied from it.
FileIdentity identity_of_copy(int source, int copy) {
  FileIdentity identity = identity_of_descriptor(copy).value_or(FileIdentity{});
  struct stat status {};
  if (fstat(source, &status) == 0) {
    identity.device = static_cast<uint64_t>(status.st_dev);
    identity.inode = static_cast<uint64_t>(status.st_ino);
    identity.modified_seconds = static_cast<int64_t>(status.st_mtim.tv_sec);
    identity.modified_nanoseconds = static_cast<int64_t>(status.st_mtim.tv_nsec);
  }
  return identity;
}

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
  CopyResult copied = copy_all(source, copy.memory_file_);
  if (copied.failure.empty()) copy.source_ = identity_of_copy(source, copy.memory_file_);
  close(source);
  if (!copied.failure.empty()) return unreadable(module_path, copied.failure);
  copy.source_changed_ = copied.source_changed;
  // Nobody, not even another process through /proc, can change the code once it is copied:
  // what check() accepts is what dlopen maps. Best effort: a kernel without seals still gets
  // a private copy.
  (void)fcntl(copy.memory_file_, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL);
  copy.loader_path_ = "/proc/self/fd/" + std::to_string(copy.memory_file_);
  if (access(copy.loader_path_.c_str(), R_OK) != 0) {
    // No /proc (a chroot, a sandbox): the loader could not open the memory file by name.
    return Status(StatusCode::kInternal, "/proc/self/fd is not available");
  }
  return copy;
}

StatusOr<ModulePrivateCopy> ModulePrivateCopy::in_temporary_directory(const std::string& module_path) {
  int source = open(module_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (source < 0) return unreadable(module_path, std::strerror(errno));
  std::error_code error;
  std::filesystem::path directory = std::filesystem::temp_directory_path(error);
  if (error) directory = "/tmp";
  // Created exclusively (never an existing file or a planted symlink), under a name nobody can
  // predict, readable and writable by this user only.
  std::string name = (directory / "weftkit-module-XXXXXX.so").string();
  ModulePrivateCopy copy;
  copy.temporary_file_descriptor_ = mkostemps(name.data(), 3, O_CLOEXEC);
  if (copy.temporary_file_descriptor_ < 0) {
    int failure = errno;
    close(source);
    return Status(StatusCode::kInternal, "cannot create a file in " + directory.string() + ": " + std::strerror(failure));
  }
  copy.loader_path_ = name;
  copy.temporary_file_ = true;
  CopyResult copied = copy_all(source, copy.temporary_file_descriptor_);
  if (copied.failure.empty()) copy.source_ = identity_of_copy(source, copy.temporary_file_descriptor_);
  close(source);
  if (!copied.failure.empty()) return unreadable(module_path, copied.failure);
  copy.source_changed_ = copied.source_changed;
  return copy;
}

ModuleImageCheck ModulePrivateCopy::check() const {
  int file = memory_file_ >= 0 ? memory_file_ : temporary_file_descriptor_;
  MappedFile mapped(file);
  if (file < 0 || !mapped.valid()) {
    return {Status(StatusCode::kInternal, std::string("cannot map the module's private copy: ") + std::strerror(errno)),
            true};
  }
  ModuleImageCheck checked = check_policy_module_image(mapped.bytes());
  if (!checked.status.is_ok() && source_changed_) {
    checked.complete = false;
    checked.status = Status(checked.status.code(), checked.status.message() + " (the file changed while it was copied)");
  }
  return checked;
}

ModulePrivateCopy::ModulePrivateCopy(ModulePrivateCopy&& other) noexcept
    : loader_path_(std::move(other.loader_path_)),
      memory_file_(std::exchange(other.memory_file_, -1)),
      temporary_file_descriptor_(std::exchange(other.temporary_file_descriptor_, -1)),
      temporary_file_(std::exchange(other.temporary_file_, false)),
      source_changed_(other.source_changed_),
      source_(other.source_) {}

ModulePrivateCopy::~ModulePrivateCopy() {
  // Destroyed without closed(): the library was never opened (or the caller gave up on it).
  opened();
  if (memory_file_ >= 0) close(memory_file_);
}

void ModulePrivateCopy::opened() {
  if (temporary_file_descriptor_ >= 0) {
    close(temporary_file_descriptor_);
    temporary_file_descriptor_ = -1;
  }
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
