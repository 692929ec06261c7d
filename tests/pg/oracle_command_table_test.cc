// One test per cell of PostgreSQL's "Policies Applied by Command Type" table (CREATE POLICY
// documentation), as far as `eval` models statements: SELECT, INSERT, INSERT ... RETURNING,
// UPDATE and DELETE, with and without reading columns. (SELECT FOR UPDATE/SHARE, MERGE and
// ON CONFLICT DO UPDATE rows are not modelled by eval and so not here.) Each test asserts
// PostgreSQL's exact answer as the oracle reports it; each uses rows on both sides of the
// policy so that ignoring the cell's policy would change the answer.
#include <gtest/gtest.h>

#include "tests/pg/oracle_test_support.h"

namespace weftkit::policy::pgtest {
namespace {

using enum PolicyCommand;

// --- SELECT: SELECT/ALL USING on the existing row; nothing else. ---

TEST(CommandTable, SelectFiltersExistingRowsBySelectPolicyUsing) {
  PolicyCase c = docs_case(Command::kSelect);
  c.policies = {permissive("readable", kSelect, "level > 0")};
  c.rows = {docs_row("alice", 1), docs_row("alice", 0), docs_row("alice", std::nullopt)};
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{pass(1), filtered(2), filtered(3)}));
}

TEST(CommandTable, SelectFiltersExistingRowsByAllPolicyUsing) {
  PolicyCase c = docs_case(Command::kSelect);
  c.policies = {permissive("everything", kAll, "level > 0")};
  c.rows = {docs_row("alice", 1), docs_row("alice", 0)};
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{pass(1), filtered(2)}));
}

TEST(CommandTable, SelectIgnoresInsertUpdateAndDeletePolicies) {
  PolicyCase c = docs_case(Command::kSelect);
  c.policies = {permissive("ins", kInsert, std::nullopt, "true"), permissive("upd", kUpdate, "true"),
                permissive("del", kDelete, "true")};
  c.rows = {docs_row("alice", 1)};
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{filtered(1)}));
}

TEST(CommandTable, SelectWithoutWhereClauseStillAppliesSelectPolicies) {
  PolicyCase c = docs_case(Command::kSelect);
  c.statement.reads_columns = false;
  c.policies = {permissive("readable", kSelect, "level > 0")};
  c.rows = {docs_row("alice", 1), docs_row("alice", 0)};
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{pass(1), filtered(2)}));
}

// --- INSERT: INSERT/ALL WITH CHECK on the new row; a failure is an error, not a filter. ---

TEST(CommandTable, InsertChecksNewRowAgainstInsertPolicyWithCheck) {
  PolicyCase c = docs_case(Command::kInsert);
  c.policies = {permissive("insertable", kInsert, std::nullopt, "level > 0")};
  c.rows = {docs_row("alice", 1), docs_row("alice", 0), docs_row("alice", std::nullopt)};
  EXPECT_EQ(postgres_outcomes(c),
            (std::vector<RowOutcome>{pass(1), violation(2, docs_violation()), violation(3, docs_violation())}));
}

TEST(CommandTable, InsertChecksNewRowAgainstAllPolicyUsingWhenItHasNoWithCheck) {
  PolicyCase c = docs_case(Command::kInsert);
  c.policies = {permissive("everything", kAll, "level > 0")};
  c.rows = {docs_row("alice", 1), docs_row("alice", 0)};
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{pass(1), violation(2, docs_violation())}));
}

TEST(CommandTable, InsertPrefersAllPolicyWithCheckOverItsUsing) {
  PolicyCase c = docs_case(Command::kInsert);
  c.policies = {permissive("everything", kAll, "level > 100", "level > 0")};
  c.rows = {docs_row("alice", 1), docs_row("alice", 0)};
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{pass(1), violation(2, docs_violation())}));
}

TEST(CommandTable, InsertWithoutReturningIgnoresSelectPolicies) {
  PolicyCase c = docs_case(Command::kInsert);
  c.policies = {permissive("insertable", kInsert, std::nullopt, "true"), permissive("readable", kSelect, "false")};
  c.rows = {docs_row("alice", 1)};
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{pass(1)}));
}

TEST(CommandTable, InsertIgnoresUpdateAndDeletePolicies) {
  PolicyCase c = docs_case(Command::kInsert);
  c.policies = {permissive("upd", kUpdate, "true", "true"), permissive("del", kDelete, "true")};
  c.rows = {docs_row("alice", 1)};
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{violation(1, docs_violation())}));
}

// --- INSERT ... RETURNING: also SELECT/ALL USING on the new row, as a check that raises. ---

TEST(CommandTable, InsertReturningChecksNewRowAgainstSelectPolicyUsing) {
  PolicyCase c = docs_case(Command::kInsert);
  c.statement.returning = true;
  c.policies = {permissive("insertable", kInsert, std::nullopt, "true"), permissive("readable", kSelect, "level > 0")};
  c.rows = {docs_row("alice", 1), docs_row("alice", 0)};
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{pass(1), violation(2, docs_violation())}));
}

// --- UPDATE: UPDATE/ALL USING on the existing row (filters), UPDATE/ALL WITH CHECK on the
// new row (raises); SELECT/ALL USING on both when the statement reads columns. ---

TEST(CommandTable, UpdateFiltersExistingRowByUpdatePolicyUsing) {
  PolicyCase c = docs_case(Command::kUpdate);
  c.statement.reads_columns = false;
  c.policies = {permissive("updatable", kUpdate, "level > 0", "true")};
  c.rows = {docs_row("alice", 1), docs_row("alice", 0)};
  c.new_rows = {docs_row("alice", 5), docs_row("alice", 5)};
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{pass(1), filtered(2)}));
}

TEST(CommandTable, UpdateChecksNewRowAgainstUpdatePolicyWithCheck) {
  PolicyCase c = docs_case(Command::kUpdate);
  c.statement.reads_columns = false;
  c.policies = {permissive("updatable", kUpdate, "true", "level < 10")};
  c.rows = {docs_row("alice", 1), docs_row("alice", 1)};
  c.new_rows = {docs_row("alice", 9), docs_row("alice", 10)};
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{pass(1), violation(2, docs_violation())}));
}

TEST(CommandTable, UpdateChecksNewRowAgainstUsingWhenThePolicyHasNoWithCheck) {
  PolicyCase c = docs_case(Command::kUpdate);
  c.statement.reads_columns = false;
  c.policies = {permissive("updatable", kUpdate, "level > 0")};
  c.rows = {docs_row("alice", 1), docs_row("alice", 1)};
  c.new_rows = {docs_row("alice", 2), docs_row("alice", 0)};
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{pass(1), violation(2, docs_violation())}));
}

TEST(CommandTable, UpdateChecksNewRowAgainstAllPolicy) {
  PolicyCase c = docs_case(Command::kUpdate);
  c.statement.reads_columns = false;
  c.policies = {permissive("everything", kAll, "level > 0", "level < 10")};
  c.rows = {docs_row("alice", 1), docs_row("alice", 0), docs_row("alice", 1)};
  c.new_rows = {docs_row("alice", 9), docs_row("alice", 9), docs_row("alice", 10)};
  EXPECT_EQ(postgres_outcomes(c),
            (std::vector<RowOutcome>{pass(1), filtered(2), violation(3, docs_violation())}));
}

TEST(CommandTable, UpdateThatReadsColumnsFiltersExistingRowBySelectPolicy) {
  PolicyCase c = docs_case(Command::kUpdate);
  c.policies = {permissive("updatable", kUpdate, "true"), permissive("readable", kSelect, "level > 0")};
  c.rows = {docs_row("alice", 1), docs_row("alice", 0)};
  c.new_rows = {docs_row("alice", 5), docs_row("alice", 5)};
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{pass(1), filtered(2)}));
}

TEST(CommandTable, UpdateThatReadsNoColumnsIgnoresSelectPolicyOnExistingRow) {
  PolicyCase c = docs_case(Command::kUpdate);
  c.statement.reads_columns = false;
  c.policies = {permissive("updatable", kUpdate, "true"), permissive("readable", kSelect, "level > 0")};
  c.rows = {docs_row("alice", 0)};
  c.new_rows = {docs_row("alice", 5)};
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{pass(1)}));
}

TEST(CommandTable, UpdateThatReadsColumnsChecksNewRowAgainstSelectPolicy) {
  PolicyCase c = docs_case(Command::kUpdate);
  c.policies = {permissive("updatable", kUpdate, "true"), permissive("readable", kSelect, "level > 0")};
  c.rows = {docs_row("alice", 1), docs_row("alice", 1)};
  c.new_rows = {docs_row("alice", 2), docs_row("alice", 0)};
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{pass(1), violation(2, docs_violation())}));
}

TEST(CommandTable, UpdateThatReadsNoColumnsIgnoresSelectPolicyOnNewRow) {
  PolicyCase c = docs_case(Command::kUpdate);
  c.statement.reads_columns = false;
  c.policies = {permissive("updatable", kUpdate, "true"), permissive("readable", kSelect, "level > 0")};
  c.rows = {docs_row("alice", 1)};
  c.new_rows = {docs_row("alice", 0)};
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{pass(1)}));
}

TEST(CommandTable, UpdateReturningAppliesSelectPolicyToExistingAndNewRow) {
  PolicyCase c = docs_case(Command::kUpdate);
  c.statement.reads_columns = false;
  c.statement.returning = true;
  c.policies = {permissive("updatable", kUpdate, "true"), permissive("readable", kSelect, "level > 0")};
  c.rows = {docs_row("alice", 1), docs_row("alice", 0), docs_row("alice", 1)};
  c.new_rows = {docs_row("alice", 2), docs_row("alice", 2), docs_row("alice", 0)};
  EXPECT_EQ(postgres_outcomes(c),
            (std::vector<RowOutcome>{pass(1), filtered(2), violation(3, docs_violation())}));
}

TEST(CommandTable, UpdateIgnoresInsertAndDeletePolicies) {
  PolicyCase c = docs_case(Command::kUpdate);
  c.statement.reads_columns = false;
  c.policies = {permissive("updatable", kUpdate, "true"), restrictive("ins", kInsert, std::nullopt, "false"),
                restrictive("del", kDelete, "false")};
  c.rows = {docs_row("alice", 1)};
  c.new_rows = {docs_row("alice", 2)};
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{pass(1)}));
}

TEST(CommandTable, UpdateWithoutUpdatePolicyUpdatesNothing) {
  PolicyCase c = docs_case(Command::kUpdate);
  c.policies = {permissive("readable", kSelect, "true"), permissive("insertable", kInsert, std::nullopt, "true")};
  c.rows = {docs_row("alice", 1)};
  c.new_rows = {docs_row("alice", 2)};
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{filtered(1)}));
}

// --- DELETE: DELETE/ALL USING on the existing row; SELECT/ALL USING too when it reads columns.
// Both filter silently, even with RETURNING. ---

TEST(CommandTable, DeleteFiltersExistingRowByDeletePolicyUsing) {
  PolicyCase c = docs_case(Command::kDelete);
  c.statement.reads_columns = false;
  c.policies = {permissive("deletable", kDelete, "level > 0")};
  c.rows = {docs_row("alice", 1), docs_row("alice", 0)};
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{pass(1), filtered(2)}));
}

TEST(CommandTable, DeleteThatReadsColumnsFiltersExistingRowBySelectPolicy) {
  PolicyCase c = docs_case(Command::kDelete);
  c.policies = {permissive("deletable", kDelete, "true"), permissive("readable", kSelect, "level > 0")};
  c.rows = {docs_row("alice", 1), docs_row("alice", 0)};
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{pass(1), filtered(2)}));
}

TEST(CommandTable, DeleteThatReadsNoColumnsIgnoresSelectPolicy) {
  PolicyCase c = docs_case(Command::kDelete);
  c.statement.reads_columns = false;
  c.policies = {permissive("deletable", kDelete, "true"), permissive("readable", kSelect, "level > 0")};
  c.rows = {docs_row("alice", 0)};
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{pass(1)}));
}

TEST(CommandTable, DeleteReturningFiltersBySelectPolicyWithoutRaising) {
  PolicyCase c = docs_case(Command::kDelete);
  c.statement.reads_columns = false;
  c.statement.returning = true;
  c.policies = {permissive("deletable", kDelete, "true"), permissive("readable", kSelect, "level > 0")};
  c.rows = {docs_row("alice", 1), docs_row("alice", 0)};
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{pass(1), filtered(2)}));
}

TEST(CommandTable, DeleteFiltersExistingRowByAllPolicyUsing) {
  PolicyCase c = docs_case(Command::kDelete);
  c.statement.reads_columns = false;
  c.policies = {permissive("everything", kAll, "level > 0", "false")};
  c.rows = {docs_row("alice", 1), docs_row("alice", 0)};
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{pass(1), filtered(2)}));
}

}  // namespace
}  // namespace weftkit::policy::pgtest
