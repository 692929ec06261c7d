// posix_spawn with two pipes drained together by poll, so that a child writing a lot to one
// stream never blocks while the parent waits on the other.
#include "tests/tools/run_process.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <stdexcept>

extern char** environ;

namespace weftkit::policy::testing {
namespace {

[[noreturn]] void fail(const std::string& what, int error) {
  throw std::runtime_error(what + ": " + std::strerror(error));
}

struct Pipe {
  int read_end = -1;
  int write_end = -1;
  Pipe() {
    int ends[2];
    if (pipe2(ends, O_CLOEXEC) != 0) fail("pipe2", errno);
    read_end = ends[0];
    write_end = ends[1];
  }
  ~Pipe() {
    if (read_end >= 0) close(read_end);
    if (write_end >= 0) close(write_end);
  }
  void close_write_end() {
    close(write_end);
    write_end = -1;
  }
};

// Reads both pipes until both reach end of file.
void drain(Pipe& out_pipe, Pipe& err_pipe, std::string& out, std::string& err) {
  pollfd fds[2] = {{out_pipe.read_end, POLLIN, 0}, {err_pipe.read_end, POLLIN, 0}};
  std::string* sinks[2] = {&out, &err};
  int open_count = 2;
  char buffer[4096];
  while (open_count > 0) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      fail("poll", errno);
    }
    for (int index = 0; index < 2; ++index) {
      if (fds[index].fd < 0 || fds[index].revents == 0) continue;
      ssize_t count = read(fds[index].fd, buffer, sizeof buffer);
      if (count < 0 && errno == EINTR) continue;
      if (count < 0) fail("read", errno);
      if (count == 0) {
        fds[index].fd = -1;
        --open_count;
        continue;
      }
      sinks[index]->append(buffer, static_cast<size_t>(count));
    }
  }
}

}  // namespace

namespace {

ProcessResult spawn_and_wait(const std::string& program, const std::vector<std::string>& arguments,
                             const std::string& working_directory, const std::string* standard_input) {
  Pipe out_pipe;
  Pipe err_pipe;
  Pipe in_pipe;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (standard_input) {
    posix_spawn_file_actions_adddup2(&actions, in_pipe.read_end, STDIN_FILENO);
  } else {
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  }
  posix_spawn_file_actions_adddup2(&actions, out_pipe.write_end, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_pipe.write_end, STDERR_FILENO);
  posix_spawn_file_actions_addchdir_np(&actions, working_directory.c_str());

  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(program.c_str()));
  for (const std::string& argument : arguments) argv.push_back(const_cast<char*>(argument.c_str()));
  argv.push_back(nullptr);

  pid_t pid = 0;
  int spawn_error = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawn_error != 0) fail("posix_spawn " + program, spawn_error);
  out_pipe.close_write_end();
  err_pipe.close_write_end();
  close(in_pipe.read_end);
  in_pipe.read_end = -1;
  if (standard_input) {
    // A child that exits without reading must not kill the test with SIGPIPE.
    signal(SIGPIPE, SIG_IGN);
    size_t written = 0;
    while (written < standard_input->size()) {
      ssize_t count = write(in_pipe.write_end, standard_input->data() + written, standard_input->size() - written);
      if (count < 0 && errno == EINTR) continue;
      if (count < 0) break;  // EPIPE: the child stopped reading
      written += static_cast<size_t>(count);
    }
  }
  in_pipe.close_write_end();

  ProcessResult result;
  drain(out_pipe, err_pipe, result.out, result.err);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) fail("waitpid", errno);
  }
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.term_signal = WTERMSIG(status);
  return result;
}

}  // namespace

ProcessResult run_process(const std::string& program, const std::vector<std::string>& arguments,
                          const std::string& working_directory) {
  return spawn_and_wait(program, arguments, working_directory, nullptr);
}

ProcessResult run_process(const std::string& program, const std::vector<std::string>& arguments,
                          const std::string& working_directory, const std::string& standard_input) {
  return spawn_and_wait(program, arguments, working_directory, &standard_input);
}

}  // namespace weftkit::policy::testing
