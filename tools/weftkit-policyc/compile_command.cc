// `weftkit-policyc compile`: write the bundle (or, with --emit, the native permission module),
// atomically, only when the inputs are clean.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "codegen/llvm/aot_emit.h"
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

// The libraries an ahead-of-time module links beside its object, the compiler driver that links
// them, and the flags the build used (a sanitizer build's libraries need its runtime), as the
// build recorded them.
#if !defined(WEFTKIT_AOT_LINKER) || !defined(WEFTKIT_AOT_LIBRARIES) || !defined(WEFTKIT_AOT_LINK_FLAGS)
#error "WEFTKIT_AOT_LINKER, WEFTKIT_AOT_LIBRARIES and WEFTKIT_AOT_LINK_FLAGS must be defined by the build"
#endif

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(separator, start);
    if (end == std::string::npos) end = text.size();
    if (end > start) parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

// Runs a program without a shell; its output goes to our stderr.
int run_program(const std::vector<std::string>& arguments) {
  std::vector<char*> argv;
  for (const std::string& argument : arguments) argv.push_back(const_cast<char*>(argument.c_str()));
  argv.push_back(nullptr);
  pid_t child = fork();
  if (child == 0) {
    dup2(STDERR_FILENO, STDOUT_FILENO);
    execvp(argv[0], argv.data());
    _exit(127);
  }
  if (child < 0) return -1;
  int status = 0;
  if (waitpid(child, &status, 0) < 0) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// --emit=so: the module's object plus the support libraries, linked into a shared library
// that exports only weftkit_policy_module (runtime/include/weftkit/policy_module_abi.h).
int write_shared_module(const CommandLine& line, const PolicyProgram& program) {
  std::string origin;
  for (const std::string& file : line.files) origin += (origin.empty() ? "" : ", ") + file;
  Result<llvm_backend::AotObject> object = llvm_backend::emit_aot_object(program, write_bundle(program), origin);
  for (const Diagnostic& diagnostic : object.diagnostics().all()) std::cerr << "weftkit-policyc: " << diagnostic.message << "\n";
  if (!object.ok()) return kExitPolicyErrors;

  std::filesystem::path scratch = std::filesystem::temp_directory_path() / ("weftkit-so-" + std::to_string(getpid()));
  std::error_code ignored;
  std::filesystem::create_directories(scratch, ignored);
  std::string object_path = (scratch / "module.o").string();
  std::string exports_path = (scratch / "exports.map").string();
  std::string error;
  bool written = write_atomically(object_path, object.value().bytes, error) &&
                 write_atomically(exports_path, "{ global: weftkit_policy_module; local: *; };\n", error);
  std::string temporary = *line.output + ".tmp";
  int linked = -1;
  if (written) {
    std::vector<std::string> command = {WEFTKIT_AOT_LINKER, "-shared", "-o", temporary, object_path,
                                        "-Wl,--undefined=weftkit_policy_module",
                                        "-Wl,--version-script=" + exports_path, "-Wl,--no-undefined", "-Wl,-z,now"};
    for (const std::string& flag : split(WEFTKIT_AOT_LINK_FLAGS, '|')) command.push_back(flag);
    for (const std::string& library : split(WEFTKIT_AOT_LIBRARIES, '|')) command.push_back(library);
    command.push_back("-lcrypto");
    linked = run_program(command);
  }
  std::filesystem::remove_all(scratch, ignored);
  if (!written) {
    std::cerr << "weftkit-policyc: error: " << error << "\n";
    return kExitPolicyErrors;
  }
  if (linked != 0 || std::rename(temporary.c_str(), line.output->c_str()) != 0) {
    std::remove(temporary.c_str());
    std::cerr << "weftkit-policyc: error: linking the shared library failed (" << WEFTKIT_AOT_LINKER
              << " exited with " << linked << "); nothing written\n";
    return kExitPolicyErrors;
  }
  std::cout << "wrote " << *line.output << " (so): " << object.value().plans_compiled << " precompiled statement plans, "
            << object.value().plans_interpreted << " left to the interpreter; permission check for "
            << program.permissions.role_count << " roles, " << program.permissions.class_count << " resource classes\n";
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
  if (line.emit == "so") return write_shared_module(line, program.value());
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
