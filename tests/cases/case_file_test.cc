// The case file reader: what a case holds once read, and that every mistake is reported at
// its file and line (the driver fails the file's Parses test with these messages).
#include "tests/cases/case_file.h"

#include <gtest/gtest.h>

namespace weftkit::policy::cases {
namespace {

const char* kGoodFile =
    "# a comment\n"
    "define table:\n"
    "  CREATE TABLE t (id integer, v integer);\n"
    "\n"
    "case UpdateRows\n"
    "sql: @table\n"
    "  CREATE POLICY p ON t USING (v > 0);\n"
    "roles:\n"
    "  roles:\n"
    "    - name: writer\n"
    "user: alice\n"
    "request: writer, analyst\n"
    "set: app.x = a = b\n"
    "statement: UPDATE no-read returning\n"
    "known difference aot: a reason\n"
    "{\"v\": \"}{\"} => {\"v\": 2} -> violation: new row violates row-level security policy for table \"t\"\n";

TEST(CaseFileReader, ReadsEveryPartOfACase) {
  CaseFile file = parse_case_file("good.cases", kGoodFile);
  ASSERT_EQ(file.errors, std::vector<std::string>{});
  ASSERT_EQ(file.cases.size(), 1u);
  const PolicyCase& c = file.cases[0];
  EXPECT_EQ(c.where(), "good.cases:5");
  EXPECT_EQ(c.name, "UpdateRows");
  EXPECT_EQ(c.sql, "CREATE TABLE t (id integer, v integer);\nCREATE POLICY p ON t USING (v > 0);\n");
  EXPECT_EQ(c.roles, "roles:\n  - name: writer\n");
  EXPECT_EQ(c.user, "alice");
  EXPECT_EQ(c.requested_roles, (std::vector<std::string>{"writer", "analyst"}));
  EXPECT_EQ(c.settings, (std::vector<std::pair<std::string, std::string>>{{"app.x", "a = b"}}));
  EXPECT_EQ(c.shape.command, StatementCommand::kUpdate);
  EXPECT_FALSE(c.shape.reads_columns);
  EXPECT_TRUE(c.shape.returning);
  ASSERT_EQ(c.known_differences.size(), 1u);
  EXPECT_EQ(c.known_differences[0].engine, "aot");
  EXPECT_EQ(c.known_differences[0].reason, "a reason");
  ASSERT_EQ(c.rows.size(), 1u);
  EXPECT_EQ(c.rows[0].line, 16);
  EXPECT_EQ(c.rows[0].row_json, "{\"v\": \"}{\"}");  // braces inside strings do not end the object
  EXPECT_EQ(c.rows[0].new_row_json, std::optional<std::string>("{\"v\": 2}"));
  EXPECT_EQ(c.rows[0].expected, "violation: new row violates row-level security policy for table \"t\"");
}

TEST(CaseFileReader, ErrorsNameTheFileAndLine) {
  CaseFile file = parse_case_file("bad.cases",
                                  "case A\n"
                                  "sql: @missing\n"
                                  "user: alice\n"
                                  "statement: MERGE\n"
                                  "{\"v\": 1} -> passes\n"
                                  "{\"v\": 1 -> pass\n"
                                  "colour: blue\n");
  EXPECT_EQ(file.errors, (std::vector<std::string>{
                             "bad.cases:2: no `define missing:` above this line",
                             "bad.cases:4: expected `statement: SELECT|INSERT|UPDATE|DELETE [no-read] [returning]`",
                             "bad.cases:5: the outcome is pass, filtered, `violation: MESSAGE` or `error: MESSAGE`, "
                             "not `passes`",
                             "bad.cases:6: the row's JSON object does not close",
                             "bad.cases:7: unknown key `colour`",
                             "bad.cases:1: case `A` has no sql:",
                             "bad.cases:1: case `A` has no statement:",
                             "bad.cases:1: case `A` has no rows",
                         }));
}

TEST(CaseFileReader, UpdateRowsNeedANewRowAndOthersMustNotHaveOne) {
  CaseFile file = parse_case_file("rows.cases",
                                  "case U\nsql:\n  CREATE TABLE t (v integer);\nuser: a\nstatement: UPDATE\n"
                                  "{\"v\": 1} -> pass\n"
                                  "case S\nsql:\n  CREATE TABLE t (v integer);\nuser: a\nstatement: SELECT\n"
                                  "{\"v\": 1} => {\"v\": 2} -> pass\n");
  EXPECT_EQ(file.errors, (std::vector<std::string>{"rows.cases:6: an UPDATE row is `{old} => {new} -> outcome`",
                                                   "rows.cases:12: only UPDATE rows have a new row (`=>`)"}));
}

TEST(CaseFileReader, CaseNamesAreUniqueInAFile) {
  CaseFile file = parse_case_file("twice.cases",
                                  "case A\nsql:\n  CREATE TABLE t (v integer);\nuser: a\nstatement: SELECT\n{} -> pass\n"
                                  "case A\nsql:\n  CREATE TABLE t (v integer);\nuser: a\nstatement: SELECT\n{} -> pass\n");
  EXPECT_EQ(file.errors, std::vector<std::string>{"twice.cases:7: case `A` is already defined at line 1"});
}

TEST(CaseFileReader, KnownDifferencesNameAnEngineAndAReason) {
  CaseFile file = parse_case_file("known.cases",
                                  "case A\nsql:\n  CREATE TABLE t (v integer);\nuser: a\nstatement: SELECT\n{} -> pass\n"
                                  "known difference llvm: why\n"
                                  "known difference jit:\n");
  EXPECT_EQ(file.errors,
            (std::vector<std::string>{
                "known.cases:7: unknown engine `llvm`; engines are interp, jit, aot, runtime-jit, runtime-aot",
                "known.cases:8: a known difference needs its reason after the colon"}));
}

}  // namespace
}  // namespace weftkit::policy::cases
