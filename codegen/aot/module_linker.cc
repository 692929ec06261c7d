// Linking ahead-of-time module objects into shared libraries (see module_linker.h).
#include "codegen/aot/module_linker.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include <weftkit/policy_module_seal.h>

// The libraries a module links beside its object, the compiler driver that links them, and
// the flags the build used (a sanitizer build's libraries need its runtime), as the build
// recorded them.
#if !defined(WEFTKIT_AOT_LINKER) || !defined(WEFTKIT_AOT_LIBRARIES) || !defined(WEFTKIT_AOT_LINK_FLAGS) || \
    !defined(WEFTKIT_AOT_INSTALLED_RELATIVE) || !defined(WEFTKIT_AOT_ARCHIVE_NAMES)
#error "WEFTKIT_AOT_LINKER, WEFTKIT_AOT_LIBRARIES, WEFTKIT_AOT_LINK_FLAGS, WEFTKIT_AOT_INSTALLED_RELATIVE and WEFTKIT_AOT_ARCHIVE_NAMES must be defined by the build"
#endif

namespace weftkit::policy::aot {
namespace {

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(separator, start);
    if (end == std::string::npos) end = text.size();
    if (end > start) parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

// Runs a program without a shell, its stdout and stderr into `transcript`; returns its exit
// status, or -1 when it could not run or did not exit. posix_spawn, not fork: the caller may
// be a multi-threaded process (a test, an engine compiling at run time).
int run_program(const std::vector<std::string>& arguments, const std::string& transcript) {
  std::vector<char*> argv;
  for (const std::string& argument : arguments) argv.push_back(const_cast<char*>(argument.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, transcript.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  pid_t child = 0;
  int spawned = posix_spawnp(&child, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return -1;
  int status = 0;
  if (waitpid(child, &status, 0) < 0) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::atomic<uint64_t> next_scratch{0};

// The support archives a module links: those installed beside the running program (an
// installed weftkit-policyc: bin/../lib/weftkit-policy/aot), else this build tree's.
std::vector<std::string> support_archives() {
  std::error_code error;
  std::filesystem::path program = std::filesystem::read_symlink("/proc/self/exe", error);
  if (!error) {
    std::filesystem::path installed = program.parent_path() / WEFTKIT_AOT_INSTALLED_RELATIVE;
    std::vector<std::string> archives;
    for (const std::string& name : split(WEFTKIT_AOT_ARCHIVE_NAMES, '|')) archives.push_back((installed / name).string());
    if (std::filesystem::exists(archives.front(), error)) return archives;
  }
  return split(WEFTKIT_AOT_LIBRARIES, '|');
}

// Why the link cannot even start, naming what to install; "" when it can.
std::string missing_link_input(const std::vector<std::string>& archives) {
  if (access(WEFTKIT_AOT_LINKER, X_OK) != 0) {
    return std::string("cannot link the policy module: the C++ compiler driver ") + WEFTKIT_AOT_LINKER +
           " that links modules is missing (install g++: apt-get install g++)";
  }
  for (const std::string& archive : archives) {
    if (access(archive.c_str(), R_OK) != 0) {
      return "cannot link the policy module: its support library " + archive +
             " is missing (reinstall WeftKit Policy, or rebuild it)";
    }
  }
  return "";
}

}  // namespace

bool link_policy_module(const std::string& object_path, const std::string& output, Diagnostics& diagnostics) {
  std::vector<std::string> archives = support_archives();
  if (std::string missing = missing_link_input(archives); !missing.empty()) {
    diagnostics.error(SourceLocation{}, missing);
    return false;
  }
  // A directory per link (threads and processes may link at once) for the export list and
  // the linker's transcript.
  std::error_code error;
  std::filesystem::path scratch = std::filesystem::temp_directory_path(error) /
                                  ("weftkit-link-" + std::to_string(getpid()) + "-" + std::to_string(next_scratch++));
  std::filesystem::create_directories(scratch, error);
  std::filesystem::path exports = scratch / "exports.map";
  std::filesystem::path transcript = scratch / "linker.txt";
  std::ofstream(exports) << "{ global: weftkit_policy_module; local: *; };\n";
  if (error || !std::filesystem::exists(exports)) {
    diagnostics.error(SourceLocation{}, "cannot write the export list in " + scratch.string());
    std::filesystem::remove_all(scratch, error);
    return false;
  }
  // -z now: every symbol is bound when the runtime loads the module, so a missing one fails
  // the load instead of the first statement that needs it. --strip-debug: the support
  // libraries' debug information made up 15.9 of a module's 16.7 MB, which every load copied
  // and every unload evicted; the symbol table stays, for profilers and stack traces.
  std::vector<std::string> command = {WEFTKIT_AOT_LINKER, "-shared", "-o", output, object_path,
                                      "-Wl,--version-script=" + exports.string(), "-Wl,--no-undefined", "-Wl,-z,now",
                                      "-Wl,--strip-debug"};
  for (const std::string& flag : split(WEFTKIT_AOT_LINK_FLAGS, '|')) command.push_back(flag);
  for (const std::string& library : archives) command.push_back(library);
  command.push_back("-lcrypto");
  int status = run_program(command, transcript.string());
  std::string printed = read_file(transcript);
  std::filesystem::remove_all(scratch, error);
  if (status == 0) {
    // The integrity record the runtime checks before it maps anything of the file: without
    // it, a module cut short by a copy in progress would be mapped past its end.
    weftkit::Status sealed = weftkit::seal_policy_module(output);
    if (sealed.is_ok()) return true;
    diagnostics.error(SourceLocation{}, sealed.message());
    return false;
  }
  diagnostics.error(SourceLocation{}, std::string("linking the shared library failed (") + WEFTKIT_AOT_LINKER +
                                          " exited with " + std::to_string(status) + ")" +
                                          (printed.empty() ? "" : ":\n" + printed));
  return false;
}

}  // namespace weftkit::policy::aot
