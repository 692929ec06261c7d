// fork/exec with pipes; the child only calls async-signal-safe functions between fork and exec.
#include "tests/support/process_runner.h"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

extern char** environ;

namespace weftkit::testing {
namespace {

// argv/envp arrays built before fork, so the child does not allocate.
struct ExecArrays {
  std::vector<std::string> storage_argv;
  std::vector<std::string> storage_env;
  std::vector<char*> argv;
  std::vector<char*> envp;

  explicit ExecArrays(const ProcessSpec& spec) {
    storage_argv.push_back(spec.program);
    storage_argv.insert(storage_argv.end(), spec.arguments.begin(), spec.arguments.end());
    for (std::string& argument : storage_argv) argv.push_back(argument.data());
    argv.push_back(nullptr);
    if (spec.environment) {
      storage_env = *spec.environment;
      for (std::string& entry : storage_env) envp.push_back(entry.data());
      envp.push_back(nullptr);
    }
  }
  char* const* environment() { return envp.empty() ? environ : envp.data(); }
};

// Reports errno through the exec-status pipe and exits; used only in the child.
[[noreturn]] void child_fail(int status_fd) {
  int error = errno;
  ssize_t ignored = write(status_fd, &error, sizeof error);
  (void)ignored;
  _exit(127);
}

// In the child: working directory, user switch, optional death signal, exec.
[[noreturn]] void exec_child(const ProcessSpec& spec, ExecArrays& arrays, int status_fd, int death_signal) {
  if (!spec.working_directory.empty() && chdir(spec.working_directory.c_str()) != 0) child_fail(status_fd);
  if (spec.run_as) {
    gid_t gid = spec.run_as->gid;
    if (setgroups(1, &gid) != 0 || setgid(spec.run_as->gid) != 0 || setuid(spec.run_as->uid) != 0) {
      child_fail(status_fd);
    }
  }
  // After the user switch: changing credentials clears the parent-death signal.
  if (death_signal != 0 && prctl(PR_SET_PDEATHSIG, death_signal) != 0) child_fail(status_fd);
  execve(spec.program.c_str(), arrays.argv.data(), arrays.environment());
  child_fail(status_fd);
}

// Waits for the exec-status pipe: EOF means exec succeeded (the pipe is close-on-exec).
void expect_exec_succeeded(int status_read_fd, pid_t pid, const std::string& program) {
  int child_errno = 0;
  ssize_t got;
  do {
    got = read(status_read_fd, &child_errno, sizeof child_errno);
  } while (got < 0 && errno == EINTR);
  close(status_read_fd);
  if (got == sizeof child_errno) {
    waitpid(pid, nullptr, 0);
    throw std::runtime_error("cannot start " + program + ": " + std::strerror(child_errno));
  }
}

void make_pipe(int fds[2]) {
  if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
}

void fill_exit_status(int status, ProcessOutcome& outcome) {
  if (WIFEXITED(status)) outcome.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) outcome.term_signal = WTERMSIG(status);
}

}  // namespace

std::optional<RunAs> lookup_account(const std::string& name) {
  struct passwd* entry = getpwnam(name.c_str());
  if (entry == nullptr) return std::nullopt;
  return RunAs{name, entry->pw_uid, entry->pw_gid};
}

ProcessOutcome run_to_completion(const ProcessSpec& spec, std::chrono::milliseconds timeout) {
  ExecArrays arrays(spec);
  int out_pipe[2], err_pipe[2], status_pipe[2];
  make_pipe(out_pipe);
  make_pipe(err_pipe);
  make_pipe(status_pipe);
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd < 0 || dup2(null_fd, 0) < 0 || dup2(out_pipe[1], 1) < 0 || dup2(err_pipe[1], 2) < 0) {
      child_fail(status_pipe[1]);
    }
    exec_child(spec, arrays, status_pipe[1], 0);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  close(status_pipe[1]);
  try {
    expect_exec_succeeded(status_pipe[0], pid, spec.program);
  } catch (...) {
    close(out_pipe[0]);
    close(err_pipe[0]);
    throw;
  }

  ProcessOutcome outcome;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&outcome.out, &outcome.err};
  int open_count = 2;
  char buffer[65536];
  while (open_count > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      outcome.timed_out = true;
      kill(pid, SIGKILL);
      break;
    }
    int ready = poll(fds, 2, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) break;
    for (int index = 0; index < 2; ++index) {
      if (fds[index].fd < 0 || fds[index].revents == 0) continue;
      ssize_t got = read(fds[index].fd, buffer, sizeof buffer);
      if (got > 0) {
        sinks[index]->append(buffer, static_cast<size_t>(got));
      } else if (got == 0 || errno != EINTR) {
        close(fds[index].fd);
        fds[index].fd = -1;
        --open_count;
      }
    }
  }
  for (pollfd& entry : fds) {
    if (entry.fd >= 0) close(entry.fd);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  fill_exit_status(status, outcome);
  return outcome;
}

pid_t start_in_background(const ProcessSpec& spec, const std::string& log_path, int signal_on_parent_death) {
  ExecArrays arrays(spec);
  int log_fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) throw std::runtime_error("cannot open " + log_path + ": " + std::strerror(errno));
  if (spec.run_as && fchown(log_fd, spec.run_as->uid, spec.run_as->gid) != 0) {
    close(log_fd);
    throw std::runtime_error("cannot chown " + log_path + ": " + std::strerror(errno));
  }
  int status_pipe[2];
  make_pipe(status_pipe);
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd < 0 || dup2(null_fd, 0) < 0 || dup2(log_fd, 1) < 0 || dup2(log_fd, 2) < 0) {
      child_fail(status_pipe[1]);
    }
    // Own process group: a ^C in the terminal reaches the test, which then stops the server itself.
    setpgid(0, 0);
    exec_child(spec, arrays, status_pipe[1], signal_on_parent_death);
  }
  close(log_fd);
  close(status_pipe[1]);
  expect_exec_succeeded(status_pipe[0], pid, spec.program);
  return pid;
}

std::string describe_outcome(const ProcessOutcome& outcome) {
  if (outcome.timed_out) return "timed out";
  if (outcome.term_signal != 0) return "killed by signal " + std::to_string(outcome.term_signal);
  return "exit status " + std::to_string(outcome.exit_code);
}

}  // namespace weftkit::testing
