// `weftkit-policyc config`: the WEFTKIT_* configuration of this environment as an engine would
// resolve it (secrets shown as <set>), or every problem with it.
#include <iostream>

#include <weftkit/config.h>
#include "tools/weftkit-policyc/commands.h"

namespace weftkit::policy::cli {

int run_config(const CommandLine&) {
  weftkit::config::ConfigResult result = weftkit::config::load_config(weftkit::config::process_environment());
  for (const std::string& warning : result.warnings) std::cerr << "weftkit-policyc: warning: " << warning << "\n";
  if (!result.ok()) {
    for (const std::string& error : result.errors) std::cerr << "weftkit-policyc: error: " << error << "\n";
    return kExitPolicyErrors;
  }
  std::cout << weftkit::config::describe(*result.config);
  return kExitOk;
}

}  // namespace weftkit::policy::cli
