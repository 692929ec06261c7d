// Policy expressions: every construct of the dialect, PostgreSQL 15's operator precedence
// (each expected tree was checked against PostgreSQL's own parse, via pg_get_viewdef), and
// where each node is placed in the source.
#include <gtest/gtest.h>

#include "tests/compiler/sql/sql_test_support.h"

namespace weftkit::policy::sql {
namespace {

using testing::expr;
using testing::expr_location;
using testing::kPath;

// ---------------------------------------------------------------------------------------------
// Precedence and associativity

TEST(SqlParser, AndBindsTighterThanOr) {
  EXPECT_EQ(expr("a = 1 OR b = 2 AND NOT c"), "(or (= a 1) (and (= b 2) (not c)))");
}

TEST(SqlParser, AndAndOrAreLeftAssociative) {
  EXPECT_EQ(expr("a OR b OR c"), "(or (or a b) c)");
  EXPECT_EQ(expr("a AND b AND c"), "(and (and a b) c)");
}

TEST(SqlParser, ParenthesesOverridePrecedence) {
  EXPECT_EQ(expr("(a = 1 OR b = 2) AND c"), "(and (or (= a 1) (= b 2)) c)");
}

TEST(SqlParser, NotBindsLooserThanComparison) {
  EXPECT_EQ(expr("NOT a = b"), "(not (= a b))");
  EXPECT_EQ(expr("NOT p = NOT q"), "(not (= p (not q)))");
}

TEST(SqlParser, NotBindsLooserThanIs) { EXPECT_EQ(expr("NOT a IS NULL"), "(not (is-null a))"); }

TEST(SqlParser, NotNests) { EXPECT_EQ(expr("NOT NOT a"), "(not (not a))"); }

TEST(SqlParser, IsBindsLooserThanComparison) {
  EXPECT_EQ(expr("a = b IS NULL"), "(is-null (= a b))");
  EXPECT_EQ(expr("p = q IS NOT TRUE = r"), "(= (is-not-true (= p q)) r)");
}

TEST(SqlParser, IsTestsApplyToEverythingBeforeThemAndChain) {
  EXPECT_EQ(expr("a IS NULL = p"), "(= (is-null a) p)");
  EXPECT_EQ(expr("a IS NULL IS NULL"), "(is-null (is-null a))");
}

TEST(SqlParser, ComparisonBindsLooserThanLikeInAndBetween) {
  EXPECT_EQ(expr("a = b LIKE c"), "(= a (like b c))");
  EXPECT_EQ(expr("a LIKE b = c"), "(= (like a b) c)");
  EXPECT_EQ(expr("p = a BETWEEN 1 AND 2"), "(= p (between a 1 2))");
  EXPECT_EQ(expr("a BETWEEN 1 AND 2 = p"), "(= (between a 1 2) p)");
  EXPECT_EQ(expr("p = a IN (1)"), "(= p (in a 1))");
}

TEST(SqlParser, LikeBindsLooserThanConcatenation) {
  EXPECT_EQ(expr("s || t LIKE u"), "(like (|| s t) u)");
  EXPECT_EQ(expr("s LIKE t || u"), "(like s (|| t u))");
}

TEST(SqlParser, ConcatenationBindsLooserThanArithmetic) {
  EXPECT_EQ(expr("a + b || c * d"), "(|| (+ a b) (* c d))");
  EXPECT_EQ(expr("a || b || c"), "(|| (|| a b) c)");
}

TEST(SqlParser, MultiplicationBindsTighterThanAddition) {
  EXPECT_EQ(expr("1 + 2 * 3 - 4 / 5 % 6 = x"), "(= (- (+ 1 (* 2 3)) (% (/ 4 5) 6)) x)");
}

TEST(SqlParser, ArithmeticIsLeftAssociative) {
  EXPECT_EQ(expr("a - b - c = 0"), "(= (- (- a b) c) 0)");
  EXPECT_EQ(expr("a / b / c = 0"), "(= (/ (/ a b) c) 0)");
}

TEST(SqlParser, UnaryMinusBindsTighterThanMultiplication) {
  EXPECT_EQ(expr("-a * b = 0"), "(= (* (- a) b) 0)");
  EXPECT_EQ(expr("a * -b = 0"), "(= (* a (- b)) 0)");
}

TEST(SqlParser, CastBindsTighterThanUnaryMinus) { EXPECT_EQ(expr("-a::int = 0"), "(= (- (cast a integer)) 0)"); }

TEST(SqlParser, CastsChain) { EXPECT_EQ(expr("a::text::int = 0"), "(= (cast (cast a text) integer) 0)"); }

TEST(SqlParser, UnaryMinusFoldsIntoNumbersLikePostgres) {
  EXPECT_EQ(expr("a = -1"), "(= a -1)");
  EXPECT_EQ(expr("a = -2147483648"), "(= a -2147483648)");
  EXPECT_EQ(expr("a = - 1.5"), "(= a -1.5)");
  EXPECT_EQ(expr("a = -(3)"), "(= a -3)");
  EXPECT_EQ(expr("a = - -4"), "(= a 4)");
  EXPECT_EQ(expr("a = -'1'"), "(= a (- '1'))");
  EXPECT_EQ(expr("a = -b"), "(= a (- b))");
  Result<Script> result = parse_sql(kPath, "CREATE POLICY p ON t USING (-2147483648);");
  ASSERT_TRUE(result.ok());
  const auto& policy = std::get<CreatePolicy>(result.value().statements.at(0).node);
  EXPECT_EQ(std::get<IntegerLiteral>(policy.using_expr->node).text, "-2147483648");
}

TEST(SqlParser, UnaryPlusIsKept) { EXPECT_EQ(expr("a = +1"), "(= a (+ 1))"); }

// ---------------------------------------------------------------------------------------------
// Every construct

TEST(SqlParser, ComparisonOperators) {
  EXPECT_EQ(expr("a = 1 AND a <> 2 AND a != 3 AND a < 4 AND a <= 5 AND a > 6 AND a >= 7"),
            "(and (and (and (and (and (and (= a 1) (<> a 2)) (<> a 3)) (< a 4)) (<= a 5)) (> a 6)) (>= a 7))");
}

TEST(SqlParser, ColumnReferences) {
  EXPECT_EQ(expr("a = t.a AND s.t.a = \"T\".\"A\""), "(and (= a t.a) (= s.t.a \"T\".\"A\"))");
}

TEST(SqlParser, AnyWordMayFollowADot) { EXPECT_EQ(expr("t.select = t.from"), "(= t.select t.from)"); }

TEST(SqlParser, Literals) {
  EXPECT_EQ(expr("a IN (1, 1.5, 'x', TRUE, FALSE, NULL)"), "(in a 1 1.5 'x' true false null)");
}

TEST(SqlParser, TypedLiterals) {
  EXPECT_EQ(expr("a IN (DATE '2024-01-01', TIMESTAMP '2024-01-01 10:00', TIMESTAMPTZ '2024-01-01 10:00+02', "
                 "INTEGER '5', INT '6', BIGINT '7', BOOLEAN 't', uuid 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', "
                 "text 'x', timestamp with time zone 'now', varchar(3) 'abc', double precision '1.5', "
                 "pg_catalog.int8 '9', interval '1 day')"),
            "(in a (typed date '2024-01-01') (typed timestamp '2024-01-01 10:00') "
            "(typed timestamptz '2024-01-01 10:00+02') (typed integer '5') (typed integer '6') "
            "(typed bigint '7') (typed boolean 't') (typed uuid 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11') "
            "(typed text 'x') (typed timestamptz 'now') (typed varchar(3) 'abc') (typed double precision '1.5') "
            "(typed bigint '9') (typed interval '1 day'))");
}

TEST(SqlParser, IsTests) {
  EXPECT_EQ(expr("a IS NULL AND a IS NOT NULL AND a ISNULL AND a NOTNULL"),
            "(and (and (and (is-null a) (is-not-null a)) (is-null a)) (is-not-null a))");
  EXPECT_EQ(expr("p IS TRUE OR p IS NOT TRUE OR p IS FALSE OR p IS NOT FALSE OR p IS UNKNOWN OR p IS NOT UNKNOWN"),
            "(or (or (or (or (or (is-true p) (is-not-true p)) (is-false p)) (is-not-false p)) (is-unknown p)) "
            "(is-not-unknown p))");
}

TEST(SqlParser, InLists) {
  EXPECT_EQ(expr("a IN (1, 2, 3)"), "(in a 1 2 3)");
  EXPECT_EQ(expr("a NOT IN ('x', b || 'y')"), "(not-in a 'x' (|| b 'y'))");
  EXPECT_EQ(expr("a IN (1) IN (true)"), "(in (in a 1) true)");
  EXPECT_EQ(expr("s IN ('a') LIKE u"), "(like (in s 'a') u)");
}

TEST(SqlParser, Between) {
  EXPECT_EQ(expr("a BETWEEN 1 AND 2"), "(between a 1 2)");
  EXPECT_EQ(expr("a NOT BETWEEN b + 1 AND c * 2"), "(not-between a (+ b 1) (* c 2))");
  EXPECT_EQ(expr("a BETWEEN 1 AND 2 AND b"), "(and (between a 1 2) b)");
  EXPECT_EQ(expr("a BETWEEN ASYMMETRIC 1 AND 2"), "(between a 1 2)");
  // The lower bound is PostgreSQL's b_expr: comparison yes, AND no.
  EXPECT_EQ(expr("a BETWEEN b = c AND p"), "(between a (= b c) p)");
}

TEST(SqlParser, LikeAndIlike) {
  EXPECT_EQ(expr("a LIKE 'x%' AND a NOT LIKE 'y%' AND a ILIKE 'z%' AND a NOT ILIKE 'w%'"),
            "(and (and (and (like a 'x%') (not-like a 'y%')) (ilike a 'z%')) (not-ilike a 'w%'))");
}

TEST(SqlParser, LikeWithEscape) {
  EXPECT_EQ(expr("a LIKE 'x!%' ESCAPE '!'"), "(like a 'x!%' (escape '!'))");
  EXPECT_EQ(expr("a NOT ILIKE b ESCAPE c || d AND e"), "(and (not-ilike a b (escape (|| c d))) e)");
}

TEST(SqlParser, SearchedCase) {
  EXPECT_EQ(expr("CASE WHEN a > 1 THEN 'big' WHEN a > 0 THEN 'small' ELSE 'none' END = x"),
            "(= (case (when (> a 1) 'big') (when (> a 0) 'small') (else 'none')) x)");
}

TEST(SqlParser, SimpleCaseWithoutElse) {
  EXPECT_EQ(expr("CASE a WHEN 1 THEN true WHEN 2 THEN false END"), "(case a (when 1 true) (when 2 false))");
}

TEST(SqlParser, CastForms) {
  EXPECT_EQ(expr("a::text = CAST(b AS varchar(10))"), "(= (cast a text) (cast b varchar(10)))");
  EXPECT_EQ(expr("a::timestamp with time zone = b::timestamp without time zone"),
            "(= (cast a timestamptz) (cast b timestamp))");
}

TEST(SqlParser, TypeNamesAreCanonical) {
  EXPECT_EQ(expr("a IN (a::bool, a::boolean, a::int2, a::smallint, a::int, a::integer, a::int4, a::int8, "
                 "a::bigint, a::real, a::float4, a::float, a::float(24), a::float(25), a::double precision, "
                 "a::float8, a::text, a::varchar, a::varchar(5), a::character varying(5), a::char(3), a::date, "
                 "a::timestamp, a::timestamp(3), a::timestamptz, a::timestamp(3) with time zone, a::uuid, "
                 "a::numeric(10, 2), a::decimal, a::pg_catalog.int4, a::json, a::myschema.mytype, a::\"Int4\")"),
            "(in a (cast a boolean) (cast a boolean) (cast a smallint) (cast a smallint) (cast a integer) "
            "(cast a integer) (cast a integer) (cast a bigint) (cast a bigint) (cast a real) (cast a real) "
            "(cast a double precision) (cast a real) (cast a double precision) (cast a double precision) "
            "(cast a double precision) (cast a text) (cast a varchar) (cast a varchar(5)) (cast a varchar(5)) "
            "(cast a bpchar(3)) (cast a date) (cast a timestamp) (cast a timestamp(3)) (cast a timestamptz) "
            "(cast a timestamptz(3)) (cast a uuid) (cast a numeric(10,2)) (cast a numeric) (cast a integer) "
            "(cast a json) (cast a myschema.mytype) (cast a Int4))");
}

TEST(SqlParser, FunctionCalls) {
  EXPECT_EQ(expr("lower(a) = upper(b) AND coalesce(a, b, 'x') = nullif(c, '') AND length(a) > abs(-1)"),
            "(and (and (= (call lower a) (call upper b)) (= (call coalesce a b 'x') (call nullif c ''))) "
            "(> (call length a) (call abs -1)))");
  EXPECT_EQ(expr("tenant = current_setting('app.tenant', true)::uuid"),
            "(= tenant (cast (call current_setting 'app.tenant' true) uuid))");
  EXPECT_EQ(expr("greatest(a, b) = least(c, d) AND pg_catalog.lower(e) = left(f, 2) AND now() > g"),
            "(and (and (= (call greatest a b) (call least c d)) (= (call pg_catalog.lower e) (call left f 2))) "
            "(> (call now) g))");
}

TEST(SqlParser, AllInAFunctionCallMeansNothing) { EXPECT_EQ(expr("f(ALL a)"), "(call f a)"); }

TEST(SqlParser, SpecialValuesWithoutParentheses) {
  EXPECT_EQ(expr("a IN (current_user, CURRENT_USER, session_user, user, current_role)"),
            "(in a current_user current_user session_user current_user current_user)");
}

// ---------------------------------------------------------------------------------------------
// Locations: operators at their operator token, everything else at its first token

TEST(SqlParser, OperatorNodesSitAtTheirOperator) {
  // "CREATE POLICY p ON t USING (" is 28 characters: the expression starts in column 29.
  EXPECT_EQ(expr_location("a = 1"), "1:31");
  EXPECT_EQ(expr_location("a + 1"), "1:31");
  EXPECT_EQ(expr_location("a AND b"), "1:31");
  EXPECT_EQ(expr_location("a IS NOT NULL"), "1:31");
  EXPECT_EQ(expr_location("a ISNULL"), "1:31");
  EXPECT_EQ(expr_location("a NOT IN (1)"), "1:31");
  EXPECT_EQ(expr_location("a IN (1)"), "1:31");
  EXPECT_EQ(expr_location("a NOT BETWEEN 1 AND 2"), "1:31");
  EXPECT_EQ(expr_location("a ILIKE 'x'"), "1:31");
  EXPECT_EQ(expr_location("a::int"), "1:30");
  EXPECT_EQ(expr_location("NOT a"), "1:29");
  EXPECT_EQ(expr_location("- a"), "1:29");
}

TEST(SqlParser, OtherNodesSitAtTheirFirstToken) {
  EXPECT_EQ(expr_location("t.a"), "1:29");
  EXPECT_EQ(expr_location("lower(a)"), "1:29");
  EXPECT_EQ(expr_location("CASE WHEN a THEN b END"), "1:29");
  EXPECT_EQ(expr_location("CAST(a AS int)"), "1:29");
  EXPECT_EQ(expr_location("DATE '2024-01-01'"), "1:29");
  EXPECT_EQ(expr_location("'x'"), "1:29");
  EXPECT_EQ(expr_location("current_user"), "1:29");
  EXPECT_EQ(expr_location("- 5"), "1:29");  // a folded negative number starts at its sign
  EXPECT_EQ(expr_location("  (  a  )"), "1:34");  // parentheses make no node
}

TEST(SqlParser, NestedNodesHaveTheirOwnLocations) {
  Result<Script> result = parse_sql(kPath,
                                    "CREATE POLICY p ON t\n"
                                    "  USING (owner = lower(\n"
                                    "           x::text) OR CASE WHEN b THEN c END);");
  ASSERT_TRUE(result.ok());
  const auto& policy = std::get<CreatePolicy>(result.value().statements.at(0).node);
  const Expr& root = *policy.using_expr;
  EXPECT_EQ(root.where.to_string(), "policies.sql:3:21");  // OR
  const auto& equal = std::get<Binary>(std::get<Binary>(root.node).left->node);
  EXPECT_EQ(std::get<Binary>(root.node).left->where.to_string(), "policies.sql:2:16");  // =
  EXPECT_EQ(equal.left->where.to_string(), "policies.sql:2:10");                        // owner
  const Expr& call = *equal.right;
  EXPECT_EQ(call.where.to_string(), "policies.sql:2:18");  // lower
  const auto& call_node = std::get<FunctionCall>(call.node);
  EXPECT_EQ(call_node.name.at(0).where.to_string(), "policies.sql:2:18");
  EXPECT_EQ(call_node.args.at(0)->where.to_string(), "policies.sql:3:13");  // ::
  const auto& case_node = std::get<Case>(std::get<Binary>(root.node).right->node);
  EXPECT_EQ(std::get<Binary>(root.node).right->where.to_string(), "policies.sql:3:24");  // CASE
  EXPECT_EQ(case_node.whens.at(0).where.to_string(), "policies.sql:3:29");               // WHEN
}

TEST(SqlParser, TypeNamesHaveLocations) {
  Result<Script> result = parse_sql(kPath, "CREATE POLICY p ON t USING (a::double precision = b);");
  ASSERT_TRUE(result.ok());
  const auto& policy = std::get<CreatePolicy>(result.value().statements.at(0).node);
  const auto& cast = std::get<Cast>(std::get<Binary>(policy.using_expr->node).left->node);
  EXPECT_EQ(cast.type.where.to_string(), "policies.sql:1:32");
}

}  // namespace
}  // namespace weftkit::policy::sql
