// A case file's case as the oracle's PolicyCase: the SQL verbatim, split into statements; the
// table's columns and the roles as compiling the case's files gives them; rows in column order.
#include "tests/pg/case_file_cases.h"

#include <gtest/gtest.h>

namespace weftkit::policy::pgtest {
namespace {

TEST(CaseFileCases, SqlIsSplitAtSemicolonsOutsideQuotes) {
  EXPECT_EQ(split_sql_statements("CREATE TABLE t (a text);\n  CREATE POLICY \"p;q\" ON t USING (a = ';');\n\n"),
            (std::vector<std::string>{"CREATE TABLE t (a text)", "CREATE POLICY \"p;q\" ON t USING (a = ';')"}));
}

TEST(CaseFileCases, ColumnsRolesPrincipalAndRowsComeFromTheCase) {
  cases::CaseFile file = cases::parse_case_file("c.cases",
                                                "case A\n"
                                                "sql:\n"
                                                "  CREATE TABLE docs (owner varchar(8), level integer);\n"
                                                "roles:\n"
                                                "  roles:\n"
                                                "    - name: reader\n"
                                                "    - name: admin\n"
                                                "      inherits: [reader]\n"
                                                "  users:\n"
                                                "    - name: alice\n"
                                                "      roles: [admin]\n"
                                                "    - name: bob\n"
                                                "      roles: []\n"
                                                "user: alice\n"
                                                "set: app.x = 1\n"
                                                "statement: UPDATE no-read returning\n"
                                                "{\"level\": 1} => {\"owner\": \"a\", \"level\": 2} -> error: boom\n");
  ASSERT_EQ(file.errors, std::vector<std::string>{});
  ConvertedCase converted = convert_case(file.cases.at(0));
  ASSERT_EQ(converted.problem, "");
  const PolicyCase& c = converted.policy_case;
  EXPECT_EQ(c.table, "docs");
  ASSERT_EQ(c.columns.size(), 2u);
  EXPECT_EQ(c.columns[0].type, ColumnType::kVarchar);
  EXPECT_EQ(c.columns[0].varchar_length, 8);
  EXPECT_EQ(c.columns[1].type, ColumnType::kInteger);
  EXPECT_EQ(c.sql_statements, std::vector<std::string>{"CREATE TABLE docs (owner varchar(8), level integer)"});
  ASSERT_EQ(c.roles.size(), 2u);
  EXPECT_EQ(c.roles[1].name, "admin");
  EXPECT_EQ(c.roles[1].inherits, std::vector<std::string>{"reader"});
  EXPECT_EQ(c.principal.user, "alice");
  EXPECT_EQ(c.principal.roles, std::vector<std::string>{"admin"});
  EXPECT_EQ(c.other_users, std::vector<std::string>{"bob"});
  EXPECT_EQ(c.principal.settings, (std::vector<std::pair<std::string, std::string>>{{"app.x", "1"}}));
  EXPECT_EQ(c.statement.command, Command::kUpdate);
  EXPECT_FALSE(c.statement.reads_columns);
  EXPECT_TRUE(c.statement.returning);
  EXPECT_EQ(c.rows, (std::vector<Row>{{Value(nullptr), Value(1)}}));
  EXPECT_EQ(c.new_rows, (std::vector<Row>{{Value("a"), Value(2)}}));
  EXPECT_EQ(converted.expected, std::vector<RowOutcome>{error(1, "boom")});
}

TEST(CaseFileCases, RequestedRolesCannotBeAskedOfPostgres) {
  cases::CaseFile file = cases::parse_case_file(
      "c.cases", "case A\nsql:\n  CREATE TABLE t (v integer);\nuser: a\nrequest: r\nstatement: SELECT\n{} -> pass\n");
  ASSERT_EQ(file.errors, std::vector<std::string>{});
  EXPECT_EQ(convert_case(file.cases.at(0)).problem, "PostgreSQL has no requested roles (request:)");
}

}  // namespace
}  // namespace weftkit::policy::pgtest
