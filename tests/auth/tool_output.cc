// posix_spawnp with a pipe: passwords go in argv untouched by any shell.
#include "tests/auth/tool_output.h"

#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

extern char** environ;

namespace weftkit::auth::testing {

std::string run_tool(const std::vector<std::string>& argv, const std::string& package) {
  int pipe_ends[2];
  if (pipe(pipe_ends) != 0) {
    ADD_FAILURE() << "pipe() failed";
    return "";
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_ends[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, pipe_ends[0]);
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_ends[1]);
  std::string output;
  if (spawned == 0) {
    char buffer[4096];
    for (ssize_t n; (n = read(pipe_ends[0], buffer, sizeof buffer)) != 0;) {
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) break;
      output.append(buffer, static_cast<size_t>(n));
    }
  }
  close(pipe_ends[0]);
  if (spawned != 0) {
    ADD_FAILURE() << argv[0] << " is not installed: apt-get install " << package;
    return "";
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    ADD_FAILURE() << argv[0] << " failed (exit status " << status << "); is " << package << " installed?";
    return "";
  }
  while (!output.empty() && (output.back() == '\n' || output.back() == '\r')) output.pop_back();
  return output;
}

std::string htpasswd_line(const std::vector<std::string>& options, const std::string& user, const std::string& password) {
  std::vector<std::string> argv = {"htpasswd", "-nb"};
  argv.insert(argv.end(), options.begin(), options.end());
  argv.push_back(user);
  argv.push_back(password);
  return run_tool(argv, "apache2-utils");
}

std::string openssl_passwd(const std::string& option, const std::string& password) {
  return run_tool({"openssl", "passwd", option, password}, "openssl");
}

std::string mkpasswd_hash(const std::string& method, const std::string& password) {
  return run_tool({"mkpasswd", "-m", method, password}, "whois");
}

}  // namespace weftkit::auth::testing
