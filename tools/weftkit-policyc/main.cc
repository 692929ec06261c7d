// weftkit-policyc: checks and compiles roles files, and explains permission decisions.
#include <exception>
#include <iostream>

#include "tools/weftkit-policyc/command_line.h"
#include "tools/weftkit-policyc/commands.h"

#ifndef WEFTKIT_POLICY_VERSION
#error "WEFTKIT_POLICY_VERSION must be defined by the build"
#endif

int main(int argc, char** argv) {
  using namespace weftkit::policy::cli;
  std::vector<std::string> arguments(argv + 1, argv + argc);
  if (!arguments.empty() && (arguments[0] == "auth" || arguments[0] == "keys" || arguments[0] == "page" ||
                             arguments[0] == "audit")) {
    const std::vector<std::string> rest(arguments.begin() + 1, arguments.end());
    try {
      if (arguments[0] == "keys") return run_keys(rest);
      if (arguments[0] == "page") return run_page(rest);
      if (arguments[0] == "audit") return run_audit(rest);
      return run_auth(rest);
    } catch (const std::exception& error) {
      // Never an accept: an internal failure exits 1 with nothing on stdout.
      std::cerr << "weftkit-policyc: internal error: " << error.what() << "\n";
      return kExitPolicyErrors;
    }
  }
  ParsedCommandLine parsed = parse_command_line(arguments);
  if (!parsed.command_line) {
    std::cerr << "weftkit-policyc: error: " << parsed.usage_error << "\n\n" << usage_text();
    return kExitUsage;
  }
  const CommandLine& line = *parsed.command_line;
  if (line.verb == "--version") {
    std::cout << "weftkit-policyc " << WEFTKIT_POLICY_VERSION << "\n";
    return kExitOk;
  }
  if (line.verb == "help" || line.help) {
    std::cout << usage_text();
    return kExitOk;
  }
  try {
    if (line.verb == "check") return run_check(line);
    if (line.verb == "compile") return run_compile(line);
    if (line.verb == "eval") return run_eval(line);
    if (line.verb == "watch") return run_watch(line);
    if (line.verb == "config") return run_config(line);
    return run_explain(line);
  } catch (const std::exception& error) {
    // An internal failure must never look like a clean run (or an ALLOW).
    std::cerr << "weftkit-policyc: internal error: " << error.what() << "\n";
    return kExitPolicyErrors;
  }
}
