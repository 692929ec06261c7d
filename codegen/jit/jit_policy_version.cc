// The in-process policy version: the policy-version core, permissions from the JIT permission
// module, and compiled plans from the JIT (compiled with the version for every principal
// roles.yaml names, and in the background for the rest, which the interpreter answers until then).
#include "codegen/jit/jit_policy_version.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "codegen/core/core_policy_version.h"
#include "codegen/native/known_plans.h"
#include "codegen/native/native_plan.h"
#include "codegen/native/plan_cache.h"
#include "compiler/diag/status_adapter.h"

namespace weftkit::policy::jit {
namespace {

// Compiled plans of a JIT version: those compiled with it, and those compiled since, off the
// readers' path, for statements the interpreter had to answer.
class JitPlanSource final : public core::PlanSource {
 public:
  JitPlanSource(llvm_backend::JitEngine engine, bool compile_inline)
      : engine_(std::move(engine)), compile_inline_(compile_inline) {}

  ~JitPlanSource() override {
    {
      std::lock_guard<std::mutex> lock(later_.mutex);
      later_.stopping = true;
    }
    later_.wake.notify_all();
    if (later_.worker.joinable()) later_.worker.join();
  }

  std::shared_ptr<const native::CompiledPlan> find(const std::string& key) const override {
    return plans_.find(key);
  }

  void missing(const std::string& key, const StatementPlan& plan, const TableDefinition& table) const override {
    // Compiled inline, the plan was tried before the core looked for it (compile_plan_of): it
    // does not compile, and trying again would fail again.
    if (!compile_inline_) compile_later(key, plan, table);
  }

  uint64_t native_plan_count() const override { return plans_.size(); }

  // Compiles `plan` now, on the caller's thread; when the code generator does not lower it,
  // returns why.
  std::optional<std::string> compile_now(const std::string& key, const StatementPlan& plan,
                                         const TableDefinition& table) const {
    Result<std::shared_ptr<const native::CompiledPlan>> compiled = engine_.compile_plan(plan, table);
    if (!compiled.ok()) {
      return compiled.diagnostics().all().empty() ? std::string("the plan could not be compiled")
                                                  : compiled.diagnostics().all().front().message;
    }
    plans_.insert(key, compiled.value());
    return std::nullopt;
  }

  // Compiles, before the version serves, the plans of every principal roles.yaml names (each
  // user, each role alone, no role) for every table and statement shape — the same set an
  // ahead-of-time module precompiles — so that statements find their code ready.
  void compile_known_plans(const PolicyProgram& program, unsigned threads) {
    std::vector<native::KnownPlan> known = native::known_principal_plans(program);
    std::vector<std::string> keys;
    std::vector<llvm_backend::JitEngine::PlanSource> sources;
    std::set<std::string> seen;
    for (const native::KnownPlan& candidate : known) {
      const TableDefinition& table = program.tables[candidate.table];
      std::string key = native::plan_key(table.name.qualified(), candidate.plan);
      if (!seen.insert(key).second) continue;
      keys.push_back(std::move(key));
      sources.push_back({&candidate.plan, &table});
    }
    std::vector<Result<std::shared_ptr<const native::CompiledPlan>>> compiled =
        engine_.compile_plans(sources, llvm_backend::JitEngine::PlanCompileOptions{.threads = threads});
    for (size_t index = 0; index < compiled.size(); ++index) {
      if (compiled[index].ok()) plans_.insert(keys[index], compiled[index].value());
    }
  }

  llvm_backend::JitEngine& engine() { return engine_; }

 private:
  struct Pending {
    std::string key;
    StatementPlan plan;
    const TableDefinition* table = nullptr;
  };

  // Queues a plan for the background compiler. Never waits: when another thread holds the
  // queue, this statement does not queue it (a later one will).
  void compile_later(const std::string& key, const StatementPlan& plan, const TableDefinition& table) const {
    std::unique_lock<std::mutex> lock(later_.mutex, std::try_to_lock);
    if (!lock.owns_lock() || later_.stopping || !later_.queued.insert(key).second) return;
    later_.pending.push_back({key, plan, &table});
    if (!later_.worker.joinable()) later_.worker = std::thread([this] { compile_in_background(); });
    lock.unlock();
    later_.wake.notify_one();
  }

  void compile_in_background() const {
    for (;;) {
      Pending next;
      {
        std::unique_lock<std::mutex> lock(later_.mutex);
        later_.wake.wait(lock, [this] { return later_.stopping || !later_.pending.empty(); });
        if (later_.stopping) return;
        next = std::move(later_.pending.front());
        later_.pending.pop_front();
      }
      // A plan the code generator does not lower stays with the interpreter.
      compile_now(next.key, next.plan, *next.table);
    }
  }

  struct Background {
    std::mutex mutex;
    std::condition_variable wake;
    std::deque<Pending> pending;
    std::set<std::string> queued;  // every key ever queued: each plan is compiled once
    bool stopping = false;
    std::thread worker;
  };

  mutable llvm_backend::JitEngine engine_;
  bool compile_inline_;
  mutable native::PlanCache plans_;
  mutable Background later_;
};

class JitPolicyVersion final : public core::CorePolicyVersion {
 public:
  JitPolicyVersion(std::unique_ptr<const core::PolicyVersionCore> core, llvm_backend::JitEngine engine,
                   llvm_backend::JitProgram permissions, const JitVersionOptions& options)
      : CorePolicyVersion(std::move(core)),
        permissions_(std::move(permissions)),
        plans_(std::move(engine), options.compile_missing_plans_inline),
        compile_inline_(options.compile_missing_plans_inline),
        on_plan_not_compiled_(options.on_plan_not_compiled) {}

  void compile_known_plans(unsigned threads) { plans_.compile_known_plans(core().program(), threads); }

  weftkit::StatusOr<std::unique_ptr<const weftkit::StatementRowFilter>> row_filter(
      const weftkit::ResolvedPrincipal& principal, const weftkit::Identity& identity, std::string_view table,
      const weftkit::StatementShape& shape) const override {
    if (compile_inline_) compile_plan_of(principal, table, shape);
    return CorePolicyVersion::row_filter(principal, identity, table, shape);
  }

 protected:
  std::vector<uint64_t> masks_for(const core::CorePrincipal& principal) const override {
    return permissions_.masks_for_roles(principal.held_roles);
  }
  const core::PlanSource& plans() const override { return plans_; }

 private:
  // For a one-shot tool: the statement's plan compiled before the core looks for it.
  void compile_plan_of(const weftkit::ResolvedPrincipal& principal, std::string_view table_name,
                       const weftkit::StatementShape& shape) const {
    weftkit::StatusOr<const TableDefinition*> table = core().table(table_name);
    if (!table.is_ok()) return;  // the core reports it
    const auto& resolved = *static_cast<const core::CorePrincipal*>(principal.detail.get());
    const PolicyProgram& program = core().program();
    auto applies = [&](const RowPolicy& policy) { return semantics::policy_applies_to(program, resolved.principal, policy); };
    StatementPlan plan = plan_statement(*table.value(),
                                        {core::statement_command(shape.command), shape.reads_columns, shape.returning},
                                        applies, resolved.bypasses_row_security);
    std::string key = native::plan_key(table.value()->name.qualified(), plan);
    if (plans_.find(key)) return;
    std::optional<std::string> not_compiled = plans_.compile_now(key, plan, *table.value());
    if (not_compiled && on_plan_not_compiled_) on_plan_not_compiled_(*not_compiled);
  }

  llvm_backend::JitProgram permissions_;
  JitPlanSource plans_;  // destroyed before the core: its background thread reads the program
  bool compile_inline_;
  std::function<void(const std::string&)> on_plan_not_compiled_;
};

}  // namespace

StatusOr<std::shared_ptr<const PolicyVersion>> make_jit_policy_version(PolicyProgram program, std::string origin,
                                                                       llvm_backend::JitEngine engine,
                                                                       const JitVersionOptions& options) {
  Result<llvm_backend::JitProgram> permissions = engine.compile(program);
  if (!permissions.ok()) {
    return status_from_diagnostics(permissions.diagnostics(), weftkit::StatusCode::kInternal,
                                   "internal error: compiling the permission check failed");
  }
  auto version = std::make_shared<JitPolicyVersion>(
      std::make_unique<const core::PolicyVersionCore>(std::move(program), std::move(origin)), std::move(engine),
      std::move(permissions).value(), options);
  if (options.precompile_known_plans) version->compile_known_plans(options.plan_threads);
  return std::shared_ptr<const PolicyVersion>(std::move(version));
}

}  // namespace weftkit::policy::jit
