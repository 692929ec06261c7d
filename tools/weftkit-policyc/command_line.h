// Parsing of weftkit-policyc's command line into the options of one verb. Bad usage is a
// value with a message, printed by main with exit status 2.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace weftkit::policy::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitPolicyErrors = 1;
inline constexpr int kExitUsage = 2;

struct CommandLine {
  std::string verb;
  std::vector<std::string> files;
  bool json = false;
  bool help = false;
  std::optional<std::string> output;
  std::string emit = "bundle";  // compile: bundle, llvm, asm or obj
  std::optional<std::string> user;
  std::vector<std::string> roles;
  std::optional<std::string> op;
  std::optional<std::string> table;
  // eval
  std::optional<std::string> command;
  std::vector<std::string> settings;  // name=value
  std::optional<std::string> rows;
  std::optional<std::string> new_rows;
  bool no_read = false;
  bool returning = false;
  std::string engine = "jit";  // jit or interp
  // watch
  int debounce_ms = 200;
  std::optional<int> exit_after;  // stop after this many reload outcomes
};

struct ParsedCommandLine {
  std::optional<CommandLine> command_line;
  std::string usage_error;  // set when command_line is empty
};

// argv without the program name; the first word is the verb.
ParsedCommandLine parse_command_line(const std::vector<std::string>& arguments);

std::string usage_text();

}  // namespace weftkit::policy::cli
