// Lexing as PostgreSQL does it: keywords, name folding and quoting, comments, strings,
// numbers and operator runs.
#include <gtest/gtest.h>

#include "compiler/sql/operator_lexing.h"
#include "tests/compiler/sql/sql_test_support.h"

namespace weftkit::policy::sql {
namespace {

using testing::errors;
using testing::expr;
using testing::kPath;
using testing::parse;

const CreatePolicy& only_policy(const Result<Script>& result) {
  return std::get<CreatePolicy>(result.value().statements.at(0).node);
}

TEST(SqlLexer, KeywordsAreCaseInsensitive) {
  EXPECT_EQ(parse("create POLICY p On t uSiNg (TRUE) With Check (nOt FaLsE);"),
            "(create-policy p t permissive all (using true) (with-check (not false)))\n");
}

TEST(SqlLexer, UnquotedNamesFoldToLowerCase) {
  EXPECT_EQ(parse("CREATE POLICY MyPolicy ON Public.Docs TO Alice USING (Owner = CURRENT_USER);"),
            "(create-policy mypolicy public.docs permissive all (to alice) (using (= owner current_user)))\n");
}

TEST(SqlLexer, OnlyAsciiLettersFold) {
  // As in PostgreSQL with UTF-8: letters outside ASCII keep their case.
  EXPECT_EQ(expr("ÄPFEL = 1"), "(= Äpfel 1)");
}

TEST(SqlLexer, QuotedNamesKeepTheirCaseAndUndoubleQuotes) {
  Result<Script> result = parse_sql(kPath, "CREATE POLICY \"Weird\"\"Name\" ON \"Docs\" USING (\"Owner\" = 1);");
  ASSERT_TRUE(result.ok());
  const CreatePolicy& policy = only_policy(result);
  EXPECT_EQ(policy.name.name, "Weird\"Name");
  EXPECT_TRUE(policy.name.quoted);
  EXPECT_EQ(policy.table.at(0).name, "Docs");
  const auto& column = std::get<ColumnRef>(std::get<Binary>(policy.using_expr->node).left->node);
  EXPECT_EQ(column.parts.at(0).name, "Owner");
  EXPECT_EQ(to_sexpr(result.value()), "(create-policy \"Weird\"\"Name\" \"Docs\" permissive all (using (= \"Owner\" 1)))\n");
}

TEST(SqlLexer, UnquotedNamesAreNotMarkedQuoted) {
  Result<Script> result = parse_sql(kPath, "CREATE POLICY p ON t USING (true);");
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(only_policy(result).name.quoted);
}

TEST(SqlLexer, NonReservedKeywordsServeAsNames) {
  EXPECT_EQ(parse("CREATE TABLE policy (level int, key text, name text, security int, integer int, row int, "
                  "position text, type text, action text, \"select\" int);"),
            "(create-table policy (column level integer) (column key text) (column name text) (column security integer) "
            "(column integer integer) (column row integer) (column position text) (column type text) "
            "(column action text) (column \"select\" integer))\n");
  EXPECT_EQ(expr("level > 1 AND key = name AND t.select = 2 AND row = 1"),
            "(and (and (and (> level 1) (= key name)) (= t.select 2)) (= row 1))");
}

TEST(SqlLexer, LineCommentsRunToTheEndOfTheLine) {
  EXPECT_EQ(parse("-- a policy\nCREATE POLICY p ON t -- the table\n  USING (a = 1); -- done"),
            "(create-policy p t permissive all (using (= a 1)))\n");
}

TEST(SqlLexer, BlockCommentsNest) {
  EXPECT_EQ(parse("/* outer /* inner */ still a comment */ CREATE POLICY p ON t USING (a /* x */ = 1);"),
            "(create-policy p t permissive all (using (= a 1)))\n");
}

TEST(SqlLexer, CommentRightAfterAnOperatorEndsTheOperator) {
  EXPECT_EQ(expr("a =/* c */1"), "(= a 1)");
  EXPECT_EQ(expr("a =-- c\n1"), "(= a 1)");
  EXPECT_EQ(expr("a /**/= 1"), "(= a 1)");
}

TEST(SqlLexer, StringDoubledQuoteIsOneQuote) {
  EXPECT_EQ(expr("a = 'it''s'"), "(= a 'it''s')");
  Result<Script> result = parse_sql(kPath, "CREATE POLICY p ON t USING ('it''s');");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(std::get<StringLiteral>(only_policy(result).using_expr->node).value, "it's");
}

TEST(SqlLexer, BackslashIsAnOrdinaryCharacterInStrings) {
  Result<Script> result = parse_sql(kPath, "CREATE POLICY p ON t USING ('a\\nb');");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(std::get<StringLiteral>(only_policy(result).using_expr->node).value, "a\\nb");
}

TEST(SqlLexer, StringsSeparatedByANewlineAreOneString) {
  EXPECT_EQ(expr("a = 'x'\n  'y'"), "(= a 'xy')");
  EXPECT_EQ(expr("a = 'x' -- it's a comment\n'y'"), "(= a 'xy')");
}

TEST(SqlLexer, StringsOnOneLineAreNotJoined) {
  EXPECT_EQ(errors("CREATE POLICY p ON t USING (a = 'x' 'y');"),
            "policies.sql:1:37: error: syntax error at or near \"'y'\": expected \")\"\n");
}

TEST(SqlLexer, DollarQuotedStrings) {
  EXPECT_EQ(expr("a = $$it's$$"), "(= a 'it''s')");
  EXPECT_EQ(expr("a = $tag$x$$y$tag$"), "(= a 'x$$y')");
}

TEST(SqlLexer, IdentifiersMayContainDollarSigns) { EXPECT_EQ(expr("a$b = 1"), "(= a$b 1)"); }

TEST(SqlLexer, NumbersKeepTheirText) {
  EXPECT_EQ(expr("a IN (0, 42, 1.5, .5, 1., 1e3, 2.5E-3, 99999999999999999999)"),
            "(in a 0 42 1.5 .5 1. 1e3 2.5E-3 99999999999999999999)");
  Result<Script> result = parse_sql(kPath, "CREATE POLICY p ON t USING (1.5);");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(std::get<NumericLiteral>(only_policy(result).using_expr->node).text, "1.5");
}

TEST(SqlLexer, OperatorRunsSplitLikePostgres) {
  // A trailing - or + belongs to the next operand unless the operator has one of ~!@#%^&|`?.
  EXPECT_EQ(expr("a<-1"), "(< a -1)");
  EXPECT_EQ(expr("a*-1 = b"), "(= (* a -1) b)");
  EXPECT_EQ(expr("a=-1"), "(= a -1)");
  EXPECT_EQ(expr("a<>-1"), "(<> a -1)");
  EXPECT_EQ(expr("a>=+1"), "(>= a (+ 1))");
  EXPECT_EQ(expr("a != -1"), "(<> a -1)");
  // ! is one of the characters that keep the sign, so "!=-" is one (unknown) operator, as in
  // PostgreSQL ("operator does not exist: integer !=- integer").
  EXPECT_EQ(expr("a!=-1"), "policies.sql:1:30: error: operator \"!=-\" is not supported\n");
  EXPECT_EQ(expr("a+-+1 = 0"), "(= (+ a (- (+ 1))) 0)");
}

TEST(SqlLexer, BangEqualsIsNotEqual) { EXPECT_EQ(expr("a != b"), "(<> a b)"); }

TEST(SqlLexer, OperatorLengthFollowsPostgresRules) {
  EXPECT_EQ(pg_operator_length("<-"), 1u);
  EXPECT_EQ(pg_operator_length("<=-"), 2u);
  EXPECT_EQ(pg_operator_length("*-+"), 1u);
  EXPECT_EQ(pg_operator_length("+-"), 1u);
  EXPECT_EQ(pg_operator_length("@-"), 2u);   // @ lets the operator end in -
  EXPECT_EQ(pg_operator_length("%-"), 2u);   // so does %
  EXPECT_EQ(pg_operator_length("<>"), 2u);
  EXPECT_EQ(pg_operator_length("*/*"), 1u);  // "/*" starts a comment
  EXPECT_EQ(pg_operator_length("=--"), 1u);  // "--" starts a comment
  EXPECT_EQ(pg_operator_length("|/"), 2u);
  EXPECT_EQ(pg_operator_length("-"), 1u);
}

TEST(SqlLexer, LongIdentifiersAreTruncatedTo63BytesWithAWarning) {
  std::string long_name(70, 'a');
  Result<Script> result = parse_sql(kPath, "CREATE POLICY " + long_name + " ON t USING (true);");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(only_policy(result).name.name, std::string(63, 'a'));
  EXPECT_EQ(testing::diagnostics_text(result.diagnostics()),
            "policies.sql:1:15: warning: identifier \"" + long_name + "\" will be truncated to \"" +
                std::string(63, 'a') + "\"\n");
}

TEST(SqlLexer, TruncationNeverSplitsACharacter) {
  // 62 ASCII letters then "é" (2 bytes): 64 bytes, cut back to 62 rather than mid-character.
  std::string name = std::string(62, 'a') + "é";
  Result<Script> result = parse_sql(kPath, "CREATE POLICY " + name + " ON t USING (true);");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(only_policy(result).name.name, std::string(62, 'a'));
}

TEST(SqlLexer, ByteOrderMarkIsIgnored) {
  EXPECT_EQ(parse("\xEF\xBB\xBF" "CREATE POLICY p ON t USING (x);"), "(create-policy p t permissive all (using x))\n");
  EXPECT_EQ(errors("\xEF\xBB\xBF" "CREATE POLICY p ON t FORM;"),
            "policies.sql:1:22: error: syntax error at or near \"FORM\"\n");
}

TEST(SqlLexer, ColumnsCountCharactersNotBytes) {
  EXPECT_EQ(errors("CREATE POLICY é ON t FORM;"), "policies.sql:1:22: error: syntax error at or near \"FORM\"\n");
}

TEST(SqlLexer, InvalidUtf8IsReportedWhereItIs) {
  EXPECT_EQ(errors("CREATE POLICY p ON t\nUSING (a = '\xff');"),
            "policies.sql:2:13: error: invalid byte sequence for encoding \"UTF8\": 0xff\n");
  EXPECT_EQ(errors("CREATE POLICY p ON t USING (a = '\xc3\x28');"),
            "policies.sql:1:34: error: invalid byte sequence for encoding \"UTF8\": 0xc3 0x28\n");
  EXPECT_EQ(errors(std::string("a\0b", 3)), "policies.sql:1:2: error: invalid byte sequence for encoding \"UTF8\": 0x00\n");
}

}  // namespace
}  // namespace weftkit::policy::sql
