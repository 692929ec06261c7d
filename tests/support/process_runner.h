// Starts programs for tests: tools run to completion, servers (PostgreSQL, the example engines)
// run in the background; either may run as another Unix user (PostgreSQL refuses root).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace weftkit::testing {

// A Unix account to switch to in the child before exec (only possible when we are root).
struct RunAs {
  std::string name;
  uid_t uid = 0;
  gid_t gid = 0;
};

// Looks the account up; empty when it does not exist.
std::optional<RunAs> lookup_account(const std::string& name);

struct ProcessSpec {
  std::string program;  // absolute path
  std::vector<std::string> arguments;
  std::string working_directory;
  std::optional<RunAs> run_as;
  // Replaces the environment when set (one "NAME=value" per entry); inherits it otherwise.
  std::optional<std::vector<std::string>> environment;
};

struct ProcessOutcome {
  int exit_code = -1;   // -1 when the process did not exit normally
  int term_signal = 0;  // the signal that ended it, if any
  bool timed_out = false;
  std::string out;
  std::string err;
};

// Runs to completion, capturing stdout and stderr apart; kills the child after `timeout`.
// Throws std::runtime_error when the program cannot be started.
ProcessOutcome run_to_completion(const ProcessSpec& spec, std::chrono::milliseconds timeout);

// Starts in the background with stdout and stderr appended to `log_path`. The child gets
// `signal_on_parent_death` if this process dies first, so a crashed or killed test run
// does not leave the child behind. Returns its pid; throws when it cannot be started.
pid_t start_in_background(const ProcessSpec& spec, const std::string& log_path, int signal_on_parent_death);

// Describes a finished child for messages: "exit status 2", "killed by signal 9", "timed out".
std::string describe_outcome(const ProcessOutcome& outcome);

}  // namespace weftkit::testing
