// The typed, folded IR of policy conditions, as describe_expr() prints it: the implicit casts
// PostgreSQL 15 inserts (as EXPLAIN VERBOSE shows them), unknown literals read as the other
// side's type, and plan-time constant folding in PostgreSQL's order. Folding that fails the plan
// is PostgreSQL's error for every row: tests/cases/typing.cases.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "compiler/driver/compile_files.h"
#include "compiler/ir/statement_plan.h"

namespace weftkit::policy {
namespace {

const std::string kTable =
    "CREATE TABLE t (i2 smallint, i integer, b bigint, r real, f double precision, txt text, vc varchar(10), "
    "d date, ts timestamp, u uuid, ok boolean);\n";

// The program of kTable plus `policies`; fails the test when it does not compile.
PolicyProgram compile_policies(const std::string& policies) {
  SourceTexts sources;
  Result<PolicyProgram> result = compile_sources({SourceInput{"policies.sql", kTable + policies}}, sources);
  if (!result.ok()) {
    ADD_FAILURE() << render_diagnostics(result.diagnostics(), sources);
    return PolicyProgram{};
  }
  return result.value();
}

// USING (`condition`) of a single policy on t, typed and folded.
Expr typed_expr(const std::string& condition) {
  PolicyProgram program = compile_policies("CREATE POLICY p ON t USING (" + condition + ");\n");
  if (program.tables.empty() || program.tables[0].policies.empty()) return Expr{};
  return *program.tables[0].policies[0].using_expr;
}

std::string typed(const std::string& condition) { return describe_expr(typed_expr(condition)); }

// ---- numbers: the wider type wins, a float anywhere makes double precision

TEST(Typing, IntegerAgainstNumericCastsTheIntegerToNumeric) {
  // PostgreSQL: ((tt.i)::numeric = 1.5)
  EXPECT_EQ(typed("i = 1.5"), "(= (cast numeric $i) 1.5::numeric)");
}

TEST(Typing, IntegerAgainstRealComparesInDoublePrecision) {
  // PostgreSQL: ((tt.i)::double precision < tt.r), with float84lt
  EXPECT_EQ(typed("i < r"), "(< (cast double precision $i) (cast double precision $r))");
}

TEST(Typing, RealAgainstANumericLiteralComparesInDoublePrecision) {
  // PostgreSQL: (tt.r = '1.5'::double precision)
  EXPECT_EQ(typed("r = 1.5"), "(= (cast double precision $r) 1.5::double precision)");
}

TEST(Typing, IntegerArithmeticWithNumericThenAgainstDoublePrecision) {
  EXPECT_EQ(typed("i * 1.5 > f"), "(> (cast double precision (* (cast numeric $i) 1.5::numeric)) $f)");
}

TEST(Typing, SmallintPlusIntegerIsInteger) {
  // PostgreSQL: ((tt.i2 + 32767) > 0), int24pl
  EXPECT_EQ(typed("i2 + 32767 > 0"), "(> (+ (cast integer $i2) 32767::integer) 0::integer)");
}

TEST(Typing, IntegerTypesMeetThroughCrossTypeOperatorsNotCasts) {
  // PostgreSQL: (tt.i2 = tt.b) with int28eq: the smallint is never converted, so the IR's cast
  // is a cross-type operand, not an implicit cast.
  Expr expr = typed_expr("i2 = b");
  EXPECT_EQ(describe_expr(expr), "(= (cast bigint $i2) $b)");
  ASSERT_EQ(expr.args.size(), 2u);
  EXPECT_EQ(expr.args[0].cast_mode, CastMode::kCrossTypeOperand);
}

TEST(Typing, IntegerToNumericIsAnImplicitCast) {
  Expr expr = typed_expr("i = 1.5");
  ASSERT_EQ(expr.args.size(), 2u);
  EXPECT_EQ(expr.args[0].cast_mode, CastMode::kImplicit);
}

TEST(Typing, DateAgainstTimestampIsACrossTypeOperand) {
  // PostgreSQL: (tt.d < tt.ts), date_lt_timestamp
  Expr expr = typed_expr("d < ts");
  EXPECT_EQ(describe_expr(expr), "(< (cast timestamp without time zone $d) $ts)");
  EXPECT_EQ(expr.args[0].cast_mode, CastMode::kCrossTypeOperand);
}

TEST(Typing, DatePlusIntegerIsADateAndDateMinusDateIsAnInteger) {
  EXPECT_EQ(typed("d + 1 > d"), "(> (+ $d 1::integer) $d)");
  EXPECT_EQ(typed("d - d > 1"), "(> (- $d $d) 1::integer)");
}

TEST(Typing, NegativeLiteralsAreFoldedIntoTheLiteralAsPostgresGrammarDoes) {
  // pg_typeof(-2147483648) = integer; pg_typeof(-(-2147483648)) = bigint.
  EXPECT_EQ(typed("-2147483648 = i"), "(= -2147483648::integer $i)");
  EXPECT_EQ(typed("-(-2147483648) = i"), "(= 2147483648::bigint (cast bigint $i))");
  EXPECT_EQ(typed("-i > 0"), "(> (neg $i) 0::integer)");
}

TEST(Typing, IntegerLiteralBeyondBigintIsNumeric) {
  EXPECT_EQ(typed("b = 9223372036854775808"), "(= (cast numeric $b) 9223372036854775808::numeric)");
}

// ---- text

TEST(Typing, VarcharMeetsTextWithoutACast) {
  EXPECT_EQ(typed("vc = 'abc'"), "(= $vc 'abc')");
  EXPECT_EQ(typed("txt = vc"), "(= $txt $vc)");
}

TEST(Typing, ExplicitVarcharCastOfALiteralTruncatesAtCompileTime) {
  EXPECT_EQ(typed("'abcdef'::varchar(3) = txt"), "(= 'abc' $txt)");
  EXPECT_EQ(typed("vc::varchar(3) = 'abcdef'"), "(= (cast character varying(3) $vc) 'abcdef')");
}

TEST(Typing, ConcatenationCastsTheNonTextSideToText) {
  // PostgreSQL: (('abc'::text || (tt.i)::text) = tt.txt)
  EXPECT_EQ(typed("'abc' || i = txt"), "(= (|| 'abc' (cast text $i)) $txt)");
}

TEST(Typing, LikeWithEscapeKeepsThreeTextArguments) {
  EXPECT_EQ(typed("txt ILIKE 'A%' ESCAPE '!'"), "(ilike $txt 'A%' '!')");
}

// ---- unknown literals take the other side's type

TEST(Typing, UnknownLiteralsAreReadAsTheOtherSidesType) {
  EXPECT_EQ(typed("u = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'"), "(= $u a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11::uuid)");
  EXPECT_EQ(typed("ts > '2024-01-01'"), "(> $ts 2024-01-01 00:00:00::timestamp without time zone)");
  EXPECT_EQ(typed("r = 'NaN'"), "(= $r NaN::real)");
  EXPECT_EQ(typed("d = 'infinity'"), "(= $d infinity::date)");
  EXPECT_EQ(typed("ok = 'yes'"), "(= $ok t::boolean)");
}

TEST(Typing, AnUnknownLiteralLeftAloneIsText) {
  // 'x' IS NULL: the literal resolves to text, and the test folds.
  EXPECT_EQ(typed("'x' IS NULL"), "f::boolean");
}

// ---- IN and BETWEEN

TEST(Typing, InListOfConstantsIsOneArrayComparison) {
  EXPECT_EQ(typed("txt IN ('a', 'b')"), "(in $txt 'a' 'b')");
  EXPECT_EQ(typed("i IN (1, '2')"), "(in $i 1::integer 2::integer)");
}

TEST(Typing, InListConstantsShareTheirCommonType) {
  // PostgreSQL: ((tt.i)::numeric <> ALL ('{1,2.5}'::numeric[]))
  EXPECT_EQ(typed("i NOT IN (1, 2.5)"), "(not-in (cast numeric $i) 1::numeric 2.5::numeric)");
}

TEST(Typing, InListItemsWithColumnsAreComparedOneByOne) {
  // PostgreSQL: ((tt.i = ANY ('{1,2}'::integer[])) OR (tt.i = tt.b))
  EXPECT_EQ(typed("i IN (1, 2, b)"), "(or (in $i 1::integer 2::integer) (= (cast bigint $i) $b))");
}

TEST(Typing, InListWithASingleConstantHasNoArray) {
  EXPECT_EQ(typed("i IN (1, b)"), "(or (= $i 1::integer) (= (cast bigint $i) $b))");
}

TEST(Typing, BetweenIsTwoComparisons) {
  // PostgreSQL: ((tt.i >= 1) AND (tt.i <= 10))
  EXPECT_EQ(typed("i BETWEEN 1 AND 10"), "(and (>= $i 1::integer) (<= $i 10::integer))");
  EXPECT_EQ(typed("i NOT BETWEEN 1 AND b"), "(or (< $i 1::integer) (> (cast bigint $i) $b))");
}

// ---- conditional functions

TEST(Typing, NullIfKeepsItsLeftTypeAcrossACrossTypeOperator) {
  // pg_typeof(nullif(1::int2, 2::int8)) = smallint; the result then meets 1 through int24eq.
  EXPECT_EQ(typed("nullif(i2, b) = 1"), "(= (cast integer (nullif $i2 $b)) 1::integer)");
  // pg_typeof(nullif(1.5::real, 2)) = real
  EXPECT_EQ(typed("nullif(r, 2) = 1"), "(= (cast double precision (nullif $r 2::double precision)) 1::double precision)");
}

TEST(Typing, NullIfConvertsItsLeftSideWhenThereIsNoCrossTypeOperator) {
  // PostgreSQL: (NULLIF((tt.i)::numeric, 1.5) = '1'::numeric)
  EXPECT_EQ(typed("nullif(i, 1.5) = 1"), "(= (nullif (cast numeric $i) 1.5::numeric) 1::numeric)");
}

TEST(Typing, GreatestAndLeastUseTheCommonType) {
  EXPECT_EQ(typed("greatest(i, b, 1) > 2"), "(> (greatest (cast bigint $i) $b 1::bigint) (cast bigint 2::integer))");
  EXPECT_EQ(typed("least(r, 1) < 2"), "(< (cast double precision (least $r 1::real)) 2::double precision)");
}

TEST(Typing, SimpleCaseComparesTheOperandWithEachWhen) {
  EXPECT_EQ(typed("CASE i WHEN 1 THEN true ELSE false END"), "(case (= $i 1::integer) t::boolean f::boolean)");
}

TEST(Typing, CaseNullResultTakesTheCommonType) {
  EXPECT_EQ(typed("CASE WHEN ok THEN NULL ELSE 1 END = 1"), "(= (case $ok null::integer 1::integer) 1::integer)");
}

TEST(Typing, SettingsAndSessionUsers) {
  EXPECT_EQ(typed("current_setting('app.tenant')::integer = i"),
            "(= (cast integer (current_setting 'app.tenant')) $i)");
  EXPECT_EQ(typed("txt = current_setting('app.user', true)"), "(= $txt (current_setting 'app.user' missing_ok))");
  EXPECT_EQ(typed("current_user = txt"), "(= current_user $txt)");
}

// ---- constant folding

TEST(Folding, ImmutableFunctionsOfConstantsAreEvaluated) {
  EXPECT_EQ(typed("abs(-5) = i"), "(= 5::integer $i)");
  EXPECT_EQ(typed("upper('a') = txt"), "(= 'A' $txt)");
  EXPECT_EQ(typed("length('héllo') = i"), "(= 5::integer $i)");
  EXPECT_EQ(typed("'2024-01-01'::date + 1 = d"), "(= 2024-01-02::date $d)");
}

TEST(Folding, StrictOperatorOfANullIsNull) {
  EXPECT_EQ(typed("txt = NULL"), "null::boolean");
  EXPECT_EQ(typed("txt || NULL = txt"), "null::boolean");
  EXPECT_EQ(typed("lower(NULL) = txt"), "null::boolean");
  EXPECT_EQ(typed("NULL::int IS NULL"), "t::boolean");
}

TEST(Folding, DivisionByZeroWithAColumnIsLeftForRunTime) {
  EXPECT_EQ(typed("i % 0 = 1"), "(= (% $i 0::integer) 1::integer)");
  EXPECT_EQ(typed("f / 0 = 1"), "(= (/ $f 0::double precision) 1::double precision)");
}

TEST(Folding, AndDropsTrueAndStopsAtFalse) {
  EXPECT_EQ(typed("ok AND true"), "$ok");
  EXPECT_EQ(typed("ok AND false"), "f::boolean");
  EXPECT_EQ(typed("ok AND NULL"), "(and $ok null::boolean)");
}

TEST(Folding, OrDropsFalseAndStopsAtTrue) {
  EXPECT_EQ(typed("ok OR true"), "t::boolean");
  EXPECT_EQ(typed("ok OR false OR NULL"), "(or $ok null::boolean)");
}

// simplify_or_arguments splices nested ORs in before folding, so a NULL met inside them is
// appended after every other argument, not left where it was written.
TEST(Folding, NullInANestedOrGoesLast) {
  EXPECT_EQ(typed("i = 1 OR NULL OR ok"), "(or (= $i 1::integer) $ok null::boolean)");
  EXPECT_EQ(typed("(i = 1 AND NULL) AND ok"), "(and (= $i 1::integer) $ok null::boolean)");
}

TEST(Folding, NestedAndsAreFlattened) {
  EXPECT_EQ(typed("ok AND (i = 1 AND (b = 2 AND txt = 'x'))"),
            "(and $ok (= $i 1::integer) (= $b (cast bigint 2::integer)) (= $txt 'x'))");
}

TEST(Folding, CaseDropsFalseAndNullWhensAndStopsAtTrue) {
  EXPECT_EQ(typed("CASE WHEN false THEN 1 WHEN ok THEN 2 ELSE 3 END = i"), "(= (case $ok 2::integer 3::integer) $i)");
  EXPECT_EQ(typed("CASE WHEN NULL THEN 1 ELSE 2 END = i"), "(= 2::integer $i)");
  EXPECT_EQ(typed("CASE WHEN ok THEN 1 WHEN true THEN 2 WHEN i = 3 THEN 3 END = i"),
            "(= (case $ok 1::integer 2::integer) $i)");
  EXPECT_EQ(typed("CASE WHEN false THEN 1 END = i"), "null::boolean");
}

TEST(Folding, CaseResultsThatAreNeverReachedAreNeverFolded) {
  EXPECT_EQ(typed("CASE WHEN true THEN i ELSE 1/0 END = 1"), "(= $i 1::integer)");
  EXPECT_EQ(typed("CASE WHEN false THEN 1/0 ELSE i END = 1"), "(= $i 1::integer)");
}

TEST(Folding, CoalesceDropsNullsAndStopsAtTheFirstConstant) {
  // PostgreSQL: (COALESCE((tt.i)::bigint, '5'::bigint) = 1)
  EXPECT_EQ(typed("coalesce(NULL, i, 5, b) = 1"), "(= (coalesce (cast bigint $i) 5::bigint) (cast bigint 1::integer))");
  EXPECT_EQ(typed("coalesce(NULL, 5, i) = i"), "(= 5::integer $i)");
}

// ---- NOT pushed down (negate_clause)

TEST(NegateClause, NotOfAComparisonIsItsNegator) {
  EXPECT_EQ(typed("NOT (i < 5)"), "(>= $i 5::integer)");
  EXPECT_EQ(typed("NOT (i + 1 > 2)"), "(<= (+ $i 1::integer) 2::integer)");
}

TEST(NegateClause, NotOfATestFlipsTheTest) {
  EXPECT_EQ(typed("NOT (txt LIKE 'a%')"), "(not-like $txt 'a%')");
  EXPECT_EQ(typed("NOT (i IS NULL)"), "(is-not-null $i)");
  EXPECT_EQ(typed("NOT (i IN (1,2))"), "(not-in $i 1::integer 2::integer)");
}

TEST(NegateClause, DeMorganOverAndAndOr) {
  EXPECT_EQ(typed("NOT (ok AND i = 1)"), "(or (not $ok) (<> $i 1::integer))");
  EXPECT_EQ(typed("NOT (ok OR txt ILIKE 'a%')"), "(and (not $ok) (not-ilike $txt 'a%'))");
  EXPECT_EQ(typed("NOT (i IS NOT NULL AND ok IS FALSE)"), "(or (is-null $i) (is-not-false $ok))");
  EXPECT_EQ(typed("NOT (i BETWEEN 1 AND 5)"), "(or (< $i 1::integer) (> $i 5::integer))");
}

TEST(NegateClause, DoubleNotCancelsAndPlainNotStays) {
  EXPECT_EQ(typed("NOT NOT ok"), "$ok");
  EXPECT_EQ(typed("NOT ok"), "(not $ok)");
}

TEST(NegateClause, NotOfAnOrWithNullKeepsTheNull) {
  EXPECT_EQ(typed("NOT (i = 1 OR NULL)"), "(and (<> $i 1::integer) null::boolean)");
}

// ---- planning a statement: canonicalize_qual on the combined conditions

std::vector<std::string> select_filters(const std::string& policies) {
  PolicyProgram program = compile_policies("ALTER TABLE t ENABLE ROW LEVEL SECURITY;\n" + policies);
  std::vector<std::string> described;
  if (program.tables.empty()) return described;
  StatementPlan plan = plan_statement(program.tables[0], StatementShape{StatementCommand::kSelect, true, false},
                                      [](const RowPolicy&) { return true; }, false);
  for (const Expr& condition : plan.row_filters) described.push_back(describe_expr(condition));
  return described;
}

using Conditions = std::vector<std::string>;

TEST(PlanFolding, NullInATopLevelAndIsFalse) {
  // PostgreSQL: WHERE NOT (i = 1 OR NULL) plans as One-Time Filter: false.
  EXPECT_EQ(select_filters("CREATE POLICY p ON t USING (NOT (i = 1 OR NULL));\n"), Conditions{"f::boolean"});
}

TEST(PlanFolding, ConditionsCommonToEveryOrArmAreFactoredOut) {
  EXPECT_EQ(select_filters("CREATE POLICY a ON t USING (i = 1 AND ok);\n"
                           "CREATE POLICY b ON t USING (i = 1 AND txt = 'a');\n"),
            (Conditions{"(= $i 1::integer)", "(or (= $txt 'a') $ok)"}));
}

TEST(PlanFolding, APermissivePolicyThatIsAlwaysTrueMakesNoCondition) {
  EXPECT_EQ(select_filters("CREATE POLICY a ON t USING (i = 1);\n"
                           "CREATE POLICY b ON t USING (1 = 1);\n"),
            Conditions{});
}

TEST(PlanFolding, NoPermissivePolicyIsConstantFalse) {
  EXPECT_EQ(select_filters("CREATE POLICY a ON t AS RESTRICTIVE USING (i = 1);\n"), Conditions{"f::boolean"});
}

}  // namespace
}  // namespace weftkit::policy
