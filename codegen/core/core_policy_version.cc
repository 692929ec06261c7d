// The runtime's PolicyVersion over the core (see core_policy_version.h).
#include "codegen/core/core_policy_version.h"

#include <cstddef>

#include "codegen/semantics/permission_check.h"
#include "compiler/ir/resource_pattern.h"

namespace weftkit::policy::core {
namespace {

static_assert(sizeof(weftkit::Datum) == sizeof(native::NativeDatum));
static_assert(offsetof(weftkit::Datum, bits) == offsetof(native::NativeDatum, bits));
static_assert(offsetof(weftkit::Datum, data) == offsetof(native::NativeDatum, data));
static_assert(offsetof(weftkit::Datum, length) == offsetof(native::NativeDatum, length));
static_assert(offsetof(weftkit::Datum, is_null) == offsetof(native::NativeDatum, is_null));
static_assert(offsetof(weftkit::Datum, is_error) == offsetof(native::NativeDatum, is_error));
static_assert(static_cast<int>(weftkit::Operation::kExecute) == static_cast<int>(policy::Operation::kExecute));
static_assert(static_cast<int>(weftkit::RowResult::kPass) == static_cast<int>(interp::RowResult::kPass));
static_assert(static_cast<int>(weftkit::RowResult::kFiltered) == static_cast<int>(interp::RowResult::kFiltered));
static_assert(static_cast<int>(weftkit::RowResult::kViolation) == static_cast<int>(interp::RowResult::kViolation));
static_assert(static_cast<int>(weftkit::RowResult::kError) == static_cast<int>(interp::RowResult::kError));

const native::NativeDatum* native(const weftkit::Datum* row) {
  return reinterpret_cast<const native::NativeDatum*>(row);
}

weftkit::RowOutcome to_runtime(const interp::RowOutcome& outcome) {
  return {static_cast<weftkit::RowResult>(outcome.result), outcome.message};
}

// A statement filter (compiled or interpreted) behind the runtime's interface.
class RuntimeStatementFilter final : public weftkit::StatementRowFilter {
 public:
  RuntimeStatementFilter(native::StatementFilter filter, size_t column_count)
      : filter_(std::move(filter)), column_count_(column_count) {}
  size_t column_count() const override { return column_count_; }
  weftkit::RowOutcome check(const weftkit::Datum* row, const weftkit::Datum* new_row) const override {
    // Most rows pass or are filtered: they need no message, so the result alone answers them.
    weftkit::RowResult answer = result(row, new_row);
    if (answer == weftkit::RowResult::kPass || answer == weftkit::RowResult::kFiltered) return {answer, {}};
    return to_runtime(filter_.check(native(row), new_row ? native(new_row) : nullptr));
  }
  weftkit::RowResult result(const weftkit::Datum* row, const weftkit::Datum* new_row) const override {
    return static_cast<weftkit::RowResult>(filter_.result(native(row), new_row ? native(new_row) : nullptr));
  }
  weftkit::StatusOr<weftkit::BatchOutcome> filter_batch(const ArrowSchema& schema, const ArrowArray& batch,
                                                        const ArrowArray* new_batch) const override {
    std::string error;
    std::optional<native::BatchOutcome> outcome = filter_.filter_batch(schema, batch, new_batch, error);
    if (!outcome) return weftkit::Status(weftkit::StatusCode::kInvalidArgument, error);
    weftkit::BatchOutcome out;
    out.selection = std::move(outcome->selection);
    for (auto& [row, row_outcome] : outcome->exceptions) out.exceptions.emplace_back(row, to_runtime(row_outcome));
    return out;
  }

 private:
  native::StatementFilter filter_;
  size_t column_count_;
};

class InterpretedPolicyVersion final : public CorePolicyVersion {
 public:
  using CorePolicyVersion::CorePolicyVersion;

 protected:
  std::vector<uint64_t> masks_for(const CorePrincipal& principal) const override {
    return semantics::effective_masks(core().program(), principal.principal);
  }
  const PlanSource& plans() const override { return none_; }

 private:
  NoCompiledPlans none_;
};

}  // namespace

weftkit::StatusOr<weftkit::ResolvedPrincipal> CorePolicyVersion::resolve(const weftkit::Identity& identity) const {
  weftkit::StatusOr<std::shared_ptr<const CorePrincipal>> principal = core_->resolve(identity);
  if (!principal.is_ok()) return principal.status();
  weftkit::ResolvedPrincipal resolved;
  resolved.masks = masks_for(*principal.value());
  // Exactly one mask per class, then the always-denied entry, whatever masks_for returned.
  resolved.masks.resize(core_->program().permissions.class_count);
  resolved.masks.push_back(0);
  resolved.bypasses_row_security = principal.value()->bypasses_row_security;
  resolved.detail = std::move(principal).value();
  return resolved;
}

weftkit::StatusOr<std::unique_ptr<const weftkit::StatementRowFilter>> CorePolicyVersion::row_filter(
    const weftkit::ResolvedPrincipal& principal, const weftkit::Identity& identity, std::string_view table,
    const weftkit::StatementShape& shape) const {
  const auto& resolved = *static_cast<const CorePrincipal*>(principal.detail.get());
  const policy::StatementShape statement_shape{statement_command(shape.command), shape.reads_columns, shape.returning};
  weftkit::StatusOr<PolicyVersionCore::RowFilter> filter = core_->row_filter(resolved, identity, table, statement_shape, plans());
  if (!filter.is_ok()) return filter.status();
  return std::unique_ptr<const weftkit::StatementRowFilter>(
      std::make_unique<RuntimeStatementFilter>(std::move(filter.value().filter), filter.value().column_count));
}

std::optional<weftkit::DirectoryUser> CorePolicyVersion::find_user(std::string_view user) const {
  return core_->directory_user(user);
}

std::string CorePolicyVersion::explain(const weftkit::ResolvedPrincipal& principal, const weftkit::Identity&,
                                       weftkit::Operation op, std::string_view table) const {
  return core_->explain(*static_cast<const CorePrincipal*>(principal.detail.get()), static_cast<policy::Operation>(op),
                        table);
}

std::optional<std::string> CorePolicyVersion::denied_by(const weftkit::ResolvedPrincipal& principal,
                                                        weftkit::Operation op, std::string_view table) const {
  ParsedResourceName name = parse_resource_name(table);
  if (!name.name || !principal.detail) return std::nullopt;
  const auto& resolved = *static_cast<const CorePrincipal*>(principal.detail.get());
  semantics::Decision decision =
      semantics::explain(core_->program(), resolved.principal, static_cast<policy::Operation>(op), *name.name);
  // Only an explicit DENY rule has a position; a denial by default was decided by no line.
  if (decision.allowed || decision.denies.empty()) return std::nullopt;
  return decision.denies.front().rule->where.to_string();
}

std::shared_ptr<const weftkit::PolicyVersion> make_interpreted_policy_version(PolicyProgram program, std::string origin) {
  return std::make_shared<InterpretedPolicyVersion>(
      std::make_unique<const PolicyVersionCore>(std::move(program), std::move(origin)));
}

}  // namespace weftkit::policy::core
