// The in-process policy version: RBAC from the JIT permission module, row filters from
// JIT-compiled plans (the reference interpreter for the rare plan the JIT does not compile).
#include "codegen/module/jit_policy_version.h"

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <set>
#include <thread>

#include "codegen/interp/decision_text.h"
#include "codegen/interp/principal.h"
#include "codegen/llvm/aot_emit.h"
#include "codegen/llvm/statement_filter.h"
#include "codegen/llvm/plan_cache.h"
#include "codegen/llvm/principal_plan_memo.h"
#include "compiler/ir/resource_class_index.h"

namespace weftkit::policy::module {
namespace {

static_assert(sizeof(weftkit::Datum) == sizeof(llvm_backend::NativeDatum));
static_assert(offsetof(weftkit::Datum, bits) == offsetof(llvm_backend::NativeDatum, bits));
static_assert(offsetof(weftkit::Datum, data) == offsetof(llvm_backend::NativeDatum, data));
static_assert(offsetof(weftkit::Datum, length) == offsetof(llvm_backend::NativeDatum, length));
static_assert(offsetof(weftkit::Datum, is_null) == offsetof(llvm_backend::NativeDatum, is_null));
static_assert(offsetof(weftkit::Datum, is_error) == offsetof(llvm_backend::NativeDatum, is_error));
static_assert(static_cast<int>(weftkit::Operation::kExecute) == static_cast<int>(policy::Operation::kExecute));

const llvm_backend::NativeDatum* native(const weftkit::Datum* row) {
  return reinterpret_cast<const llvm_backend::NativeDatum*>(row);
}

weftkit::RowOutcome to_runtime(const interp::RowOutcome& outcome) {
  return {static_cast<weftkit::RowResult>(outcome.result), outcome.message};
}

StatementCommand to_statement_command(weftkit::Command command) {
  switch (command) {
    case weftkit::Command::kSelect: return StatementCommand::kSelect;
    case weftkit::Command::kInsert: return StatementCommand::kInsert;
    case weftkit::Command::kUpdate: return StatementCommand::kUpdate;
    case weftkit::Command::kDelete: return StatementCommand::kDelete;
  }
  return StatementCommand::kSelect;
}

// A statement filter (compiled or interpreted) behind the runtime's interface.
class RuntimeStatementFilter final : public weftkit::StatementRowFilter {
 public:
  RuntimeStatementFilter(llvm_backend::StatementFilter filter, const TableDefinition& table)
      : filter_(std::move(filter)), column_count_(table.columns.size()) {}
  size_t column_count() const override { return column_count_; }
  weftkit::RowOutcome check(const weftkit::Datum* row, const weftkit::Datum* new_row) const override {
    return to_runtime(filter_.check(native(row), new_row ? native(new_row) : nullptr));
  }
  weftkit::StatusOr<weftkit::BatchOutcome> filter_batch(const ArrowSchema& schema, const ArrowArray& batch,
                                                        const ArrowArray* new_batch) const override {
    std::string error;
    std::optional<llvm_backend::BatchOutcome> outcome = filter_.filter_batch(schema, batch, new_batch, error);
    if (!outcome) return weftkit::Status(weftkit::StatusCode::kInvalidArgument, error);
    weftkit::BatchOutcome out;
    out.selection = std::move(outcome->selection);
    for (auto& [row, row_outcome] : outcome->exceptions) out.exceptions.emplace_back(row, to_runtime(row_outcome));
    return out;
  }

 private:
  llvm_backend::StatementFilter filter_;
  size_t column_count_;
};

// A principal as this version resolves it (ResolvedPrincipal::detail), with the compiled plans
// its statements have found.
struct JitPrincipal {
  interp::Principal principal;
  mutable llvm_backend::PrincipalPlanMemo plans;
};

class JitPolicyVersion final : public weftkit::PolicyVersion {
 public:
  JitPolicyVersion(PolicyProgram program, std::string origin, llvm_backend::JitEngine engine,
                   llvm_backend::JitProgram permissions)
      : program_(std::move(program)),
        origin_(std::move(origin)),
        engine_(std::move(engine)),
        permissions_(std::move(permissions)) {}

  std::string describe() const override { return origin_; }

  weftkit::StatusOr<weftkit::ResolvedPrincipal> resolve(const weftkit::Identity& identity) const override {
    std::vector<RoleId> requested;
    for (const std::string& name : identity.roles) {
      std::optional<RoleId> role = program_.find_role(name);
      if (!role) {
        return weftkit::Status(weftkit::StatusCode::kNotFound,
                               "role \"" + name + "\" is not defined by the serving policy version (" + origin_ + ")");
      }
      requested.push_back(*role);
    }
    auto resolved_principal = std::make_shared<JitPrincipal>();
    resolved_principal->principal = interp::resolve_principal(program_, identity.user, requested);
    std::vector<RoleId> held;
    for (const interp::HeldRole& role : resolved_principal->principal.roles) held.push_back(role.role);
    weftkit::ResolvedPrincipal resolved;
    resolved.masks = permissions_.masks_for_roles(held);
    resolved.bypasses_row_security = interp::bypasses_row_security(program_, resolved_principal->principal);
    resolved.detail = resolved_principal;
    return resolved;
  }

  // Every check by name comes here: a precomputed lookup; a text that is not a table name at
  // all reads the trailing all-zero entry, denied.
  uint32_t resource_class(std::string_view table) const override { return resource_names_.classify(table); }

  weftkit::StatusOr<std::unique_ptr<const weftkit::StatementRowFilter>> row_filter(
      const weftkit::ResolvedPrincipal& resolved, const weftkit::Identity& identity, std::string_view table_name,
      const weftkit::StatementShape& shape) const override {
    ParsedResourceName name = parse_resource_name(table_name);
    if (!name.name) {
      return weftkit::Status(weftkit::StatusCode::kInvalidArgument, "bad table name '" + std::string(table_name) + "': it " + name.error);
    }
    const TableDefinition* table = program_.find_table(*name.name);
    if (table == nullptr) {
      return weftkit::Status(weftkit::StatusCode::kNotFound,
                             "table " + name.name->qualified() + " is not declared (CREATE TABLE) in " + origin_ +
                                 ", so its columns and row-level security are unknown");
    }
    const auto& principal = *static_cast<const JitPrincipal*>(resolved.detail.get());
    interp::SessionValues session;
    session.current_user = identity.user;
    session.session_user = identity.user;
    for (const auto& [setting, value] : identity.settings) session.set(setting, value);
    const size_t table_index = static_cast<size_t>(table - program_.tables.data());
    const StatementShape statement_shape{to_statement_command(shape.command), shape.reads_columns, shape.returning};
    if (std::shared_ptr<const llvm_backend::JitPlan> known = principal.plans.find(table_index, statement_shape)) {
      return std::unique_ptr<const weftkit::StatementRowFilter>(
          std::make_unique<RuntimeStatementFilter>(llvm_backend::StatementFilter(known, std::move(session)), *table));
    }

    auto applies = [&](const RowPolicy& policy) { return interp::policy_applies_to(program_, principal.principal, policy); };
    StatementPlan plan = plan_statement(*table, statement_shape, applies, resolved.bypasses_row_security);
    std::string key = llvm_backend::plan_key(table->name.qualified(), plan);
    std::shared_ptr<const llvm_backend::JitPlan> code = plans_.find(key);
    if (!code) {
      // Not among the plans compiled with the version (a principal with a combination of
      // roles roles.yaml does not name): the reference interpreter answers this statement,
      // and the plan is compiled off the readers' path for the next ones.
      compile_later(key, plan, *table);
      interpreted_.fetch_add(1, std::memory_order_relaxed);
      return std::unique_ptr<const weftkit::StatementRowFilter>(std::make_unique<RuntimeStatementFilter>(
          llvm_backend::StatementFilter(std::move(plan), std::move(session), *table), *table));
    }
    principal.plans.remember(table_index, statement_shape, code);
    return std::unique_ptr<const weftkit::StatementRowFilter>(
        std::make_unique<RuntimeStatementFilter>(llvm_backend::StatementFilter(code, std::move(session)), *table));
  }

  // Compiles, before the version serves, the plans of every principal roles.yaml names (each
  // user, each role alone, no role) for every table and statement shape — the same set an
  // ahead-of-time module precompiles — so that statements find their code ready.
  void compile_known_plans(unsigned threads) {
    std::vector<llvm_backend::AotPlan> known = llvm_backend::known_principal_plans(program_);
    std::vector<std::string> keys;
    std::vector<llvm_backend::JitEngine::PlanSource> sources;
    std::set<std::string> seen;
    for (const llvm_backend::AotPlan& candidate : known) {
      const TableDefinition& table = program_.tables[candidate.table];
      std::string key = llvm_backend::plan_key(table.name.qualified(), candidate.plan);
      if (!seen.insert(key).second) continue;
      keys.push_back(std::move(key));
      sources.push_back({&candidate.plan, &table});
    }
    std::vector<Result<std::shared_ptr<const llvm_backend::JitPlan>>> compiled = engine_.compile_plans(
        sources, llvm_backend::JitEngine::PlanCompileOptions{.threads = threads});
    for (size_t index = 0; index < compiled.size(); ++index) {
      if (compiled[index].ok()) plans_.insert(keys[index], compiled[index].value());
    }
  }

  ~JitPolicyVersion() override {
    {
      std::lock_guard<std::mutex> lock(later_.mutex);
      later_.stopping = true;
    }
    later_.wake.notify_all();
    if (later_.worker.joinable()) later_.worker.join();
  }

 private:
  // A plan to compile in the background.
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
      Result<std::shared_ptr<const llvm_backend::JitPlan>> compiled = engine_.compile_plan(next.plan, *next.table);
      // A plan the code generator does not lower stays with the interpreter.
      if (compiled.ok()) plans_.insert(next.key, compiled.value());
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
  mutable Background later_;

 public:

  std::string explain(const weftkit::ResolvedPrincipal& resolved, const weftkit::Identity&, weftkit::Operation op,
                      std::string_view table_name) const override {
    const auto& principal = *static_cast<const JitPrincipal*>(resolved.detail.get());
    return interp::describe_decision(program_, principal.principal, static_cast<policy::Operation>(op), table_name);
  }

  weftkit::RowFilterCounts row_filter_counts() const override {
    return {plans_.size(), interpreted_.load(std::memory_order_relaxed)};
  }

 private:
  PolicyProgram program_;
  ResourceClassIndex resource_names_{program_};  // after program_, which it is built from
  std::string origin_;
  mutable llvm_backend::JitEngine engine_;
  llvm_backend::JitProgram permissions_;
  mutable llvm_backend::PlanCache plans_;
  mutable std::atomic<uint64_t> interpreted_{0};
};

}  // namespace

StatusOr<std::shared_ptr<const PolicyVersion>> make_jit_policy_version(PolicyProgram program, std::string origin,
                                                                       llvm_backend::JitEngine engine,
                                                                       unsigned plan_threads) {
  Result<llvm_backend::JitProgram> permissions = engine.compile(program);
  if (!permissions.ok()) {
    std::string message = "internal error: compiling the permission check failed:";
    for (const Diagnostic& diagnostic : permissions.diagnostics().all()) message += " " + diagnostic.message;
    return weftkit::Status(weftkit::StatusCode::kInternal, message);
  }
  auto version = std::make_shared<JitPolicyVersion>(std::move(program), std::move(origin), std::move(engine),
                                                    std::move(permissions).value());
  version->compile_known_plans(plan_threads);
  return std::shared_ptr<const PolicyVersion>(std::move(version));
}

}  // namespace weftkit::policy::module
