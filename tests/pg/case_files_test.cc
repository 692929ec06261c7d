// What eval and PostgreSQL are given for a case: the exact files, command line and SQL.
#include <gtest/gtest.h>

#include "tests/pg/case_files.h"
#include "tests/pg/case_sql.h"
#include "tests/pg/eval_cli.h"
#include "tests/pg/oracle_test_support.h"

namespace weftkit::policy::pgtest {
namespace {

using enum PolicyCommand;

PolicyCase update_case() {
  PolicyCase c = docs_case(Command::kUpdate);
  c.principal.roles = {"app_admin"};
  c.principal.settings = {{"app.tenant", "it's"}, {"app.level", "5"}};
  c.policies = {permissive("own", kAll, "owner = current_user"), restrictive("Cap Level", kUpdate, std::nullopt, "level < 10")};
  c.policies[0].to = {"PUBLIC"};
  c.rows = {docs_row("alice", 1), docs_row("b\\'c", std::nullopt)};
  c.new_rows = {docs_row("alice", 11), docs_row("é", -2147483648LL)};
  return c;
}

TEST(CaseFiles, PoliciesSqlHoldsTheTableRowLevelSecurityAndPolicies) {
  EXPECT_EQ(policies_sql_file(update_case()),
            "CREATE TABLE docs (owner text, level integer);\n"
            "ALTER TABLE docs ENABLE ROW LEVEL SECURITY;\n"
            "CREATE POLICY own ON docs TO PUBLIC USING (owner = current_user);\n"
            "CREATE POLICY \"Cap Level\" ON docs AS RESTRICTIVE FOR UPDATE WITH CHECK (level < 10);\n");
}

TEST(CaseFiles, RolesYamlDeclaresEveryRoleAndGivesThePrincipalItsRoles) {
  EXPECT_EQ(roles_yaml(update_case()),
            "# Roles and users of a generated WeftKit Policy differential test case.\n"
            "roles:\n"
            "  - name: \"app_reader\"\n"
            "  - name: \"app_admin\"\n"
            "    inherits: [\"app_reader\"]\n"
            "users:\n"
            "  - name: \"alice\"\n"
            "    roles: [\"app_admin\"]\n"
            "  - name: \"bob\"\n"
            "    roles: []\n");
}

TEST(CaseFiles, RowsAreJsonObjectsKeyedByColumnInColumnOrder) {
  PolicyCase c = update_case();
  EXPECT_EQ(rows_jsonl(c, c.rows), "{\"owner\":\"alice\",\"level\":1}\n{\"owner\":\"b\\\\'c\",\"level\":null}\n");
  EXPECT_EQ(rows_jsonl(c, c.new_rows), "{\"owner\":\"alice\",\"level\":11}\n{\"owner\":\"é\",\"level\":-2147483648}\n");
}

TEST(EvalCommandLine, PassesTableCommandUserSettingsRowsAndStatementShape) {
  PolicyCase c = update_case();
  c.statement.reads_columns = false;
  c.statement.returning = true;
  EXPECT_EQ(eval_arguments(c),
            (std::vector<std::string>{"eval", "policies.sql", "roles.yaml", "--table", "docs", "--command", "UPDATE",
                                      "--user", "alice", "--set", "app.tenant=it's", "--set", "app.level=5",
                                      "--rows", "rows.jsonl", "--new-rows", "new.jsonl", "--no-read", "--returning"}));
  EXPECT_EQ(shell_command("/bin/policyc", {"eval", "--set", "app.tenant=it's"}),
            "/bin/policyc eval --set 'app.tenant=it'\\''s'");
}

TEST(EvalCommandLine, SelectThatReadsColumnsHasNoShapeFlags) {
  PolicyCase c = docs_case(Command::kSelect);
  c.rows = {docs_row("a", 1)};
  EXPECT_EQ(eval_arguments(c), (std::vector<std::string>{"eval", "policies.sql", "roles.yaml", "--table", "docs",
                                                         "--command", "SELECT", "--user", "alice", "--rows",
                                                         "rows.jsonl"}));
}

TEST(OracleSql, UpdateSetsEveryColumnToTheNewRowAndReadsAColumnInWhere) {
  PolicyCase c = update_case();
  EXPECT_EQ(statement_sql(c, 1),
            "UPDATE \"docs\" SET \"owner\" = 'é', \"level\" = -2147483648 WHERE \"owner\" IS NULL OR \"owner\" IS NOT NULL");
  c.statement.reads_columns = false;
  c.statement.returning = true;
  EXPECT_EQ(statement_sql(c, 0), "UPDATE \"docs\" SET \"owner\" = 'alice', \"level\" = 11 RETURNING *");
}

TEST(OracleSql, EachRowRunsAloneAsThePrincipalAndIsRolledBack) {
  EXPECT_EQ(row_script(update_case(), 1),
            (std::vector<std::string>{"BEGIN", "INSERT INTO \"docs\" (\"owner\", \"level\") VALUES ('b\\''c', NULL)",
                                      "SET SESSION AUTHORIZATION \"alice\"",
                                      "SELECT set_config('app.tenant', 'it''s', false)",
                                      "SELECT set_config('app.level', '5', false)",
                                      "UPDATE \"docs\" SET \"owner\" = 'é', \"level\" = -2147483648 WHERE \"owner\" IS NULL OR "
                                      "\"owner\" IS NOT NULL",
                                      "ROLLBACK"}));
}

TEST(OracleSql, InsertHasNoExistingRowAndDeleteWithoutReadHasNoWhere) {
  PolicyCase insert = docs_case(Command::kInsert);
  insert.rows = {docs_row("a", 1)};
  insert.statement.returning = true;
  EXPECT_EQ(row_script(insert, 0),
            (std::vector<std::string>{"BEGIN", "SET SESSION AUTHORIZATION \"alice\"",
                                      "INSERT INTO \"docs\" (\"owner\", \"level\") VALUES ('a', 1) RETURNING *",
                                      "ROLLBACK"}));
  PolicyCase remove = docs_case(Command::kDelete);
  remove.rows = {docs_row("a", 1)};
  remove.statement.reads_columns = false;
  EXPECT_EQ(statement_sql(remove, 0), "DELETE FROM \"docs\"");
  remove.statement.reads_columns = true;
  EXPECT_EQ(statement_sql(remove, 0), "DELETE FROM \"docs\" WHERE \"owner\" IS NULL OR \"owner\" IS NOT NULL");
}

}  // namespace
}  // namespace weftkit::policy::pgtest
