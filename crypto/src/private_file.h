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

// insecure_permissions for a symbolic link, a file of another user or one with any group or
// other permission bit; io_error when it cannot be read.
Result<std::vector<std::uint8_t>> read_private_file(const std::string& path);

}  // namespace weftkit::crypto::detail
