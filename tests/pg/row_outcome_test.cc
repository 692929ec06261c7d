// The outcome lines: the oracle writes eval's format, and reading eval's lines accepts what
// the format allows (any spacing, message absent or null) and nothing else.
#include <gtest/gtest.h>

#include "tests/pg/row_outcome.h"

namespace weftkit::policy::pgtest {
namespace {

TEST(RowOutcomeLine, IsWrittenInEvalsFormat) {
  EXPECT_EQ(to_json_line(pass(1)), "{\"row\": 1, \"result\": \"pass\", \"message\": null}");
  EXPECT_EQ(to_json_line(error(12, "invalid input syntax for type integer: \"a\\b\"")),
            "{\"row\": 12, \"result\": \"error\", \"message\": \"invalid input syntax for type integer: \\\"a\\\\b\\\"\"}");
}

TEST(RowOutcomeLine, ReadsCompactAndSpacedLinesAlike) {
  std::string problem;
  EXPECT_EQ(parse_json_line("{\"row\":2,\"result\":\"filtered\",\"message\":null}", problem), filtered(2));
  EXPECT_EQ(parse_json_line(to_json_line(violation(3, "new row violates")), problem), violation(3, "new row violates"));
}

TEST(RowOutcomeLine, AbsentMessageReadsAsNull) {
  std::string problem;
  EXPECT_EQ(parse_json_line("{\"row\": 4, \"result\": \"pass\"}", problem), pass(4));
}

TEST(RowOutcomeLine, RejectsLinesThatAreNotOutcomes) {
  std::string problem;
  EXPECT_FALSE(parse_json_line("row 1: pass", problem));
  EXPECT_EQ(problem, "not a JSON object: row 1: pass");
  EXPECT_FALSE(parse_json_line("{\"row\": \"1\", \"result\": \"pass\"}", problem));
  EXPECT_EQ(problem, "no integer \"row\": {\"row\": \"1\", \"result\": \"pass\"}");
  EXPECT_FALSE(parse_json_line("{\"row\": 1, \"result\": \"pass\", \"message\": 3}", problem));
  EXPECT_EQ(problem, "\"message\" is neither a string nor null: {\"row\": 1, \"result\": \"pass\", \"message\": 3}");
  EXPECT_FALSE(parse_json_line("{\"row\": 1, \"result\": \"pass\", \"policies\": []}", problem));
  EXPECT_EQ(problem, "unexpected key \"policies\": {\"row\": 1, \"result\": \"pass\", \"policies\": []}");
}

TEST(RowOutcomeLine, OutcomesDifferInAnyField) {
  EXPECT_NE(pass(1), pass(2));
  EXPECT_NE(pass(1), filtered(1));
  EXPECT_NE(error(1, "division by zero"), error(1, "integer out of range"));
  EXPECT_NE(violation(1, "m"), error(1, "m"));
}

TEST(RowOutcomeLines, SplitsOutputIntoOutcomesInOrder) {
  std::string problem;
  auto outcomes = parse_json_lines(to_json_line(pass(1)) + "\n" + to_json_line(filtered(2)) + "\n", problem);
  ASSERT_TRUE(outcomes) << problem;
  EXPECT_EQ(*outcomes, (std::vector<RowOutcome>{pass(1), filtered(2)}));
  EXPECT_FALSE(parse_json_lines(to_json_line(pass(1)) + "\noops\n", problem));
  EXPECT_EQ(problem, "not a JSON object: oops");
}

}  // namespace
}  // namespace weftkit::policy::pgtest
