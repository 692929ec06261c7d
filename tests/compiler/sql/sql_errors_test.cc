// Every error of the SQL front end, with its exact position and message: syntax errors,
// PostgreSQL's non-associative operators, lexical errors, and everything the dialect
// recognises but does not support.
#include <gtest/gtest.h>

#include <random>

#include "tests/compiler/sql/sql_test_support.h"

namespace weftkit::policy::sql {
namespace {

using testing::errors;
using testing::kPath;

// The diagnostics of `CREATE POLICY p ON t USING (<expression>);`, whose expression starts
// in column 29.
std::string expr_errors(const std::string& expression) {
  return errors("CREATE POLICY p ON t USING (" + expression + ");");
}

std::string error_at(int column, const std::string& message) {
  return "policies.sql:1:" + std::to_string(column) + ": error: " + message + "\n";
}

// ---------------------------------------------------------------------------------------------
// Syntax errors

TEST(SqlErrors, MisspeltKeywordIsASyntaxErrorAtIt) {
  EXPECT_EQ(errors("CREATE POLICY p ON t FORM ALL;"), error_at(22, "syntax error at or near \"FORM\""));
}

TEST(SqlErrors, MissingParenthesisSaysWhatWasExpected) {
  EXPECT_EQ(errors("CREATE POLICY p ON t USING (a = 1;"), error_at(34, "syntax error at or near \";\": expected \")\""));
  EXPECT_EQ(errors("CREATE TABLE t (a int b text);"),
            error_at(23, "syntax error at or near \"b\": expected \")\" or \",\""));
}

TEST(SqlErrors, WrongWordAmongFixedChoicesListsThem) {
  EXPECT_EQ(errors("CREATE POLICY p ON t FOR SELEC;"),
            error_at(26, "syntax error at or near \"SELEC\": expected ALL, DELETE, INSERT, SELECT or UPDATE"));
  EXPECT_EQ(errors("ALTER TABLE t ENABLE ROW LEVEL SECURTY;"),
            error_at(32, "syntax error at or near \"SECURTY\": expected SECURITY"));
}

TEST(SqlErrors, MissingNameOrExpressionSaysSo) {
  EXPECT_EQ(errors("CREATE POLICY p ON ;"), error_at(20, "syntax error at or near \";\": expected a name"));
  EXPECT_EQ(errors("CREATE POLICY p ON t USING (lower(a,));"),
            error_at(37, "syntax error at or near \")\": expected an expression"));
}

TEST(SqlErrors, ReservedWordIsNotAName) {
  EXPECT_EQ(expr_errors("where = 1"), error_at(29, "syntax error at or near \"where\": expected an expression"));
  EXPECT_EQ(errors("CREATE TABLE t (select int);"),
            error_at(17, "syntax error at or near \"select\": expected a name, CHECK, CONSTRAINT, FOREIGN, "
                         "PRIMARY, UNIQUE or \")\""));
}

TEST(SqlErrors, KeywordFunctionCallsTakeNoParentheses) {
  EXPECT_EQ(expr_errors("current_user()"), error_at(41, "syntax error at or near \"(\": expected \")\""));
}

TEST(SqlErrors, EndOfInput) {
  EXPECT_EQ(errors("CREATE POLICY p ON"), error_at(19, "syntax error at end of input: expected a name"));
  EXPECT_EQ(errors("CREATE TABLE t (a int"), error_at(22, "syntax error at end of input: expected \")\" or \",\""));
}

TEST(SqlErrors, PositionsCountLinesAndColumns) {
  EXPECT_EQ(errors("CREATE POLICY p ON t\n  USING (\n    a = 1 +\n  );"),
            "policies.sql:4:3: error: syntax error at or near \")\": expected an expression\n");
}

TEST(SqlErrors, TabsCountAsOneColumn) {
  EXPECT_EQ(errors("CREATE POLICY p ON t\tFORM;"), error_at(22, "syntax error at or near \"FORM\""));
}

TEST(SqlErrors, EveryStatementIsCheckedAndNoScriptIsReturned) {
  Result<Script> result = parse_sql(kPath,
                                    "CREATE POLICY a ON t FORM ALL;\n"
                                    "CREATE POLICY b ON t USING (true);\n"
                                    "CREATE POLICY c ON t USING (x = );\n"
                                    "DROP POLICY d ON t garbage;\n");
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(testing::diagnostics_text(result.diagnostics()),
            "policies.sql:1:22: error: syntax error at or near \"FORM\"\n"
            "policies.sql:3:33: error: syntax error at or near \")\"\n"
            "policies.sql:4:20: error: syntax error at or near \"garbage\"\n");
}

TEST(SqlErrors, StatementsMustBeSeparatedBySemicolons) {
  EXPECT_EQ(errors("CREATE POLICY a ON t CREATE POLICY b ON t;"), error_at(22, "syntax error at or near \"CREATE\""));
}

TEST(SqlErrors, StrayCharacter) {
  EXPECT_EQ(expr_errors("a \\ b"), error_at(31, "syntax error at or near \"\\\": expected \")\""));
  EXPECT_EQ(errors("{"), error_at(1, "syntax error at or near \"{\""));
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL's non-associative operators

TEST(SqlErrors, ComparisonsDoNotChain) {
  EXPECT_EQ(expr_errors("a = b = c"), error_at(35, "syntax error at or near \"=\""));
  EXPECT_EQ(expr_errors("a < b > c"), error_at(35, "syntax error at or near \">\""));
  EXPECT_EQ(expr_errors("a IS NULL = b <> c"), error_at(43, "syntax error at or near \"<>\""));
}

TEST(SqlErrors, LikeBetweenAndInDoNotChainAfterAnOpenOperand) {
  EXPECT_EQ(expr_errors("a LIKE b LIKE c"), error_at(38, "syntax error at or near \"LIKE\""));
  EXPECT_EQ(expr_errors("a LIKE b IN (1)"), error_at(38, "syntax error at or near \"IN\""));
  EXPECT_EQ(expr_errors("a LIKE b NOT IN (1)"), error_at(38, "syntax error at or near \"NOT\""));
  EXPECT_EQ(expr_errors("a BETWEEN 1 AND b IN (2)"), error_at(47, "syntax error at or near \"IN\""));
  EXPECT_EQ(expr_errors("a BETWEEN 1 AND 2 BETWEEN 3 AND 4"), error_at(47, "syntax error at or near \"BETWEEN\""));
  EXPECT_EQ(expr_errors("a BETWEEN 1 AND 2 ILIKE c"), error_at(47, "syntax error at or near \"ILIKE\""));
  EXPECT_EQ(expr_errors("a LIKE b ESCAPE c LIKE d"), error_at(47, "syntax error at or near \"LIKE\""));
}

TEST(SqlErrors, EscapeBelongsToALike) {
  EXPECT_EQ(expr_errors("a ESCAPE b"), error_at(31, "syntax error at or near \"ESCAPE\""));
  EXPECT_EQ(expr_errors("a LIKE b ESCAPE c ESCAPE d"), error_at(47, "syntax error at or near \"ESCAPE\""));
}

// ---------------------------------------------------------------------------------------------
// Lexical errors

TEST(SqlErrors, UnterminatedString) {
  EXPECT_EQ(expr_errors("a = 'abc"), error_at(33, "unterminated quoted string at or near \"'abc);\""));
}

TEST(SqlErrors, UnterminatedQuotedIdentifier) {
  EXPECT_EQ(expr_errors("\"abc = 1"), error_at(29, "unterminated quoted identifier at or near \"\"abc = 1);\""));
}

TEST(SqlErrors, UnterminatedBlockComment) {
  EXPECT_EQ(errors("CREATE POLICY p ON t; /* a /* b */ c"), error_at(23, "unterminated /* comment at or near \"/* a /* b */ c\""));
}

TEST(SqlErrors, UnterminatedDollarQuotedString) {
  EXPECT_EQ(expr_errors("a = $x$abc$y$"), error_at(33, "unterminated dollar-quoted string at or near \"$x$abc$y$);\""));
}

TEST(SqlErrors, TrailingJunkAfterNumber) {
  EXPECT_EQ(expr_errors("123abc = 1"), error_at(29, "trailing junk after numeric literal at or near \"123a\""));
  EXPECT_EQ(expr_errors("a = 1.5e"), error_at(33, "trailing junk after numeric literal at or near \"1.5e\""));
  EXPECT_EQ(expr_errors("a = 1e+"), error_at(33, "trailing junk after numeric literal at or near \"1e+\""));
  EXPECT_EQ(expr_errors("a = 0x1F"), error_at(33, "trailing junk after numeric literal at or near \"0x\""));
}

TEST(SqlErrors, LongTokensAreShortenedInMessages) {
  EXPECT_EQ(expr_errors("a = 'this string goes on and on and on without an end"),
            error_at(33, "unterminated quoted string at or near \"'this string goes on and on and on witho...\""));
}

TEST(SqlErrors, ZeroLengthQuotedIdentifier) {
  EXPECT_EQ(expr_errors("\"\" = 1"), error_at(29, "zero-length delimited identifier at or near \"\"\"\""));
}

// ---------------------------------------------------------------------------------------------
// Expressions outside the dialect

TEST(SqlErrors, SubqueriesAreNotSupported) {
  EXPECT_EQ(expr_errors("a = (SELECT max(b) FROM u)"), error_at(34, "subqueries are not supported in policy expressions"));
  EXPECT_EQ(expr_errors("a IN (SELECT b FROM u JOIN v ON true)"),
            error_at(35, "subqueries are not supported in policy expressions"));
  EXPECT_EQ(expr_errors("a IN (VALUES (1))"), error_at(35, "subqueries are not supported in policy expressions"));
  EXPECT_EQ(expr_errors("a = (WITH x AS (SELECT 1) SELECT * FROM x)"),
            error_at(34, "subqueries are not supported in policy expressions"));
}

TEST(SqlErrors, ExistsIsNotSupported) {
  EXPECT_EQ(expr_errors("EXISTS (SELECT 1 FROM u WHERE u.id = t.id)"),
            error_at(29, "EXISTS subqueries are not supported in policy expressions"));
}

TEST(SqlErrors, AnySomeAllAreNotSupported) {
  EXPECT_EQ(expr_errors("a = ANY (ARRAY[1, 2])"), error_at(33, "ANY (...) is not supported in policy expressions"));
  EXPECT_EQ(expr_errors("a = some (b)"), error_at(33, "SOME (...) is not supported in policy expressions"));
  EXPECT_EQ(expr_errors("a < ALL (SELECT b FROM u)"), error_at(33, "ALL (...) is not supported in policy expressions"));
}

TEST(SqlErrors, ArraysAreNotSupported) {
  EXPECT_EQ(expr_errors("ARRAY[1, 2] = a"), error_at(29, "arrays are not supported in policy expressions"));
  EXPECT_EQ(expr_errors("a[1] = 2"), error_at(30, "array subscripts are not supported in policy expressions"));
  EXPECT_EQ(expr_errors("a::int[] = b"), error_at(35, "array types are not supported"));
  EXPECT_EQ(expr_errors("a::integer ARRAY = b"), error_at(40, "array types are not supported"));
}

TEST(SqlErrors, RowConstructorsAreNotSupported) {
  EXPECT_EQ(expr_errors("(a, b) = (1, 2)"),
            error_at(29, "row constructors are not supported in policy expressions") +
                error_at(38, "row constructors are not supported in policy expressions"));
  EXPECT_EQ(expr_errors("ROW(a) IS NULL"), error_at(29, "row constructors are not supported in policy expressions"));
}

TEST(SqlErrors, OtherOperatorsAreNotSupported) {
  EXPECT_EQ(expr_errors("a ~ 'x'"), error_at(31, "operator \"~\" is not supported"));
  EXPECT_EQ(expr_errors("a @> b"), error_at(31, "operator \"@>\" is not supported"));
  EXPECT_EQ(expr_errors("2 ^ 3 = 8"), error_at(31, "operator \"^\" is not supported"));
  EXPECT_EQ(expr_errors("|/ a = 2"), error_at(29, "operator \"|/\" is not supported"));
  EXPECT_EQ(expr_errors("a @- 1 = 0"), error_at(31, "operator \"@-\" is not supported"));
}

TEST(SqlErrors, OtherPredicatesAreNotSupported) {
  EXPECT_EQ(expr_errors("a IS DISTINCT FROM b"), error_at(31, "IS DISTINCT FROM is not supported in policy expressions"));
  EXPECT_EQ(expr_errors("a IS NOT DISTINCT FROM b"),
            error_at(31, "IS DISTINCT FROM is not supported in policy expressions"));
  EXPECT_EQ(expr_errors("a SIMILAR TO 'x'"), error_at(31, "SIMILAR TO is not supported in policy expressions"));
  EXPECT_EQ(expr_errors("a BETWEEN SYMMETRIC 2 AND 1"),
            error_at(39, "BETWEEN SYMMETRIC is not supported in policy expressions"));
  EXPECT_EQ(expr_errors("a COLLATE \"C\" < b"), error_at(31, "COLLATE is not supported in policy expressions"));
  EXPECT_EQ(expr_errors("a AT TIME ZONE 'UTC' = b"), error_at(31, "AT TIME ZONE is not supported in policy expressions"));
}

TEST(SqlErrors, DateTimeKeywordsAreNotSupported) {
  EXPECT_EQ(expr_errors("a < current_date"), error_at(33, "CURRENT_DATE is not supported in policy expressions"));
  EXPECT_EQ(expr_errors("a < CURRENT_TIMESTAMP(3)"),
            error_at(33, "CURRENT_TIMESTAMP is not supported in policy expressions"));
  EXPECT_EQ(expr_errors("a < localtimestamp"), error_at(33, "LOCALTIMESTAMP is not supported in policy expressions"));
  EXPECT_EQ(expr_errors("a = current_schema"), error_at(33, "CURRENT_SCHEMA is not supported in policy expressions"));
}

TEST(SqlErrors, ParametersAreNotSupported) {
  EXPECT_EQ(expr_errors("a = $1"), error_at(33, "parameters ($1) are not supported in policy expressions"));
}

TEST(SqlErrors, AggregateAndWindowCallsAreNotSupported) {
  EXPECT_EQ(expr_errors("count(*) > 1"), error_at(35, "aggregate functions are not supported in policy expressions"));
  EXPECT_EQ(expr_errors("count(DISTINCT a) > 1"),
            error_at(35, "aggregate functions are not supported in policy expressions"));
  EXPECT_EQ(expr_errors("rank() OVER (ORDER BY a) = 1"),
            error_at(36, "window functions are not supported in policy expressions"));
}

TEST(SqlErrors, NamedArgumentsAreNotSupported) {
  EXPECT_EQ(expr_errors("f(x => 1)"), error_at(31, "named function arguments are not supported"));
  EXPECT_EQ(expr_errors("f(x := 1)"), error_at(31, "named function arguments are not supported"));
}

TEST(SqlErrors, OtherStringFormsAreNotSupported) {
  EXPECT_EQ(expr_errors("a = E'\\n'"),
            error_at(33, "escape string constants (E'...') are not supported; write '' for a quote in a plain string"));
  EXPECT_EQ(expr_errors("a = B'0101'"), error_at(33, "bit-string constants (B'...' and X'...') are not supported"));
  EXPECT_EQ(expr_errors("a = X'1F'"), error_at(33, "bit-string constants (B'...' and X'...') are not supported"));
  EXPECT_EQ(expr_errors("a = N'x'"), error_at(33, "national character constants (N'...') are not supported"));
  EXPECT_EQ(expr_errors("a = U&'x'"), error_at(33, "Unicode escape strings (U&'...') are not supported"));
  EXPECT_EQ(expr_errors("U&\"a\" = 1"), error_at(29, "Unicode escape identifiers (U&\"...\") are not supported"));
  EXPECT_EQ(expr_errors("a = DATE E'2024-01-01'"),
            error_at(38, "escape string constants (E'...') are not supported; write '' for a quote in a plain string"));
}

TEST(SqlErrors, AllUnsupportedConstructsOfAnExpressionAreReportedInOrder) {
  EXPECT_EQ(expr_errors("EXISTS (SELECT 1) OR a = ANY (b) OR c[1] = 2"),
            error_at(29, "EXISTS subqueries are not supported in policy expressions") +
                error_at(54, "ANY (...) is not supported in policy expressions") +
                error_at(66, "array subscripts are not supported in policy expressions"));
}

// ---------------------------------------------------------------------------------------------
// Names and types

TEST(SqlErrors, TooManyDottedNames) {
  EXPECT_EQ(errors("CREATE POLICY p ON db.s.t;"), error_at(20, "cross-database references are not supported: db.s.t"));
  EXPECT_EQ(errors("CREATE POLICY p ON a.b.c.d;"),
            error_at(20, "improper qualified name (too many dotted names): a.b.c.d"));
  EXPECT_EQ(expr_errors("db.s.t.c = 1"), error_at(29, "cross-database references are not supported: db.s.t.c"));
  EXPECT_EQ(expr_errors("a.b.c.d.e = 1"), error_at(29, "improper qualified name (too many dotted names): a.b.c.d.e"));
  EXPECT_EQ(expr_errors("db.s.f(1)"), error_at(29, "cross-database references are not supported: db.s.f"));
}

TEST(SqlErrors, FloatPrecisionOutOfRange) {
  EXPECT_EQ(expr_errors("a::float(0) = 1"), error_at(38, "precision for type float must be at least 1 bit"));
  EXPECT_EQ(expr_errors("a::float(54) = 1"), error_at(38, "precision for type float must be less than 54 bits"));
}

TEST(SqlErrors, TypeModifiersMustBeIntegerConstants) {
  EXPECT_EQ(expr_errors("a::varchar(b) = 'x'"), error_at(40, "type modifiers must be integer constants"));
  EXPECT_EQ(expr_errors("a::varchar(99999999999) = 'x'"), error_at(40, "type modifier 99999999999 is out of range"));
}

// ---------------------------------------------------------------------------------------------
// Statements outside the dialect

TEST(SqlErrors, OtherStatementsAreNotSupportedAndTheFirstSaysWhatIs) {
  Result<Script> result = parse_sql(kPath,
                                    "GRANT SELECT ON t TO alice;\n"
                                    "CREATE INDEX i ON t (a);\n"
                                    "CREATE OR REPLACE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\n"
                                    "CREATE UNIQUE INDEX j ON t (a);\n"
                                    "DROP TABLE t;\n"
                                    "ALTER ROLE r LOGIN;\n"
                                    "SELECT * FROM t;\n"
                                    "set row_security = on;\n");
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(testing::diagnostics_text(result.diagnostics()),
            "policies.sql:1:1: error: GRANT is not supported\n"
            "  policies.sql:1:1: note: a policy file may contain only CREATE TABLE, ALTER TABLE ... ROW LEVEL "
            "SECURITY, and CREATE, ALTER or DROP POLICY statements\n"
            "policies.sql:2:1: error: CREATE INDEX is not supported\n"
            "policies.sql:3:1: error: CREATE OR REPLACE FUNCTION is not supported\n"
            "policies.sql:4:1: error: CREATE UNIQUE INDEX is not supported\n"
            "policies.sql:5:1: error: DROP TABLE is not supported\n"
            "policies.sql:6:1: error: ALTER ROLE is not supported\n"
            "policies.sql:7:1: error: SELECT is not supported\n"
            "policies.sql:8:1: error: SET is not supported\n");
}

TEST(SqlErrors, StatementStartingWithPunctuationIsASyntaxError) {
  EXPECT_EQ(errors("(CREATE POLICY p ON t);"), error_at(1, "syntax error at or near \"(\""));
}

TEST(SqlErrors, CreateTableIfNotExistsIsNotSupported) {
  EXPECT_EQ(errors("CREATE TABLE IF NOT EXISTS t (a int);"), error_at(14, "CREATE TABLE IF NOT EXISTS is not supported"));
}

TEST(SqlErrors, UnsupportedColumnConstraints) {
  EXPECT_EQ(errors("CREATE TABLE t (a int UNIQUE, b int CHECK (b > 0), c int REFERENCES u (id) ON DELETE CASCADE,\n"
                   "  d int GENERATED ALWAYS AS (a + 1) STORED, e text COLLATE \"C\", f int CONSTRAINT f_nn NOT NULL);"),
            "policies.sql:1:23: error: UNIQUE constraints are not supported\n"
            "policies.sql:1:37: error: CHECK constraints are not supported\n"
            "policies.sql:1:58: error: foreign keys (REFERENCES) are not supported\n"
            "policies.sql:2:9: error: generated columns are not supported\n"
            "policies.sql:2:52: error: COLLATE is not supported\n"
            "policies.sql:2:71: error: constraint names (CONSTRAINT name) are not supported\n");
}

TEST(SqlErrors, UnsupportedTableConstraints) {
  EXPECT_EQ(errors("CREATE TABLE t (a int, UNIQUE (a), CHECK (a > 0), FOREIGN KEY (a) REFERENCES u (id),\n"
                   "  CONSTRAINT t_pk PRIMARY KEY (a));"),
            "policies.sql:1:24: error: UNIQUE constraints are not supported\n"
            "policies.sql:1:36: error: CHECK constraints are not supported\n"
            "policies.sql:1:51: error: foreign keys (FOREIGN KEY) are not supported\n"
            "policies.sql:2:3: error: constraint names (CONSTRAINT name) are not supported\n");
}

TEST(SqlErrors, ConflictingColumnConstraints) {
  EXPECT_EQ(errors("CREATE TABLE t (a int NOT NULL NULL);"),
            error_at(32, "conflicting NULL/NOT NULL declarations for column \"a\" of table \"t\""));
  EXPECT_EQ(errors("CREATE TABLE t (a int NULL NOT NULL);"),
            error_at(28, "conflicting NULL/NOT NULL declarations for column \"a\" of table \"t\""));
  EXPECT_EQ(errors("CREATE TABLE s.t (a int DEFAULT 1 DEFAULT 2);"),
            error_at(35, "multiple default values specified for column \"a\" of table \"t\""));
}

TEST(SqlErrors, OnePrimaryKeyPerTable) {
  EXPECT_EQ(errors("CREATE TABLE t (a int PRIMARY KEY PRIMARY KEY);"),
            error_at(35, "multiple primary keys for table \"t\" are not allowed"));
  EXPECT_EQ(errors("CREATE TABLE t (a int PRIMARY KEY, b int PRIMARY KEY);"),
            error_at(42, "multiple primary keys for table \"t\" are not allowed"));
  EXPECT_EQ(errors("CREATE TABLE t (a int PRIMARY KEY, PRIMARY KEY (a));"),
            error_at(36, "multiple primary keys for table \"t\" are not allowed"));
}

TEST(SqlErrors, ColumnDefaultIsABExpression) {
  // As in PostgreSQL, a DEFAULT cannot hold AND, NOT, IS, IN, LIKE or BETWEEN unparenthesised.
  EXPECT_EQ(errors("CREATE TABLE t (a bool DEFAULT true AND false);"),
            error_at(37, "syntax error at or near \"AND\": expected \")\" or \",\""));
  EXPECT_EQ(errors("CREATE TABLE t (a bool DEFAULT (true AND false));"), "");
}

TEST(SqlErrors, OnlyRowLevelSecurityActionsInAlterTable) {
  EXPECT_EQ(errors("ALTER TABLE t ADD COLUMN b int, ENABLE ROW LEVEL SECURITY;"),
            error_at(15, "ALTER TABLE ... ADD is not supported; only ENABLE, DISABLE, FORCE and NO FORCE ROW LEVEL "
                         "SECURITY are"));
  EXPECT_EQ(errors("ALTER TABLE t OWNER TO bob;"),
            error_at(15, "ALTER TABLE ... OWNER is not supported; only ENABLE, DISABLE, FORCE and NO FORCE ROW LEVEL "
                         "SECURITY are"));
  EXPECT_EQ(errors("ALTER TABLE IF EXISTS t ENABLE ROW LEVEL SECURITY;"),
            error_at(13, "ALTER TABLE IF EXISTS is not supported"));
}

TEST(SqlErrors, UnknownRowSecurityOption) {
  EXPECT_EQ(errors("CREATE POLICY p ON t AS strict USING (true);"),
            "policies.sql:1:25: error: unrecognized row security option \"strict\"\n"
            "  policies.sql:1:25: note: only PERMISSIVE or RESTRICTIVE policies are supported\n");
}

TEST(SqlErrors, RoleNoneIsReserved) {
  EXPECT_EQ(errors("CREATE POLICY p ON t TO alice, none;"), error_at(32, "role name \"none\" is reserved"));
}

TEST(SqlErrors, AlterPolicyIfExistsOnlyRenames) {
  EXPECT_EQ(errors("ALTER POLICY IF EXISTS p ON t TO alice;"),
            error_at(31, "syntax error at or near \"TO\": expected RENAME"));
}

// ---------------------------------------------------------------------------------------------
// Limits

TEST(SqlErrors, DeepParenthesesAreRejectedNotACrash) {
  std::string deep = std::string(3000, '(') + "a" + std::string(3000, ')');
  EXPECT_EQ(expr_errors(deep), error_at(559, "expression is nested too deeply (the limit is 500 levels)"));
}

TEST(SqlErrors, DeepNotChainIsRejected) {
  std::string nots;
  for (int i = 0; i < 3000; ++i) nots += "NOT ";
  EXPECT_EQ(expr_errors(nots + "a"), error_at(4269, "expression is nested too deeply (the limit is 500 levels)"));
}

TEST(SqlErrors, LongOrChainBeyondTheLimitIsRejected) {
  std::string chain = "a = 0";
  for (int i = 1; i <= 600; ++i) chain += " OR a = " + std::to_string(i);
  EXPECT_EQ(expr_errors(chain), error_at(29, "expression is nested too deeply (the limit is 500 levels)"));
}

TEST(SqlErrors, NestingWithinTheLimitIsFine) {
  std::string deep = std::string(450, '(') + "a" + std::string(450, ')');
  EXPECT_EQ(expr_errors(deep), "");
  std::string chain = "a = 0";
  for (int i = 1; i <= 450; ++i) chain += " OR a = " + std::to_string(i);
  EXPECT_EQ(expr_errors(chain), "");
}

// ---------------------------------------------------------------------------------------------
// Robustness: whatever the input, a result with positioned errors — never a crash, never an
// internal error, never a script together with an error.

void expect_clean_outcome(const std::string& text) {
  Result<Script> result = parse_sql(kPath, text);
  EXPECT_EQ(result.ok(), !result.diagnostics().has_errors()) << text;
  for (const Diagnostic& diagnostic : result.diagnostics().all()) {
    EXPECT_EQ(diagnostic.message.find("internal error"), std::string::npos) << text << "\n" << diagnostic.message;
    EXPECT_TRUE(diagnostic.where.known()) << text << "\n" << diagnostic.message;
  }
}

TEST(SqlErrors, RandomTokenSoupNeverCrashes) {
  const std::vector<std::string> fragments = {
      "CREATE", "TABLE", "POLICY", "ALTER", "DROP", "ON", "TO", "USING", "WITH", "CHECK", "FOR", "AS", "IF",
      "EXISTS", "NOT", "NULL", "AND", "OR", "IS", "IN", "BETWEEN", "LIKE", "ILIKE", "ESCAPE", "CASE", "WHEN",
      "THEN", "ELSE", "END", "CAST", "SELECT", "ROW", "ARRAY", "ANY", "ENABLE", "ROW LEVEL SECURITY", "PRIMARY KEY",
      "DEFAULT", "int", "text", "varchar(3)", "timestamp with time zone", "current_user", "a", "t.b", "\"Q\"",
      "f(", "(", ")", ",", ";", ".", "::", "[", "]", "=", "<>", "<", "-", "+", "*", "/", "%", "||", "~", "@-", "!=",
      "1", "-2", "1.5", "1e", "'x'", "'it''s'", "'open", "$$s$$", "$q$", "E'x'", "U&'x'", "/*", "*/", "-- c\n",
      "\n", "é", "\\", "{", "$1", "CURRENT_DATE", "count(*)", "OVER"};
  std::mt19937 random(20240101);
  std::uniform_int_distribution<size_t> pick(0, fragments.size() - 1);
  std::uniform_int_distribution<int> length(1, 30);
  for (int input = 0; input < 3000; ++input) {
    std::string text;
    for (int i = length(random); i > 0; --i) text += fragments[pick(random)] + (random() % 4 == 0 ? "" : " ");
    expect_clean_outcome(text);
  }
}

TEST(SqlErrors, EveryPrefixOfAValidScriptParsesOrFailsCleanly) {
  const std::string script =
      "CREATE TABLE app.docs (id bigint PRIMARY KEY, tenant uuid NOT NULL DEFAULT 'x', t timestamptz);\n"
      "ALTER TABLE app.docs ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;\n"
      "/* a /* nested */ comment */ CREATE POLICY \"P\" ON app.docs AS RESTRICTIVE FOR UPDATE TO PUBLIC, bob\n"
      "  USING (tenant = current_setting('app.tenant')::uuid AND t > TIMESTAMPTZ '2024-01-01' OR id IN (1, -2))\n"
      "  WITH CHECK (CASE WHEN id BETWEEN 1 AND 9 THEN lower($$A$$) LIKE 'a%' ESCAPE '!' ELSE NOT (id IS NULL) END);\n"
      "ALTER POLICY \"P\" ON app.docs RENAME TO q; DROP POLICY IF EXISTS q ON app.docs;\n";
  ASSERT_TRUE(parse_sql(kPath, script).ok());
  for (size_t cut = 0; cut <= script.size(); ++cut) expect_clean_outcome(script.substr(0, cut));
}

}  // namespace
}  // namespace weftkit::policy::sql
