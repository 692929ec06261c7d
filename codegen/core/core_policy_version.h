// The runtime's PolicyVersion over the policy-version core: what the JIT-backed version and
// the interpreted version share. A version says only how a principal's permission masks are
// computed (the JIT's generated function, or the reference evaluator) and where its compiled
// plans come from (PlanSource); resolution, names, row filters, explanations and counts are
// the core's.
#pragma once

#include <memory>
#include <vector>

#include "codegen/core/policy_version_core.h"
#include <weftkit/policy_version.h>

namespace weftkit::policy::core {

class CorePolicyVersion : public weftkit::PolicyVersion {
 public:
  explicit CorePolicyVersion(std::unique_ptr<const PolicyVersionCore> core) : core_(std::move(core)) {}

  std::string describe() const override { return core_->origin(); }
  weftkit::StatusOr<weftkit::ResolvedPrincipal> resolve(const weftkit::Identity& identity) const override;
  uint32_t resource_class(std::string_view table) const override { return core_->resource_class(table); }
  weftkit::StatusOr<std::unique_ptr<const weftkit::StatementRowFilter>> row_filter(
      const weftkit::ResolvedPrincipal& principal, const weftkit::Identity& identity, std::string_view table,
      const weftkit::StatementShape& shape) const override;
  std::string explain(const weftkit::ResolvedPrincipal& principal, const weftkit::Identity& identity,
                      weftkit::Operation op, std::string_view table) const override;
  std::optional<std::string> denied_by(const weftkit::ResolvedPrincipal& principal, weftkit::Operation op,
                                       std::string_view table) const override;
  weftkit::RowFilterCounts row_filter_counts() const override {
    return {plans().native_plan_count(), core_->interpreted_filter_count()};
  }

  std::optional<weftkit::DirectoryUser> find_user(std::string_view user) const override;
  bool role_exists(std::string_view role) const override { return core_->program().find_role(role).has_value(); }

  const PolicyVersionCore& core() const { return *core_; }

 protected:
  // class_count masks, one per resource class (the trailing always-denied entry is added).
  virtual std::vector<uint64_t> masks_for(const CorePrincipal& principal) const = 0;
  virtual const PlanSource& plans() const = 0;

 private:
  std::unique_ptr<const PolicyVersionCore> core_;
};

// A source without compiled plans: every statement is interpreted.
class NoCompiledPlans final : public PlanSource {
 public:
  std::shared_ptr<const native::CompiledPlan> find(const std::string&) const override { return nullptr; }
  void missing(const std::string&, const StatementPlan&, const TableDefinition&) const override {}
  uint64_t native_plan_count() const override { return 0; }
};

// A version answered by the reference evaluator alone (permissions and row filters), for
// `weftkit-policyc eval --engine=interp` and tests: the same core as every other version.
std::shared_ptr<const weftkit::PolicyVersion> make_interpreted_policy_version(PolicyProgram program, std::string origin);

}  // namespace weftkit::policy::core
