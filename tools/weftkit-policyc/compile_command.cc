// `weftkit-policyc compile`: write the bundle (or, with --emit, an ahead-of-time policy module
// or its generated part), atomically, only when the inputs are clean.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "codegen/llvm/aot_emit.h"
#include "codegen/llvm/native_emit.h"
#include "compiler/bundle/bundle.h"
#include "compiler/driver/compile_files.h"
#include "tools/weftkit-policyc/commands.h"
#include "tools/weftkit-policyc/shared_module.h"

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

std::string origin_of(const CommandLine& line) {
  std::string origin;
  for (const std::string& file : line.files) origin += (origin.empty() ? "" : ", ") + file;
  return origin;
}

void print_written(const CommandLine& line, const PolicyProgram& program, const llvm_backend::AotModule& module) {
  std::cout << "wrote " << *line.output << " (" << line.emit << "): " << module.plans_compiled
            << " precompiled statement plans, " << module.plans_interpreted
            << " left to the interpreter; permission check for " << program.permissions.role_count << " roles, "
            << program.permissions.class_count << " resource classes\n";
}

// --emit=llvm|asm|obj: the module's generated part as IR, assembly, or the very object that
// --emit=so links.
int write_native(const CommandLine& line, const PolicyProgram& program, const SourceTexts& sources) {
  Result<llvm_backend::AotModule> module =
      emit_policy_module(program, origin_of(line), *llvm_backend::parse_native_output(line.emit));
  std::cerr << render_diagnostics(module.diagnostics(), sources);
  if (!module.ok()) return kExitPolicyErrors;
  std::string error;
  if (!write_atomically(*line.output, module.value().bytes, error)) {
    std::cerr << "weftkit-policyc: error: " << error << "\n";
    return kExitPolicyErrors;
  }
  print_written(line, program, module.value());
  return kExitOk;
}

// --emit=so: the --emit=obj object linked with the support code into a shared library that
// exports only weftkit_policy_module (include/weftkit/policy_module_abi.h).
int write_shared_module(const CommandLine& line, const PolicyProgram& program, const SourceTexts& sources) {
  Result<llvm_backend::AotModule> module = emit_policy_module(program, origin_of(line), llvm_backend::NativeOutput::kObject);
  std::cerr << render_diagnostics(module.diagnostics(), sources);
  if (!module.ok()) return kExitPolicyErrors;
  std::string temporary = *line.output + ".tmp";
  std::string error;
  bool linked = link_policy_module_object(module.value().bytes, temporary, error);
  if (!linked || std::rename(temporary.c_str(), line.output->c_str()) != 0) {
    std::remove(temporary.c_str());
    if (!error.empty()) std::cerr << error << "\n";
    if (linked) std::cerr << "weftkit-policyc: error: cannot rename '" << temporary << "' to '" << *line.output << "'\n";
    std::cerr << "nothing written\n";
    return kExitPolicyErrors;
  }
  print_written(line, program, module.value());
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
  if (line.emit == "so") return write_shared_module(line, program.value(), sources);
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
