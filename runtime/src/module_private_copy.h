// The private copy of a policy module that the runtime hands to dlopen.
//
// Never the operator's file itself: dlopen hands back an already-loaded library of the same
// name or inode (a module rebuilt in place would not reload), and a file rewritten under a
// running process changes its mapped code. The copy is an anonymous, sealed in-memory file
// (memfd): nothing touches the disk, nothing is left behind by a crash, nobody can write to
// it, and unloading it frees a few pages instead of evicting a file system inode (which cost
// the unloading thread about 1.4 ms of CPU per module on ext4). Where executable memory files
// or /proc are not available (an old kernel, a sandbox, vm.memfd_noexec = 2), it is a file in
// the temporary directory, created exclusively under an unpredictable name, readable and
// writable by this user only, and removed as soon as it is mapped.
//
// The copy is what gets checked (check()) before dlopen: its integrity record and ELF headers,
// never the operator's file, which could change between the check and the load.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <weftkit/detail/debounced_watch.h>
#include <weftkit/policy_module_seal.h>
#include <weftkit/status.h>

namespace weftkit::detail {

class ModulePrivateCopy {
 public:
  // The memory file when the system offers one, else the temporary directory.
  static StatusOr<ModulePrivateCopy> of(const std::string& module_path);
  static StatusOr<ModulePrivateCopy> in_memory_file(const std::string& module_path);
  static StatusOr<ModulePrivateCopy> in_temporary_directory(const std::string& module_path);

  ModulePrivateCopy(ModulePrivateCopy&& other) noexcept;
  ModulePrivateCopy& operator=(ModulePrivateCopy&&) = delete;
  ModulePrivateCopy(const ModulePrivateCopy&) = delete;
  ModulePrivateCopy& operator=(const ModulePrivateCopy&) = delete;
  ~ModulePrivateCopy();

  // The name to give dlopen.
  const std::string& loader_path() const { return loader_path_; }
  bool in_memory() const { return memory_file_ >= 0; }

  // The copy's bytes as check_policy_module_image sees them. A failure is marked incomplete,
  // too, when the operator's file changed while it was copied.
  ModuleImageCheck check() const;

  // The operator's file as it was copied.
  const FileIdentity& source() const { return source_; }

  // Once dlopen has returned (mapped or failed): a temporary file is removed.
  void opened();
  // Once the library is dlclosed. The loader knows a memory file by the name
  // /proc/self/fd/N, and would take a new module whose memory file got the same descriptor
  // number for the old library if that library were still loaded; so the descriptor is closed
  // only once the loader has really let go of the library, and kept otherwise.
  void closed();

 private:
  ModulePrivateCopy() = default;

  std::string loader_path_;
  int memory_file_ = -1;
  int temporary_file_descriptor_ = -1;  // the temporary file, until it is removed
  bool temporary_file_ = false;
  bool source_changed_ = false;  // the operator's file changed (size or time) while copied
  FileIdentity source_;
};

}  // namespace weftkit::detail
