// PolicyCompiler (include/weftkit/policy_compiler.h): files to a JIT-backed version.
#include <weftkit/detail/reload_audit.h>
#include <weftkit/policy_compiler.h>
#include <weftkit/status_macros.h>

#include "codegen/jit/jit_policy_version.h"
#include "compiler/diag/status_adapter.h"
#include "compiler/driver/compile_files.h"

namespace weftkit {

struct PolicyCompiler::State {
  policy::llvm_backend::JitEngine engine;
};

StatusOr<PolicyCompiler> PolicyCompiler::create() {
  policy::Result<policy::llvm_backend::JitEngine> engine = policy::llvm_backend::JitEngine::create();
  if (!engine.ok()) {
    return policy::status_from_diagnostics(engine.diagnostics(), StatusCode::kInternal, "the JIT could not be created");
  }
  PolicyCompiler compiler;
  compiler.state_ = std::make_shared<State>(State{std::move(engine).value()});
  return compiler;
}

StatusOr<std::shared_ptr<const PolicyVersion>> PolicyCompiler::compile(const std::vector<std::string>& files,
                                                                       const CompileOptions& options) const {
  policy::SourceTexts sources;
  policy::Result<policy::PolicyProgram> program = policy::compile_files(files, sources);
  if (!program.ok()) return policy::status_from_diagnostics(program.diagnostics(), sources, StatusCode::kPolicyError);
  std::string origin;
  for (const std::string& file : files) origin += (origin.empty() ? "" : ", ") + file;
  policy::jit::JitVersionOptions version_options;
  version_options.plan_threads = options.plan_threads;
  return policy::jit::make_jit_policy_version(std::move(program).value(), origin, state_->engine, version_options);
}

Status PolicyCompiler::reload(PolicyStore& store, const std::vector<std::string>& files,
                              const CompileOptions& options) const {
  // The files are hashed before the compile reads them, and only when the store's sink records
  // reloads; a file rewritten during the compile brings (with a watcher) another reload.
  const uint64_t old_generation = store.generation();
  const bool audited = detail::wants_reload_events(store);
  const std::vector<std::string> hashes = audited ? detail::sha256_of_files(files) : std::vector<std::string>{};
  StatusOr<std::shared_ptr<const PolicyVersion>> version = compile(files, options);
  Status outcome = version.is_ok() ? Status::ok() : version.status();
  if (version.is_ok()) store.publish(std::move(version).value());
  if (audited) detail::report_reload(store, old_generation, files, hashes, outcome);
  return outcome;
}

}  // namespace weftkit
