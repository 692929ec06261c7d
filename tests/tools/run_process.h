// Runs a program to completion and captures its stdout, stderr and exit status separately.
#pragma once

#include <string>
#include <vector>

namespace weftkit::policy::testing {

struct ProcessResult {
  int exit_code = -1;  // -1 when the process did not exit normally (see term_signal)
  int term_signal = 0;
  std::string out;
  std::string err;
};

// Spawns `program` (an absolute path) with `arguments`, stdin from /dev/null, in
// `working_directory`. Throws std::runtime_error when the process cannot be started.
ProcessResult run_process(const std::string& program, const std::vector<std::string>& arguments,
                          const std::string& working_directory);

// The same with `standard_input` as the child's stdin (small texts: it is written whole before
// the output is read).
ProcessResult run_process(const std::string& program, const std::vector<std::string>& arguments,
                          const std::string& working_directory, const std::string& standard_input);

}  // namespace weftkit::policy::testing
