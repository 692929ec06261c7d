// Compiling the same files into a JIT version and an ahead-of-time module (see the header).
#include "tests/runtime/jit_and_module_versions.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>

#include <weftkit/policy_compiler.h>
#include <weftkit/policy_module.h>
#include "tests/runtime/module_build.h"

namespace weftkit::testing {

JitAndModuleVersions compile_jit_and_module(const std::vector<std::string>& files) {
  static std::atomic<int> next{0};
  StatusOr<PolicyCompiler> compiler = PolicyCompiler::create();
  if (!compiler.is_ok()) return {nullptr, nullptr, compiler.status().message()};
  StatusOr<std::shared_ptr<const PolicyVersion>> jit = compiler.value().compile(files);
  if (!jit.is_ok()) return {nullptr, nullptr, jit.status().message()};
  std::string path = (std::filesystem::temp_directory_path() /
                      ("weftkit-both-" + std::to_string(getpid()) + "-" + std::to_string(next++) + ".so"))
                         .string();
  if (std::string built = build_policy_module(files, path); !built.empty()) return {nullptr, nullptr, built};
  StatusOr<std::shared_ptr<const PolicyVersion>> module = load_policy_module(path);
  std::filesystem::remove(path);  // the runtime loaded a private copy
  if (!module.is_ok()) return {nullptr, nullptr, module.status().message()};
  return {std::move(jit).value(), std::move(module).value(), ""};
}

}  // namespace weftkit::testing
