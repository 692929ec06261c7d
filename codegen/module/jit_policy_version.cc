// The in-process policy version: RBAC from the JIT permission module, row filters from
// JIT-compiled plans (the reference interpreter for the rare plan the JIT does not compile).
#include "codegen/module/jit_policy_version.h"

#include <atomic>
#include <cstddef>
#include <cstring>
#include <map>

#include "codegen/interp/permission_check.h"
#include "codegen/interp/principal.h"
#include "codegen/llvm/arrow_columns.h"
#include "codegen/llvm/jit_row_filter.h"

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

// Rows through JIT code.
class JitStatementFilter final : public weftkit::StatementRowFilter {
 public:
  JitStatementFilter(std::shared_ptr<const llvm_backend::JitPlan> code, interp::SessionValues session)
      : filter_(std::move(code), std::move(session)) {}
  weftkit::RowOutcome check(const weftkit::Datum* row, const weftkit::Datum* new_row) const override {
    return to_runtime(filter_.check_datums(native(row), new_row ? native(new_row) : nullptr));
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
  llvm_backend::JitRowFilter filter_;
};

// Datums back to Values, for the interpreter.
std::vector<Value> to_values(const weftkit::Datum* row, const TableDefinition& table) {
  std::vector<Value> values;
  for (size_t index = 0; index < table.columns.size(); ++index) {
    const weftkit::Datum& datum = row[index];
    TypeId type = table.columns[index].type.id;
    if (datum.is_null) {
      values.push_back(Value::null_of(type));
      continue;
    }
    switch (type) {
      case TypeId::kFloat8: {
        double real;
        std::memcpy(&real, &datum.bits, sizeof real);
        values.push_back(Value::real_of(type, real));
        break;
      }
      case TypeId::kFloat4: {
        float single;
        uint32_t low = static_cast<uint32_t>(datum.bits);
        std::memcpy(&single, &low, sizeof single);
        values.push_back(Value::real_of(type, single));
        break;
      }
      case TypeId::kText: values.push_back(Value::text_of(std::string(datum.data, static_cast<size_t>(datum.length)))); break;
      case TypeId::kBool: values.push_back(Value::boolean(datum.bits != 0)); break;
      default: values.push_back(Value::integer_of(type, datum.bits)); break;
    }
  }
  return values;
}

// The reference interpreter, for plans the JIT does not compile (row at a time only).
class InterpretedStatementFilter final : public weftkit::StatementRowFilter {
 public:
  InterpretedStatementFilter(StatementPlan plan, interp::SessionValues session, const TableDefinition& table)
      : filter_(std::move(plan), std::move(session)), table_(table) {}  // the table copied: a filter may outlive its version
  weftkit::RowOutcome check(const weftkit::Datum* row, const weftkit::Datum* new_row) const override {
    std::vector<Value> old_values = to_values(row, table_);
    if (new_row == nullptr) return to_runtime(filter_.check(old_values));
    std::vector<Value> new_values = to_values(new_row, table_);
    return to_runtime(filter_.check(old_values, &new_values));
  }
  weftkit::StatusOr<weftkit::BatchOutcome> filter_batch(const ArrowSchema& schema, const ArrowArray& batch,
                                                        const ArrowArray* new_batch) const override {
    std::string error;
    std::optional<llvm_backend::NormalizedBatch> rows = llvm_backend::NormalizedBatch::from_arrow(schema, batch, table_, error);
    std::optional<llvm_backend::NormalizedBatch> new_rows;
    if (rows && new_batch) new_rows = llvm_backend::NormalizedBatch::from_arrow(schema, *new_batch, table_, error);
    if (!rows || (new_batch && !new_rows)) return weftkit::Status(weftkit::StatusCode::kInvalidArgument, error);
    weftkit::BatchOutcome out;
    out.selection.assign(static_cast<size_t>((rows->length() + 63) / 64), 0);
    std::vector<llvm_backend::NativeDatum> old_datums;
    std::vector<llvm_backend::NativeDatum> new_datums;
    for (int64_t row = 0; row < rows->length(); ++row) {
      rows->read_row(row, old_datums);
      if (new_rows) new_rows->read_row(row, new_datums);
      weftkit::RowOutcome outcome = check(reinterpret_cast<const weftkit::Datum*>(old_datums.data()),
                                          new_rows ? reinterpret_cast<const weftkit::Datum*>(new_datums.data()) : nullptr);
      if (outcome.result == weftkit::RowResult::kPass) {
        out.selection[static_cast<size_t>(row / 64)] |= uint64_t{1} << (row % 64);
      } else if (outcome.result != weftkit::RowResult::kFiltered) {
        out.exceptions.emplace_back(row, std::move(outcome));
      }
    }
    return out;
  }

 private:
  interp::RowFilter filter_;
  TableDefinition table_;
};

// Compiled plans by their printed form: a copy-on-write map, so that lookups take no lock and
// a miss compiles outside any lock (two threads missing together both compile; one wins).
class PlanCache {
 public:
  std::shared_ptr<const llvm_backend::JitPlan> find(const std::string& key) const {
    std::shared_ptr<const Map> map = map_.load(std::memory_order_acquire);
    auto found = map->find(key);
    return found == map->end() ? nullptr : found->second;
  }
  void insert(const std::string& key, std::shared_ptr<const llvm_backend::JitPlan> plan) const {
    std::shared_ptr<const Map> current = map_.load(std::memory_order_acquire);
    for (;;) {
      auto next = std::make_shared<Map>(*current);
      next->emplace(key, plan);
      if (map_.compare_exchange_weak(current, std::shared_ptr<const Map>(std::move(next)), std::memory_order_acq_rel)) return;
    }
  }

 private:
  using Map = std::map<std::string, std::shared_ptr<const llvm_backend::JitPlan>>;
  mutable std::atomic<std::shared_ptr<const Map>> map_{std::make_shared<const Map>()};
};

std::string plan_key(const std::string& table, const StatementPlan& plan) {
  std::string key = table + "|" + (plan.filtered_by_row_security ? "rls" : "open");
  if (plan.plan_error) key += "|error " + *plan.plan_error;
  for (const Expr& probe : plan.estimation_probes) key += "|probe " + describe_expr(probe);
  for (const Expr& filter : plan.row_filters) key += "|filter " + describe_expr(filter);
  for (const NewRowCheck& check : plan.new_row_checks) {
    key += "|check " + check.violation_message;
    for (const Expr& condition : check.conditions) key += " " + describe_expr(condition);
  }
  return key;
}

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
    auto principal = std::make_shared<interp::Principal>(interp::resolve_principal(program_, identity.user, requested));
    std::vector<RoleId> held;
    for (const interp::HeldRole& role : principal->roles) held.push_back(role.role);
    weftkit::ResolvedPrincipal resolved;
    resolved.masks = permissions_.masks_for_roles(held);
    resolved.bypasses_row_security = interp::bypasses_row_security(program_, *principal);
    resolved.detail = principal;
    return resolved;
  }

  uint32_t resource_class(std::string_view table) const override {
    ParsedResourceName name = parse_resource_name(table);
    // A name that is not a table name at all reads the trailing all-zero entry: denied.
    if (!name.name) return program_.permissions.class_count;
    return program_.resource_classes.classify(*name.name);
  }

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
    const auto& principal = *static_cast<const interp::Principal*>(resolved.detail.get());
    auto applies = [&](const RowPolicy& policy) { return interp::policy_applies_to(program_, principal, policy); };
    StatementPlan plan = plan_statement(*table, {to_statement_command(shape.command), shape.reads_columns, shape.returning},
                                        applies, resolved.bypasses_row_security);
    interp::SessionValues session;
    session.current_user = identity.user;
    session.session_user = identity.user;
    for (const auto& [setting, value] : identity.settings) session.set(setting, value);

    std::string key = plan_key(table->name.qualified(), plan);
    std::shared_ptr<const llvm_backend::JitPlan> code = plans_.find(key);
    if (!code) {
      Result<std::shared_ptr<const llvm_backend::JitPlan>> compiled = engine_.compile_plan(plan, *table);
      if (!compiled.ok()) {
        // A construct the code generator does not lower: the reference interpreter answers.
        return std::unique_ptr<const weftkit::StatementRowFilter>(
            std::make_unique<InterpretedStatementFilter>(std::move(plan), std::move(session), *table));
      }
      code = compiled.value();
      plans_.insert(key, code);
    }
    return std::unique_ptr<const weftkit::StatementRowFilter>(std::make_unique<JitStatementFilter>(code, std::move(session)));
  }

  std::string explain(const weftkit::ResolvedPrincipal& resolved, const weftkit::Identity&, weftkit::Operation op,
                      std::string_view table_name) const override {
    const auto& principal = *static_cast<const interp::Principal*>(resolved.detail.get());
    ParsedResourceName name = parse_resource_name(table_name);
    policy::Operation operation = static_cast<policy::Operation>(op);
    std::string what = std::string(operation_name(operation)) + " on " + std::string(table_name);
    if (!name.name) return "DENY " + what + ": not a table name (it " + name.error + ")";
    interp::Decision decision = interp::explain(program_, principal, operation, *name.name);
    std::string out = std::string(decision.allowed ? "ALLOW " : "DENY ") + std::string(operation_name(operation)) + " on " +
                      decision.resource.qualified() + " for " + principal.user;
    const std::vector<interp::DecisionReason>& reasons = decision.denies.empty() ? decision.allows : decision.denies;
    if (reasons.empty()) return out + ": no held role allows it (denied by default)";
    for (const interp::DecisionReason& reason : reasons) {
      out += "; " + std::string(reason.rule->effect == Effect::kAllow ? "allowed" : "denied") + " by role " +
             program_.roles[reason.role].name + " at " + reason.rule->where.to_string();
    }
    return out;
  }

 private:
  PolicyProgram program_;
  std::string origin_;
  mutable llvm_backend::JitEngine engine_;
  llvm_backend::JitProgram permissions_;
  PlanCache plans_;
};

}  // namespace

StatusOr<std::shared_ptr<const PolicyVersion>> make_jit_policy_version(PolicyProgram program, std::string origin,
                                                                       llvm_backend::JitEngine engine) {
  Result<llvm_backend::JitProgram> permissions = engine.compile(program);
  if (!permissions.ok()) {
    std::string message = "internal error: compiling the permission check failed:";
    for (const Diagnostic& diagnostic : permissions.diagnostics().all()) message += " " + diagnostic.message;
    return weftkit::Status(weftkit::StatusCode::kInternal, message);
  }
  return std::shared_ptr<const PolicyVersion>(std::make_shared<JitPolicyVersion>(
      std::move(program), std::move(origin), std::move(engine), std::move(permissions).value()));
}

}  // namespace weftkit::policy::module
