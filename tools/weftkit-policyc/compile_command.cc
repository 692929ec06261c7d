// `weftkit-policyc compile`: write the bundle (or, with --emit, the native permission module),
// atomically, only when the inputs are clean.
#include <cstdio>
#include <fstream>
#include <iostream>

#include "codegen/llvm/native_emit.h"
#include "compiler/bundle/bundle.h"
#include "compiler/driver/compile_files.h"
#include "tools/weftkit-policyc/commands.h"

namespace weftkit::policy::cli {
namespace {

// Writes next to the target and renames over it, so a reader never sees half a bundle and a
// failed write never replaces a good one.
bool write_atomically(const std::string& path, const std::string& bytes, std::string& error) {
  std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) {
      error = "cannot open '" + temporary + "' for writing";
      return false;
    }
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) {
      error = "cannot write '" + temporary + "'";
      std::remove(temporary.c_str());
      return false;
    }
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    error = "cannot rename '" + temporary + "' to '" + path + "'";
    std::remove(temporary.c_str());
    return false;
  }
  return true;
}

// --emit=llvm|asm|obj: the permission check only, for now; row-level security still needs the
// bundle (and the reference evaluator).
int write_native(const CommandLine& line, const PolicyProgram& program, const SourceTexts& sources) {
  auto output = llvm_backend::parse_native_output(line.emit);
  Result<std::string> bytes = llvm_backend::emit_permission_module(program, *output);
  std::cerr << render_diagnostics(bytes.diagnostics(), sources);
  if (!bytes.ok()) return kExitPolicyErrors;
  std::string error;
  if (!write_atomically(*line.output, bytes.value(), error)) {
    std::cerr << "weftkit-policyc: error: " << error << "\n";
    return kExitPolicyErrors;
  }
  std::cout << "wrote " << *line.output << " (" << line.emit << "): permission check for "
            << program.permissions.role_count << " roles, " << program.permissions.class_count
            << " resource classes\n";
  return kExitOk;
}

}  // namespace

int run_compile(const CommandLine& line) {
  SourceTexts sources;
  Result<PolicyProgram> program = compile_files(line.files, sources);
  std::cerr << render_diagnostics(program.diagnostics(), sources);
  if (!program.ok()) {
    std::cerr << program.diagnostics().error_count() << " error(s); nothing written\n";
    return kExitPolicyErrors;
  }
  if (line.emit != "bundle") return write_native(line, program.value(), sources);
  std::string error;
  if (!write_atomically(*line.output, write_bundle(program.value()), error)) {
    std::cerr << "weftkit-policyc: error: " << error << "\n";
    return kExitPolicyErrors;
  }
  size_t policies = 0;
  for (const TableDefinition& table : program.value().tables) policies += table.policies.size();
  std::cout << "wrote " << *line.output << ": " << program.value().roles.size() << " roles, "
            << program.value().users.size() << " users, " << program.value().resource_classes.classes.size()
            << " resource classes, " << program.value().tables.size() << " tables, " << policies << " policies\n";
  return kExitOk;
}

}  // namespace weftkit::policy::cli
