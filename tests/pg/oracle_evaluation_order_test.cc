// Runtime errors in policies, and the order in which PostgreSQL evaluates the parts of a
// policy, which decides whether an error surfaces or a row is decided first. The evaluator has
// to reproduce these answers; each test pins one mechanism down.
#include <gtest/gtest.h>

#include "tests/pg/oracle_test_support.h"

namespace weftkit::policy::pgtest {
namespace {

using enum PolicyCommand;

PolicyCase select_with(const std::string& using_expression, std::vector<Row> rows) {
  PolicyCase c = docs_case(Command::kSelect);
  c.policies = {permissive("p", kSelect, using_expression)};
  c.rows = std::move(rows);
  return c;
}

TEST(RuntimeErrors, DivisionByZeroInUsingIsAnErrorForTheRow) {
  PolicyCase c = select_with("100 / level > 1", {docs_row("a", 0), docs_row("a", 1)});
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{error(1, "division by zero"), pass(2)}));
}

TEST(RuntimeErrors, IntegerOverflowInWithCheckIsAnErrorNotAViolation) {
  PolicyCase c = docs_case(Command::kInsert);
  c.policies = {permissive("p", kInsert, std::nullopt, "level + 1 > 0")};
  c.rows = {docs_row("a", 2147483647), docs_row("a", 0)};
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{error(1, "integer out of range"), pass(2)}));
}

TEST(RuntimeErrors, LikePatternEndingInBackslashIsAnError) {
  PolicyCase c = select_with("'abc' LIKE owner", {docs_row("a\\", 1), docs_row("a%", 1)});
  EXPECT_EQ(postgres_outcomes(c),
            (std::vector<RowOutcome>{error(1, "LIKE pattern must not end with escape character"), pass(2)}));
}

// Scan quals (USING of SELECT, UPDATE, DELETE) are separate clauses that the planner orders by
// estimated cost, so a cheap clause that is false can stop an expensive one from raising.
TEST(EvaluationOrder, CheaperFalseClauseOfUsingHidesAnErrorInAnExpensiveOne) {
  PolicyCase c = select_with("100 / level > 1 AND owner = 'x'", {docs_row("y", 0), docs_row("x", 0)});
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{filtered(1), error(2, "division by zero")}));
}

// WITH CHECK clauses run in the order written: the error comes first here.
TEST(EvaluationOrder, WithCheckRaisesAnErrorBeforeALaterFalseClause) {
  PolicyCase c = docs_case(Command::kInsert);
  c.policies = {permissive("p", kInsert, std::nullopt, "100 / level > 1 AND owner = 'x'")};
  c.rows = {docs_row("y", 0)};
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{error(1, "division by zero")}));
}

// A constant error is raised when the statement is planned, whatever the row holds.
TEST(EvaluationOrder, ConstantDivisionByZeroIsAnErrorEvenWhenAnotherClauseIsFalse) {
  PolicyCase c = select_with("owner = 'x' AND 1 / 0 = 1", {docs_row("y", 1)});
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{error(1, "division by zero")}));
}

// Permissive policies are ORed in reverse order of their names (PostgreSQL builds its policy
// list by prepending while reading pg_policy in name order), and OR stops at the first true.
TEST(EvaluationOrder, PermissivePoliciesAreOredInReverseNameOrder) {
  PolicyCase later_name_true = docs_case(Command::kSelect);
  later_name_true.policies = {permissive("b_owner", kSelect, "owner = 'x'"), permissive("a_divide", kSelect, "10 / level > 0")};
  later_name_true.rows = {docs_row("x", 0)};
  EXPECT_EQ(postgres_outcomes(later_name_true), (std::vector<RowOutcome>{pass(1)}));

  PolicyCase later_name_fails = docs_case(Command::kSelect);
  later_name_fails.policies = {permissive("a_owner", kSelect, "owner = 'x'"), permissive("b_divide", kSelect, "10 / level > 0")};
  later_name_fails.rows = {docs_row("x", 0)};
  EXPECT_EQ(postgres_outcomes(later_name_fails), (std::vector<RowOutcome>{error(1, "division by zero")}));
}

// Selectivity estimation evaluates the side of a comparison that reads no column (even a
// stable function such as current_setting) while the statement is planned, so its error is
// the statement's error whatever the rows hold.
TEST(EvaluationOrder, ColumnFreeSideOfAComparisonInUsingIsEvaluatedWhenTheStatementIsPlanned) {
  PolicyCase c = select_with("owner = 'x' AND level < current_setting('app.level')::integer", {docs_row("y", 0)});
  EXPECT_EQ(postgres_outcomes(c),
            (std::vector<RowOutcome>{error(1, "unrecognized configuration parameter \"app.level\"")}));
}

// WITH CHECK is not planned that way: AND stops at the first false clause.
TEST(EvaluationOrder, WithCheckStopsAtAFalseClauseBeforeAnUnsetSetting) {
  PolicyCase c = docs_case(Command::kInsert);
  c.policies = {permissive("p", kInsert, std::nullopt, "owner = 'x' AND level < current_setting('app.level')::integer")};
  c.rows = {docs_row("y", 0)};
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{violation(1, docs_violation())}));
}

// Each restrictive policy is its own security level, before the permissive policies' OR: a
// false restrictive policy hides an error in a permissive one even when it costs more.
TEST(EvaluationOrder, RestrictivePoliciesAreCheckedBeforePermissiveOnes) {
  PolicyCase c = docs_case(Command::kSelect);
  c.policies = {permissive("divide", kSelect, "10 / level > 0"),
                restrictive("owner_x", kSelect, "lower(upper(lower(owner))) = 'x'")};
  c.rows = {docs_row("y", 0), docs_row("x", 0)};
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{filtered(1), error(2, "division by zero")}));
}

// A leakproof comparison (text or integer =, <, ...) may run before quals of an earlier
// security level: here the permissive policy is false before the restrictive one can fail.
TEST(EvaluationOrder, LeakproofPermissiveClauseMayRunBeforeARestrictivePolicy) {
  PolicyCase c = docs_case(Command::kSelect);
  c.policies = {permissive("owner_x", kSelect, "owner = 'x'"), restrictive("divide", kSelect, "10 / level > 0")};
  c.rows = {docs_row("y", 0), docs_row("x", 0)};
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{filtered(1), error(2, "division by zero")}));
}

// When an UPDATE or DELETE reads columns, the SELECT policies it adds come after the
// command's own policies (a later security level), unless they are leakproof.
TEST(EvaluationOrder, DeletePoliciesAreCheckedBeforeTheSelectPoliciesThatReadingAdds) {
  PolicyCase c = docs_case(Command::kDelete);
  c.policies = {permissive("owner_x", kSelect, "lower(upper(lower(owner))) = 'x'"),
                permissive("divide", kDelete, "10 / level > 0")};
  c.rows = {docs_row("y", 0), docs_row("y", 1)};
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{error(1, "division by zero"), filtered(2)}));
  c.policies[0].using_expression = "owner = 'x'";  // leakproof: may run first
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{filtered(1), filtered(2)}));
}

// For an UPDATE, the existing row is filtered (USING) before the new row is checked.
TEST(EvaluationOrder, UpdateFiltersTheExistingRowBeforeCheckingTheNewOne) {
  PolicyCase c = docs_case(Command::kUpdate);
  c.statement.reads_columns = false;
  c.policies = {permissive("p", kUpdate, "owner = 'x'", "10 / level > 0")};
  c.rows = {docs_row("y", 1), docs_row("x", 1)};
  c.new_rows = {docs_row("y", 0), docs_row("x", 0)};
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{filtered(1), error(2, "division by zero")}));
}

}  // namespace
}  // namespace weftkit::policy::pgtest
