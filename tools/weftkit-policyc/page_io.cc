// Page input and output with POSIX calls: binary safe, no stream buffering surprises, and an
// output file that appears only complete (mkstemp + write + fsync + rename).
#include "tools/weftkit-policyc/page_io.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace weftkit::policy::cli {
namespace {

std::string system_error(const std::string& what) { return what + ": " + std::strerror(errno); }

bool write_all(int fd, std::span<const std::uint8_t> bytes) {
  while (!bytes.empty()) {
    ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return false;
    bytes = bytes.subspan(static_cast<std::size_t>(written));
  }
  return true;
}

}  // namespace

PageInput read_page_input(const std::optional<std::string>& path, std::size_t limit) {
  PageInput input;
  int fd = STDIN_FILENO;
  if (path) {
    fd = ::open(path->c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return {{}, system_error("cannot read '" + *path + "'")};
  }
  input.bytes.resize(limit);
  std::size_t size = 0;
  while (size < limit) {
    ssize_t got = ::read(fd, input.bytes.data() + size, limit - size);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      input.error = system_error("cannot read " + (path ? "'" + *path + "'" : std::string("stdin")));
      break;
    }
    if (got == 0) break;
    size += static_cast<std::size_t>(got);
  }
  if (path) ::close(fd);
  input.bytes.resize(size);
  return input;
}

std::string write_page_output(const std::optional<std::string>& path, std::span<const std::uint8_t> bytes) {
  if (!path) {
    if (!write_all(STDOUT_FILENO, bytes)) return system_error("cannot write stdout");
    return {};
  }
  std::filesystem::path target(*path);
  std::filesystem::path directory = target.parent_path().empty() ? "." : target.parent_path();
  std::string temporary = (directory / ("." + target.filename().string() + ".XXXXXX")).string();
  int fd = ::mkstemp(temporary.data());
  if (fd < 0) return system_error("cannot create a temporary file for '" + *path + "'");
  const bool written = write_all(fd, bytes) && ::fsync(fd) == 0;
  const std::string error = written ? std::string() : system_error("cannot write '" + temporary + "'");
  if (::close(fd) != 0 || !written || ::rename(temporary.c_str(), path->c_str()) != 0) {
    std::string message = error.empty() ? system_error("cannot replace '" + *path + "'") : error;
    ::unlink(temporary.c_str());
    return message;
  }
  return {};
}

}  // namespace weftkit::policy::cli
