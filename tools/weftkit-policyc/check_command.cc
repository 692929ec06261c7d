// `weftkit-policyc check`: validate the inputs and report every diagnostic.
#include <iostream>

#include "compiler/driver/compile_files.h"
#include "tools/weftkit-policyc/commands.h"
#include "tools/weftkit-policyc/diagnostics_json.h"

namespace weftkit::policy::cli {

int run_check(const CommandLine& line) {
  SourceTexts sources;
  Result<PolicyProgram> program = compile_files(line.files, sources);
  const Diagnostics& diagnostics = program.diagnostics();
  if (line.json) {
    nlohmann::ordered_json out = {
        {"ok", program.ok()},
        {"errors", diagnostics.error_count()},
        {"warnings", diagnostics.warning_count()},
        {"diagnostics", diagnostics_json(diagnostics)},
    };
    if (program.ok()) {
      out["roles"] = program.value().roles.size();
      out["users"] = program.value().users.size();
      out["tables"] = program.value().tables.size();
    }
    std::cout << out.dump(2) << "\n";
  } else {
    std::cerr << render_diagnostics(diagnostics, sources);
    if (program.ok()) {
      size_t policies = 0;
      for (const TableDefinition& table : program.value().tables) policies += table.policies.size();
      std::cout << "ok: " << program.value().roles.size() << " roles (" << program.value().roles.size() - 5
                << " custom, 5 built-in), " << program.value().users.size() << " users, "
                << program.value().tables.size() << " tables, " << policies << " policies, "
                << diagnostics.warning_count() << " warnings\n";
    } else {
      std::cerr << diagnostics.error_count() << " error(s), " << diagnostics.warning_count() << " warning(s)\n";
    }
  }
  return program.ok() ? kExitOk : kExitPolicyErrors;
}

}  // namespace weftkit::policy::cli
