// Three-valued logic traps: NOT IN with NULL, NULL = NULL, NULL AND FALSE, as the oracle
// reports PostgreSQL's answers.
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

}  // namespace
}  // namespace weftkit::policy::pgtest
