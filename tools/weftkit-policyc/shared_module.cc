// Emitting and linking ahead-of-time policy modules (see shared_module.h).
#include "tools/weftkit-policyc/shared_module.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "codegen/aot/module_linker.h"
#include "codegen/native/known_plans.h"
#include "compiler/bundle/bundle.h"

namespace weftkit::policy::cli {

Result<llvm_backend::AotModule> emit_policy_module(const PolicyProgram& program, const std::string& origin,
                                                   llvm_backend::NativeOutput output) {
  llvm_backend::AotModuleContents contents;
  contents.bundle = write_bundle(program);
  contents.origin = origin;
  contents.plans = native::known_principal_plans(program);
  return llvm_backend::emit_aot_module(program, contents, output);
}

bool link_policy_module_object(const std::string& object_bytes, const std::string& output, std::string& error) {
  // Private to this process: nobody else can plant or swap the object before it is linked.
  std::string scratch = (std::filesystem::temp_directory_path() / "weftkit-so-XXXXXX").string();
  if (mkdtemp(scratch.data()) == nullptr) {
    error = "cannot create a scratch directory in " + std::filesystem::temp_directory_path().string();
    return false;
  }
  std::string object_path = scratch + "/module.o";
  bool linked = false;
  {
    std::ofstream out(object_path, std::ios::binary | std::ios::trunc);
    out.write(object_bytes.data(), static_cast<std::streamsize>(object_bytes.size()));
    out.flush();
    if (!out) error = "cannot write '" + object_path + "'";
  }
  if (error.empty()) {
    Diagnostics diagnostics;
    linked = aot::link_policy_module(object_path, output, diagnostics);
    for (const Diagnostic& diagnostic : diagnostics.all()) {
      error += (error.empty() ? "" : "\n") + std::string("weftkit-policyc: error: ") + diagnostic.message;
    }
  } else {
    error = "weftkit-policyc: error: " + error;
  }
  std::error_code ignored;
  std::filesystem::remove_all(scratch, ignored);
  return linked;
}

}  // namespace weftkit::policy::cli
