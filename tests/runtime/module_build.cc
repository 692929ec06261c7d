// Running weftkit-policyc to build policy modules for tests.
#include "tests/runtime/module_build.h"

#include <cstdio>

#ifndef WEFTKIT_POLICYC_PATH
#error "WEFTKIT_POLICYC_PATH must be defined by the build"
#endif

namespace weftkit::testing {

std::string build_policy_module(const std::vector<std::string>& inputs, const std::string& output) {
  std::string command = "'" WEFTKIT_POLICYC_PATH "' compile --emit=so -o '" + output + "'";
  for (const std::string& input : inputs) command += " '" + input + "'";
  command += " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return "cannot run " WEFTKIT_POLICYC_PATH;
  std::string printed;
  char buffer[4096];
  while (fgets(buffer, sizeof buffer, pipe) != nullptr) printed += buffer;
  int status = pclose(pipe);
  return status == 0 ? "" : "weftkit-policyc failed:\n" + printed;
}

}  // namespace weftkit::testing
