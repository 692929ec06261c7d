// Whole-file reads and crash-safe whole-file writes (temporary file, fsync, rename, fsync of
// the directory), so a committed table is either the old or the new one after a crash.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace relational {

std::optional<std::string> read_whole_file(const std::string& path);
bool write_file_atomically(const std::string& path, std::string_view contents);
// mkdir -p with mode 0700: the data directory is the engine's alone.
bool make_private_directories(const std::string& path);

}  // namespace relational
