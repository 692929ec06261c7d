// The reference row filter, from policy text to per-row outcomes: compile_sources, then
// plan_statement, then interp::RowFilter. Expected outcomes and messages are PostgreSQL 15's
// (its documentation's "Policies Applied by Command Type" table, checked against the server).
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "codegen/semantics/principal.h"
#include "codegen/interp/row_filter.h"
#include "compiler/driver/compile_files.h"
#include "compiler/ir/statement_plan.h"
#include "tests/codegen/support/aot_agreement.h"
#include "tests/codegen/support/jit_agreement.h"

namespace weftkit::policy::interp {
namespace {

const std::string kTable = "CREATE TABLE t (id integer, owner text, v integer);\n";
const std::string kEnable = "ALTER TABLE t ENABLE ROW LEVEL SECURITY;\n";

const std::string kRoles =
    "roles:\n"
    "  - name: analyst\n"
    "    allow: [SELECT]\n"
    "  - name: manager\n"
    "    inherits: [analyst]\n"
    "  - name: admin\n"
    "    inherits: [superuser]\n"
    "users:\n"
    "  - name: alice\n"
    "    roles: [analyst]\n"
    "  - name: carol\n"
    "    roles: [manager]\n"
    "  - name: root\n"
    "    roles: [admin]\n"
    "  - name: bob\n"
    "    roles: []\n";

const StatementShape kSelect{StatementCommand::kSelect, true, false};
const StatementShape kInsert{StatementCommand::kInsert, false, false};
const StatementShape kInsertReturning{StatementCommand::kInsert, false, true};
const StatementShape kUpdateReading{StatementCommand::kUpdate, true, false};
const StatementShape kUpdateNotReading{StatementCommand::kUpdate, false, false};
const StatementShape kUpdateNotReadingReturning{StatementCommand::kUpdate, false, true};
const StatementShape kDeleteReading{StatementCommand::kDelete, true, false};
const StatementShape kDeleteNotReading{StatementCommand::kDelete, false, false};

std::vector<Value> row(std::optional<int> v, std::optional<std::string> owner = "alice") {
  return {Value::integer_of(TypeId::kInt4, 1), owner ? Value::text_of(*owner) : Value::null_of(TypeId::kText),
          v ? Value::integer_of(TypeId::kInt4, *v) : Value::null_of(TypeId::kInt4)};
}

// What a statement by `user` (holding its roles.yaml roles plus `extra_roles`) sees.
class Statement {
 public:
  Statement(const std::string& policies, const StatementShape& shape, const std::string& user = "alice",
            const std::vector<std::pair<std::string, std::string>>& settings = {},
            const std::vector<std::string>& extra_roles = {}) {
    SourceTexts sources;
    Result<PolicyProgram> compiled =
        compile_sources({SourceInput{"roles.yaml", kRoles}, SourceInput{"policies.sql", kTable + policies}}, sources);
    if (!compiled.ok()) {
      ADD_FAILURE() << render_diagnostics(compiled.diagnostics(), sources);
      return;
    }
    program_ = compiled.value();
    std::vector<RoleId> requested;
    for (const std::string& name : extra_roles) requested.push_back(*program_.find_role(name));
    semantics::Principal principal = semantics::resolve_principal(program_, user, requested);
    bool bypass = semantics::bypasses_row_security(program_, principal);
    auto applies = [&](const RowPolicy& policy) { return semantics::policy_applies_to(program_, principal, policy); };
    semantics::SessionValues session;
    session.current_user = user;
    session.session_user = user;
    for (const auto& [name, value] : settings) session.set(name, value);
    StatementPlan plan = plan_statement(program_.tables[0], shape, applies, bypass);
    jit_.emplace(plan, program_.tables[0], session);
    // Every plan of these tests is made of constructs the JIT lowers: one it refused would
    // otherwise skip the comparison silently.
    if (!jit_->not_compiled_because().empty()) ADD_FAILURE() << "JIT refused the plan: " << jit_->not_compiled_because();
    aot_.emplace(program_, 0, shape, testing::StatementSubject{user, extra_roles, settings}, plan);
    filter_.emplace(std::move(plan), session);
  }

  // "pass", "filtered", "violation: <message>" or "error: <message>".
  std::string on(const std::vector<Value>& existing_or_new, const std::vector<Value>* new_row = nullptr) const {
    if (!filter_) return "not compiled";
    RowOutcome outcome = filter_->check(existing_or_new, new_row);
    // Every answer of the reference evaluator is also the JIT's and an ahead-of-time module's
    // (row and batch code).
    std::string disagreement = jit_->disagreement(outcome, existing_or_new, new_row);
    if (!disagreement.empty()) ADD_FAILURE() << "reference: " << testing::describe_outcome(outcome) << "; " << disagreement;
    disagreement = aot_->disagreement(outcome, existing_or_new, new_row);
    if (!disagreement.empty()) ADD_FAILURE() << "reference: " << testing::describe_outcome(outcome) << "; " << disagreement;
    return testing::describe_outcome(outcome);
  }
  std::string on_update(const std::vector<Value>& old_row, const std::vector<Value>& new_row) const {
    return on(old_row, &new_row);
  }

 private:
  PolicyProgram program_;
  std::optional<RowFilter> filter_;
  std::optional<testing::JitAgreement> jit_;
  std::optional<testing::AotAgreement> aot_;
};

const std::string kViolation = "violation: new row violates row-level security policy for table \"t\"";

// ---- three-valued logic: NULL never passes

TEST(RowFilterNulls, NullEqualsNullIsNotTrue) {
  Statement select(kEnable + "CREATE POLICY p ON t USING (owner = NULL OR v = v);\n", kSelect);
  EXPECT_EQ(select.on(row(std::nullopt, std::nullopt)), "filtered");
  EXPECT_EQ(select.on(row(1, std::nullopt)), "pass");
}

TEST(RowFilterNulls, NotInAListWithNullIsNeverTrue) {
  Statement select(kEnable + "CREATE POLICY p ON t USING (v NOT IN (1, NULL));\n", kSelect);
  EXPECT_EQ(select.on(row(2)), "filtered");
  EXPECT_EQ(select.on(row(1)), "filtered");
}

TEST(RowFilterNulls, NullAndFalseIsFalse) {
  // NOT (NULL AND FALSE) is TRUE; NOT (NULL AND TRUE) is NULL.
  Statement select(kEnable + "CREATE POLICY p ON t USING (NOT (owner = 'x' AND v = 1));\n", kSelect);
  EXPECT_EQ(select.on(row(2, std::nullopt)), "pass");
  EXPECT_EQ(select.on(row(1, std::nullopt)), "filtered");
}

TEST(RowFilterNulls, NullCheckIsAViolation) {
  Statement insert(kEnable + "CREATE POLICY p ON t WITH CHECK (v > 0);\n", kInsert);
  EXPECT_EQ(insert.on(row(std::nullopt)), kViolation);
  EXPECT_EQ(insert.on(row(1)), "pass");
}

// ---- enabling, default deny, bypass

TEST(RowFilterEnabling, EnabledWithoutPoliciesDeniesEverything) {
  EXPECT_EQ(Statement(kEnable, kSelect).on(row(1)), "filtered");
  EXPECT_EQ(Statement(kEnable, kInsert).on(row(1)), kViolation);
  EXPECT_EQ(Statement(kEnable, kUpdateReading).on_update(row(1), row(2)), "filtered");
  EXPECT_EQ(Statement(kEnable, kDeleteNotReading).on(row(1)), "filtered");
}

TEST(RowFilterEnabling, DisabledMeansNoFilteringWhateverThePolicies) {
  const std::string policies = "CREATE POLICY p ON t USING (false) WITH CHECK (false);\n";
  EXPECT_EQ(Statement(policies, kSelect).on(row(1)), "pass");
  EXPECT_EQ(Statement(policies, kInsert).on(row(1)), "pass");
  EXPECT_EQ(Statement(kEnable + policies + "ALTER TABLE t DISABLE ROW LEVEL SECURITY;\n", kSelect).on(row(1)), "pass");
}

TEST(RowFilterEnabling, ForceChangesNothingForPrincipalsWhoAreNeverOwners) {
  Statement select(kEnable + "ALTER TABLE t FORCE ROW LEVEL SECURITY;\nCREATE POLICY p ON t USING (v = 1);\n", kSelect);
  EXPECT_EQ(select.on(row(1)), "pass");
  EXPECT_EQ(select.on(row(2)), "filtered");
}

TEST(RowFilterEnabling, BypassRlsRolesAreNotFiltered) {
  const std::string policies = kEnable + "CREATE POLICY p ON t USING (false) WITH CHECK (false);\n";
  EXPECT_EQ(Statement(policies, kSelect, "root").on(row(1)), "pass");  // admin inherits superuser
  EXPECT_EQ(Statement(policies, kInsert, "root").on(row(1)), "pass");
  EXPECT_EQ(Statement(policies, kSelect, "bob", {}, {"superuser"}).on(row(1)), "pass");
  EXPECT_EQ(Statement(policies, kSelect, "bob").on(row(1)), "filtered");
}

// ---- combining policies

TEST(RowFilterCombine, PermissivePoliciesAreOred) {
  Statement select(kEnable + "CREATE POLICY a ON t USING (v = 1);\nCREATE POLICY b ON t USING (v = 2);\n", kSelect);
  EXPECT_EQ(select.on(row(1)), "pass");
  EXPECT_EQ(select.on(row(2)), "pass");
  EXPECT_EQ(select.on(row(3)), "filtered");
}

TEST(RowFilterCombine, RestrictivePoliciesAreAndedWithThePermissiveOnes) {
  Statement select(kEnable +
                       "CREATE POLICY a ON t USING (v < 10);\n"
                       "CREATE POLICY r ON t AS RESTRICTIVE USING (owner = current_user);\n"
                       "CREATE POLICY s ON t AS RESTRICTIVE USING (v <> 5);\n",
                   kSelect);
  EXPECT_EQ(select.on(row(1, "alice")), "pass");
  EXPECT_EQ(select.on(row(1, "bob")), "filtered");
  EXPECT_EQ(select.on(row(5, "alice")), "filtered");
  EXPECT_EQ(select.on(row(10, "alice")), "filtered");
}

TEST(RowFilterCombine, RestrictiveWithoutPermissiveDeniesAll) {
  Statement select(kEnable + "CREATE POLICY r ON t AS RESTRICTIVE USING (true);\n", kSelect);
  EXPECT_EQ(select.on(row(1)), "filtered");
  Statement insert(kEnable + "CREATE POLICY r ON t AS RESTRICTIVE WITH CHECK (true);\n", kInsert);
  EXPECT_EQ(insert.on(row(1)), kViolation);
}

TEST(RowFilterCombine, PoliciesForOtherCommandsDoNotApply) {
  Statement select(kEnable + "CREATE POLICY p ON t FOR INSERT WITH CHECK (true);\n", kSelect);
  EXPECT_EQ(select.on(row(1)), "filtered");
}

TEST(RowFilterCombine, MissingWithCheckFallsBackToUsing) {
  Statement insert(kEnable + "CREATE POLICY p ON t USING (v = 1);\n", kInsert);
  EXPECT_EQ(insert.on(row(1)), "pass");
  EXPECT_EQ(insert.on(row(2)), kViolation);
}

TEST(RowFilterCombine, RestrictiveViolationNamesThePolicy) {
  Statement insert(kEnable +
                       "CREATE POLICY p ON t WITH CHECK (true);\n"
                       "CREATE POLICY r ON t AS RESTRICTIVE FOR INSERT WITH CHECK (v < 100);\n",
                   kInsert);
  EXPECT_EQ(insert.on(row(99)), "pass");
  EXPECT_EQ(insert.on(row(100)), "violation: new row violates row-level security policy \"r\" for table \"t\"");
}

TEST(RowFilterCombine, PermissiveFailureIsReportedBeforeARestrictiveOne) {
  Statement insert(kEnable +
                       "CREATE POLICY p ON t WITH CHECK (v > 0);\n"
                       "CREATE POLICY r ON t AS RESTRICTIVE WITH CHECK (v < 100);\n",
                   kInsert);
  EXPECT_EQ(insert.on(row(-1)), kViolation);
  EXPECT_EQ(insert.on(row(100)), "violation: new row violates row-level security policy \"r\" for table \"t\"");
}

// ---- "Policies Applied by Command Type": one policy per command, each rejecting one value of v,
// so the value that is rejected tells which policy's expression was applied to which row.

const std::string kPerCommand = kEnable +
                                "CREATE POLICY sel ON t FOR SELECT USING (v <> 1);\n"
                                "CREATE POLICY ins ON t FOR INSERT WITH CHECK (v <> 2);\n"
                                "CREATE POLICY upd ON t FOR UPDATE USING (v <> 3) WITH CHECK (v <> 4);\n"
                                "CREATE POLICY del ON t FOR DELETE USING (v <> 5);\n";

TEST(CommandTable, SelectAppliesSelectUsingToExistingRows) {
  Statement select(kPerCommand, kSelect);
  EXPECT_EQ(select.on(row(1)), "filtered");
  for (int v : {2, 3, 4, 5}) EXPECT_EQ(select.on(row(v)), "pass") << v;
}

TEST(CommandTable, InsertAppliesInsertWithCheckToNewRows) {
  Statement insert(kPerCommand, kInsert);
  EXPECT_EQ(insert.on(row(2)), kViolation);
  for (int v : {1, 3, 4, 5}) EXPECT_EQ(insert.on(row(v)), "pass") << v;
}

TEST(CommandTable, InsertReturningAlsoAppliesSelectUsingToNewRows) {
  Statement insert(kPerCommand, kInsertReturning);
  EXPECT_EQ(insert.on(row(1)), kViolation);
  EXPECT_EQ(insert.on(row(2)), kViolation);
  for (int v : {3, 4, 5}) EXPECT_EQ(insert.on(row(v)), "pass") << v;
}

TEST(CommandTable, UpdateThatReadsAppliesSelectToExistingAndNewRows) {
  Statement update(kPerCommand, kUpdateReading);
  EXPECT_EQ(update.on_update(row(1), row(0)), "filtered");  // SELECT USING, existing row
  EXPECT_EQ(update.on_update(row(3), row(0)), "filtered");  // UPDATE USING, existing row
  EXPECT_EQ(update.on_update(row(0), row(4)), kViolation);  // UPDATE WITH CHECK, new row
  EXPECT_EQ(update.on_update(row(0), row(1)), kViolation);  // SELECT USING, new row
  EXPECT_EQ(update.on_update(row(0), row(3)), "pass");      // UPDATE USING is not applied to the new row
  EXPECT_EQ(update.on_update(row(2), row(5)), "pass");
}

TEST(CommandTable, UpdateThatDoesNotReadIgnoresSelectPolicies) {
  Statement update(kPerCommand, kUpdateNotReading);
  EXPECT_EQ(update.on_update(row(1), row(1)), "pass");
  EXPECT_EQ(update.on_update(row(3), row(0)), "filtered");
  EXPECT_EQ(update.on_update(row(0), row(4)), kViolation);
}

TEST(CommandTable, UpdateReturningAppliesSelectPoliciesEvenWithoutReading) {
  Statement update(kPerCommand, kUpdateNotReadingReturning);
  EXPECT_EQ(update.on_update(row(1), row(0)), "filtered");
  EXPECT_EQ(update.on_update(row(0), row(1)), kViolation);
}

TEST(CommandTable, DeleteThatReadsAppliesSelectAndDeleteUsing) {
  Statement remove(kPerCommand, kDeleteReading);
  EXPECT_EQ(remove.on(row(1)), "filtered");
  EXPECT_EQ(remove.on(row(5)), "filtered");
  for (int v : {2, 3, 4}) EXPECT_EQ(remove.on(row(v)), "pass") << v;
}

TEST(CommandTable, DeleteThatDoesNotReadAppliesDeleteUsingOnly) {
  Statement remove(kPerCommand, kDeleteNotReading);
  EXPECT_EQ(remove.on(row(1)), "pass");
  EXPECT_EQ(remove.on(row(5)), "filtered");
}

TEST(CommandTable, UpdateWithCheckFallsBackToUpdateUsingForTheNewRow) {
  Statement update(kEnable + "CREATE POLICY p ON t FOR UPDATE USING (v < 10);\n", kUpdateNotReading);
  EXPECT_EQ(update.on_update(row(1), row(9)), "pass");
  EXPECT_EQ(update.on_update(row(1), row(10)), kViolation);
  EXPECT_EQ(update.on_update(row(10), row(1)), "filtered");
}

TEST(CommandTable, UpdateWithoutSelectPolicyThatReadsSeesNothing) {
  // Reading needs a SELECT policy too: with only an UPDATE policy no row is visible.
  Statement update(kEnable + "CREATE POLICY p ON t FOR UPDATE USING (true);\n", kUpdateReading);
  EXPECT_EQ(update.on_update(row(1), row(1)), "filtered");
}

// ---- TO lists

const std::string kToAnalyst = kEnable + "CREATE POLICY p ON t TO analyst USING (true);\n";

TEST(RowFilterTo, PolicyAppliesToHoldersOfTheRole) {
  EXPECT_EQ(Statement(kToAnalyst, kSelect, "alice").on(row(1)), "pass");
  EXPECT_EQ(Statement(kToAnalyst, kSelect, "bob").on(row(1)), "filtered");
}

TEST(RowFilterTo, PolicyAppliesToHoldersOfARoleThatInheritsIt) {
  EXPECT_EQ(Statement(kToAnalyst, kSelect, "carol").on(row(1)), "pass");
}

TEST(RowFilterTo, ARequestedRoleCountsAsHeld) {
  EXPECT_EQ(Statement(kToAnalyst, kSelect, "bob", {}, {"analyst"}).on(row(1)), "pass");
}

TEST(RowFilterTo, TheUsersOwnNameMatches) {
  const std::string policies = kEnable + "CREATE POLICY p ON t TO bob USING (true);\n";
  EXPECT_EQ(Statement(policies, kSelect, "bob").on(row(1)), "pass");
  EXPECT_EQ(Statement(policies, kSelect, "alice").on(row(1)), "filtered");
}

TEST(RowFilterTo, APolicyForAnotherRoleLeavesOnlyTheApplicableOnes) {
  Statement select(kEnable +
                       "CREATE POLICY everyone ON t USING (v = 1);\n"
                       "CREATE POLICY analysts ON t TO analyst USING (v = 2);\n",
                   kSelect, "bob");
  EXPECT_EQ(select.on(row(1)), "pass");
  EXPECT_EQ(select.on(row(2)), "filtered");
}

// ---- current_user and current_setting

TEST(RowFilterSession, CurrentUserIsTheUserName) {
  Statement select(kEnable + "CREATE POLICY p ON t USING (owner = current_user);\n", kSelect, "bob");
  EXPECT_EQ(select.on(row(1, "bob")), "pass");
  EXPECT_EQ(select.on(row(1, "alice")), "filtered");
}

TEST(RowFilterSession, SetSettingIsRead) {
  const std::string policies = kEnable + "CREATE POLICY p ON t USING (owner = current_setting('app.owner'));\n";
  Statement select(policies, kSelect, "alice", {{"app.owner", "carol"}});
  EXPECT_EQ(select.on(row(1, "carol")), "pass");
  EXPECT_EQ(select.on(row(1, "alice")), "filtered");
}

TEST(RowFilterSession, SettingNamesAreCaseInsensitive) {
  Statement select(kEnable + "CREATE POLICY p ON t USING (owner = current_setting('App.Owner'));\n", kSelect,
                   "alice", {{"APP.OWNER", "carol"}});
  EXPECT_EQ(select.on(row(1, "carol")), "pass");
}

TEST(RowFilterSession, UnsetSettingIsAnErrorForEveryRow) {
  Statement select(kEnable + "CREATE POLICY p ON t USING (owner = current_setting('app.owner'));\n", kSelect);
  EXPECT_EQ(select.on(row(1, "carol")), "error: unrecognized configuration parameter \"app.owner\"");
}

TEST(RowFilterSession, UnsetSettingWithMissingOkIsNull) {
  Statement select(kEnable + "CREATE POLICY p ON t USING (owner = current_setting('app.owner', true));\n", kSelect);
  EXPECT_EQ(select.on(row(1, "carol")), "filtered");
  Statement is_null(kEnable + "CREATE POLICY p ON t USING (current_setting('app.owner', true) IS NULL);\n", kSelect);
  EXPECT_EQ(is_null.on(row(1)), "pass");
}

TEST(RowFilterSession, SettingCastToIntegerFailsOnBadText) {
  Statement select(kEnable + "CREATE POLICY p ON t USING (v = current_setting('app.v')::integer);\n", kSelect,
                   "alice", {{"app.v", "abc"}});
  EXPECT_EQ(select.on(row(1)), "error: invalid input syntax for type integer: \"abc\"");
}

// ---- runtime errors are errors, never a pass or a filter

TEST(RowFilterErrors, DivisionByZero) {
  Statement select(kEnable + "CREATE POLICY p ON t USING (100 / v > 1);\n", kSelect);
  EXPECT_EQ(select.on(row(0)), "error: division by zero");
  EXPECT_EQ(select.on(row(10)), "pass");
  EXPECT_EQ(select.on(row(std::nullopt)), "filtered");
}

TEST(RowFilterErrors, IntegerOutOfRange) {
  Statement select(kEnable + "CREATE POLICY p ON t USING (v * 1000000 > 0);\n", kSelect);
  EXPECT_EQ(select.on(row(1000000)), "error: integer out of range");
  EXPECT_EQ(select.on(row(1000)), "pass");
}

TEST(RowFilterErrors, ErrorInAWithCheckOfAnInsert) {
  Statement insert(kEnable + "CREATE POLICY p ON t WITH CHECK (v % (v - v) = 0);\n", kInsert);
  EXPECT_EQ(insert.on(row(3)), "error: division by zero");
}

TEST(RowFilterErrors, PlanErrorFailsEveryRow) {
  Statement select(kEnable + "CREATE POLICY a ON t USING (true);\nCREATE POLICY b ON t USING (v = 1 / 0);\n", kSelect);
  EXPECT_EQ(select.on(row(1)), "error: division by zero");
}

TEST(RowFilterErrors, AFalseCheckBeforeTheErrorStopsEvaluation) {
  // AND evaluates left to right and stops at FALSE: the division is never reached.
  Statement select(kEnable + "CREATE POLICY p ON t USING (v <> 0 AND 100 / v > 1);\n", kSelect);
  EXPECT_EQ(select.on(row(0)), "filtered");
}

}  // namespace
}  // namespace weftkit::policy::interp
