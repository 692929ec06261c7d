// Three-valued logic traps, runtime errors, and the order in which PostgreSQL evaluates the
// parts of a policy (which decides whether an error surfaces), as the oracle reports them.
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

TEST(NullTraps, NotInWithANullInTheListIsNeverTrue) {
  PolicyCase c = select_with("level NOT IN (1, NULL)", {docs_row("a", 1), docs_row("a", 2), docs_row("a", std::nullopt)});
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{filtered(1), filtered(2), filtered(3)}));
}

TEST(NullTraps, InWithANullInTheListIsTrueOnAMatch) {
  PolicyCase c = select_with("level IN (1, NULL)", {docs_row("a", 1), docs_row("a", 2)});
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{pass(1), filtered(2)}));
}

TEST(NullTraps, NullEqualsNullIsNotTrue) {
  PolicyCase c = select_with("level = NULL OR NULL = NULL", {docs_row("a", std::nullopt), docs_row("a", 1)});
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{filtered(1), filtered(2)}));
}

TEST(NullTraps, NullColumnComparedWithItselfIsNotTrue) {
  PolicyCase c = select_with("level = level", {docs_row("a", std::nullopt), docs_row("a", 0)});
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{filtered(1), pass(2)}));
}

// NULL AND FALSE is FALSE (so NOT of it passes) while NULL AND TRUE is NULL (so NOT of it does not).
TEST(NullTraps, NullAndFalseIsFalse) {
  PolicyCase c = select_with("NOT (level > 0 AND owner = 'x')",
                             {docs_row("y", std::nullopt), docs_row("x", std::nullopt), docs_row("x", 1)});
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{pass(1), filtered(2), filtered(3)}));
}

TEST(NullTraps, NullOrTrueIsTrue) {
  PolicyCase c = select_with("level > 0 OR owner = 'x'", {docs_row("x", std::nullopt), docs_row("y", std::nullopt)});
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{pass(1), filtered(2)}));
}

TEST(NullTraps, NullBooleanIsNotFalseButIsNotTrueEither) {
  PolicyCase c = select_with("(level > 0) IS NOT TRUE AND (level > 0) IS NOT FALSE",
                             {docs_row("a", std::nullopt), docs_row("a", 1)});
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{pass(1), filtered(2)}));
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

}  // namespace
}  // namespace weftkit::policy::pgtest
