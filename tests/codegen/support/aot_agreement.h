// Runs what the reference evaluator answered through ahead-of-time code as well. The
// statement's plan goes through the emitter behind `weftkit-policyc compile --emit=so`
// (emit_aot_module: an object for this machine, position-independent) into a module whose one
// precompiled plan it is, linked by the same command (aot::link_policy_module), loaded by the
// runtime's own loader (load_policy_module), and asked through the runtime's row filter for the
// row (check) and for a batch of copies of it (filter_batch). There is no skipping: a plan the
// emitter refuses, a module that does not build or load, or one that answers the statement
// with its interpreter instead of the precompiled plan (row_filter_counts) is reported as a
// disagreement.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "codegen/interp/row_filter.h"
#include "compiler/ir/policy_program.h"
#include "compiler/ir/statement_plan.h"
#include <weftkit/policy_version.h>

namespace weftkit::policy::testing {

// Who runs the statement, as a module is told: the user, roles requested on top of its
// roles.yaml entry, and session settings (current_user is the user).
struct StatementSubject {
  std::string user;
  std::vector<std::string> requested_roles;
  std::vector<std::pair<std::string, std::string>> settings;
};

class AotAgreement {
 public:
  // `plan` is what the reference evaluator runs for `subject`'s `shape` statement on
  // program.tables[table]; the module must plan the same (it does, unless planning differs
  // between the two, which is what the interpreter check catches).
  AotAgreement(const PolicyProgram& program, size_t table, const StatementShape& shape, const StatementSubject& subject,
               const StatementPlan& plan);
  AotAgreement(const AotAgreement&) = delete;
  AotAgreement& operator=(const AotAgreement&) = delete;
  ~AotAgreement();

  // Empty when the module's code gives `expected` for the row, one at a time and in a batch;
  // else what it gave, or why there is no ahead-of-time code to ask.
  std::string disagreement(const interp::RowOutcome& expected, const std::vector<Value>& row,
                           const std::vector<Value>* new_row) const;

 private:
  std::string unavailable_because_;
  std::unique_ptr<const weftkit::StatementRowFilter> filter_;  // holds its module loaded
  TableDefinition table_;
};

}  // namespace weftkit::policy::testing
