// Every statement form of the dialect, and the AST details semantic analysis relies on.
#include <gtest/gtest.h>

#include "tests/compiler/sql/sql_test_support.h"

namespace weftkit::policy::sql {
namespace {

using testing::kPath;
using testing::parse;

template <class Node>
const Node& only_statement(const Result<Script>& result) {
  return std::get<Node>(result.value().statements.at(0).node);
}

// ---------------------------------------------------------------------------------------------
// CREATE TABLE

TEST(SqlStatements, CreateTableWithEveryColumnType) {
  EXPECT_EQ(parse("CREATE TABLE app.docs (\n"
                  "  id bigint, flag boolean, small smallint, num integer, big int8, r real, d double precision,\n"
                  "  title text, code varchar(10), code2 character varying(20), day date, at timestamp,\n"
                  "  at2 timestamp without time zone, at3 timestamptz, at4 timestamp with time zone, token uuid\n"
                  ");"),
            "(create-table app.docs (column id bigint) (column flag boolean) (column small smallint) "
            "(column num integer) (column big bigint) (column r real) (column d double precision) "
            "(column title text) (column code varchar(10)) (column code2 varchar(20)) (column day date) "
            "(column at timestamp) (column at2 timestamp) (column at3 timestamptz) (column at4 timestamptz) "
            "(column token uuid))\n");
}

TEST(SqlStatements, CreateTableColumnConstraints) {
  EXPECT_EQ(parse("CREATE TABLE t (id int PRIMARY KEY, tenant uuid NOT NULL, name text NULL DEFAULT 'x', "
                  "level int DEFAULT -1 NOT NULL, score int DEFAULT 1 + 2 * 3);"),
            "(create-table t (column id integer primary-key) (column tenant uuid not-null) "
            "(column name text (default 'x')) (column level integer not-null (default -1)) "
            "(column score integer (default (+ 1 (* 2 3)))))\n");
}

TEST(SqlStatements, CreateTableRepeatedNullabilityThatAgreesIsAccepted) {
  EXPECT_EQ(parse("CREATE TABLE t (a int NOT NULL NOT NULL, b int NULL NULL);"),
            "(create-table t (column a integer not-null) (column b integer))\n");
}

TEST(SqlStatements, CreateTableTableLevelPrimaryKey) {
  Result<Script> result = parse_sql(kPath, "CREATE TABLE t (a int, b text, PRIMARY KEY (a, b));");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(to_sexpr(result.value()), "(create-table t (column a integer) (column b text) (primary-key a b))\n");
  const auto& table = only_statement<CreateTable>(result);
  EXPECT_EQ(table.primary_key_where.to_string(), "policies.sql:1:32");
  EXPECT_EQ(table.primary_key.at(1).where.to_string(), "policies.sql:1:48");
}

TEST(SqlStatements, CreateTableWithoutColumns) { EXPECT_EQ(parse("CREATE TABLE t ();"), "(create-table t)\n"); }

TEST(SqlStatements, ColumnDefinitionsKeepLocations) {
  Result<Script> result = parse_sql(kPath, "CREATE TABLE t (\n  id int,\n  name varchar(5) DEFAULT 'x'\n);");
  ASSERT_TRUE(result.ok());
  const auto& table = only_statement<CreateTable>(result);
  EXPECT_EQ(table.columns.at(1).where.to_string(), "policies.sql:3:3");
  EXPECT_EQ(table.columns.at(1).name.where.to_string(), "policies.sql:3:3");
  EXPECT_EQ(table.columns.at(1).type.where.to_string(), "policies.sql:3:8");
  EXPECT_EQ(table.columns.at(1).default_value->where.to_string(), "policies.sql:3:27");
  EXPECT_EQ(table.columns.at(0).default_value, nullptr);
}

// ---------------------------------------------------------------------------------------------
// ALTER TABLE

TEST(SqlStatements, AlterTableRowLevelSecurityActions) {
  EXPECT_EQ(parse("ALTER TABLE t ENABLE ROW LEVEL SECURITY;\n"
                  "ALTER TABLE s.t DISABLE ROW LEVEL SECURITY;\n"
                  "ALTER TABLE t FORCE ROW LEVEL SECURITY;\n"
                  "ALTER TABLE t NO FORCE ROW LEVEL SECURITY;\n"
                  "ALTER TABLE ONLY t ENABLE ROW LEVEL SECURITY;"),
            "(alter-table t enable)\n(alter-table s.t disable)\n(alter-table t force)\n(alter-table t no-force)\n"
            "(alter-table t enable)\n");
}

TEST(SqlStatements, AlterTableWithSeveralActionsGivesOneStatementEach) {
  Result<Script> result =
      parse_sql(kPath, "ALTER TABLE t ENABLE ROW LEVEL SECURITY, NO FORCE ROW LEVEL SECURITY;");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(to_sexpr(result.value()), "(alter-table t enable)\n(alter-table t no-force)\n");
  const auto& second = std::get<AlterTableRowSecurity>(result.value().statements.at(1).node);
  EXPECT_EQ(result.value().statements.at(1).where.to_string(), "policies.sql:1:1");
  EXPECT_EQ(second.action_where.to_string(), "policies.sql:1:42");
  EXPECT_EQ(second.table.at(0).where.to_string(), "policies.sql:1:13");
}

// ---------------------------------------------------------------------------------------------
// CREATE POLICY

TEST(SqlStatements, CreatePolicyDefaultsArePermissiveForAllToPublic) {
  Result<Script> result = parse_sql(kPath, "CREATE POLICY p ON t;");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(to_sexpr(result.value()), "(create-policy p t permissive all)\n");
  const auto& policy = only_statement<CreatePolicy>(result);
  EXPECT_TRUE(policy.permissive);
  EXPECT_EQ(policy.command, PolicyCommand::kAll);
  EXPECT_FALSE(policy.command_where.known());
  EXPECT_TRUE(policy.roles.empty());
  EXPECT_EQ(policy.using_expr, nullptr);
  EXPECT_EQ(policy.with_check, nullptr);
}

TEST(SqlStatements, CreatePolicyWithEveryClause) {
  EXPECT_EQ(parse("CREATE POLICY tenant_isolation ON app.docs AS RESTRICTIVE FOR UPDATE TO app_user, admin\n"
                  "  USING (tenant_id = current_setting('app.tenant')::uuid)\n"
                  "  WITH CHECK (owner = current_user);"),
            "(create-policy tenant_isolation app.docs restrictive update (to app_user admin) "
            "(using (= tenant_id (cast (call current_setting 'app.tenant') uuid))) "
            "(with-check (= owner current_user)))\n");
}

TEST(SqlStatements, CreatePolicyAsPermissive) {
  EXPECT_EQ(parse("CREATE POLICY p ON t AS PERMISSIVE;"), "(create-policy p t permissive all)\n");
}

TEST(SqlStatements, CreatePolicyEveryCommand) {
  EXPECT_EQ(parse("CREATE POLICY a ON t FOR ALL; CREATE POLICY s ON t FOR SELECT; CREATE POLICY i ON t FOR INSERT;"
                  "CREATE POLICY u ON t FOR UPDATE; CREATE POLICY d ON t FOR DELETE;"),
            "(create-policy a t permissive all)\n(create-policy s t permissive select)\n"
            "(create-policy i t permissive insert)\n(create-policy u t permissive update)\n"
            "(create-policy d t permissive delete)\n");
  Result<Script> result = parse_sql(kPath, "CREATE POLICY p ON t FOR delete;");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(only_statement<CreatePolicy>(result).command_where.to_string(), "policies.sql:1:26");
}

TEST(SqlStatements, CreatePolicyWithCheckOnly) {
  EXPECT_EQ(parse("CREATE POLICY p ON t FOR INSERT WITH CHECK (a > 0);"),
            "(create-policy p t permissive insert (with-check (> a 0)))\n");
}

TEST(SqlStatements, RoleSpecifications) {
  Result<Script> result = parse_sql(
      kPath, "CREATE POLICY p ON t TO PUBLIC, \"public\", CURRENT_USER, current_role, SESSION_USER, Alice, \"Bob\";");
  ASSERT_TRUE(result.ok());
  const std::vector<RoleSpec>& roles = only_statement<CreatePolicy>(result).roles;
  ASSERT_EQ(roles.size(), 7u);
  EXPECT_EQ(roles[0].kind, RoleKind::kPublic);
  EXPECT_EQ(roles[1].kind, RoleKind::kPublic);  // PostgreSQL reads "public" as PUBLIC too
  EXPECT_EQ(roles[2].kind, RoleKind::kCurrentUser);
  EXPECT_EQ(roles[3].kind, RoleKind::kCurrentUser);
  EXPECT_EQ(roles[4].kind, RoleKind::kSessionUser);
  EXPECT_EQ(roles[5].kind, RoleKind::kNamed);
  EXPECT_EQ(roles[5].name, "alice");
  EXPECT_EQ(roles[6].kind, RoleKind::kNamed);
  EXPECT_EQ(roles[6].name, "Bob");
  EXPECT_EQ(roles[6].where.to_string(), "policies.sql:1:92");
  EXPECT_EQ(to_sexpr(result.value()),
            "(create-policy p t permissive all (to public public current_user current_user session_user alice Bob))\n");
}

TEST(SqlStatements, NonReservedKeywordsMayNameRoles) {
  EXPECT_EQ(parse("CREATE POLICY p ON t TO admin, level, key, integer, ilike;"),
            "(create-policy p t permissive all (to admin level key integer ilike))\n");
}

// ---------------------------------------------------------------------------------------------
// ALTER POLICY and DROP POLICY

TEST(SqlStatements, AlterPolicyRename) {
  Result<Script> result = parse_sql(kPath, "ALTER POLICY p ON s.t RENAME TO \"Q\";");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(to_sexpr(result.value()), "(alter-policy p s.t (rename-to \"Q\"))\n");
  const auto& alter = only_statement<AlterPolicy>(result);
  EXPECT_FALSE(alter.if_exists);
  EXPECT_FALSE(alter.roles.has_value());
  EXPECT_EQ(alter.rename_to->where.to_string(), "policies.sql:1:33");
}

TEST(SqlStatements, AlterPolicyIfExistsRename) {
  EXPECT_EQ(parse("ALTER POLICY IF EXISTS p ON t RENAME TO q;"), "(alter-policy p t if-exists (rename-to q))\n");
}

TEST(SqlStatements, AlterPolicyChangesClauses) {
  EXPECT_EQ(parse("ALTER POLICY p ON t TO alice, PUBLIC USING (a = 1) WITH CHECK (b = 2);\n"
                  "ALTER POLICY p ON t USING (true);\n"
                  "ALTER POLICY p ON t WITH CHECK (false);\n"
                  "ALTER POLICY p ON t TO CURRENT_USER;"),
            "(alter-policy p t (to alice public) (using (= a 1)) (with-check (= b 2)))\n"
            "(alter-policy p t (using true))\n"
            "(alter-policy p t (with-check false))\n"
            "(alter-policy p t (to current_user))\n");
}

TEST(SqlStatements, AlterPolicyWithNothingToChangeIsAccepted) {
  Result<Script> result = parse_sql(kPath, "ALTER POLICY p ON t;");
  ASSERT_TRUE(result.ok());
  const auto& alter = only_statement<AlterPolicy>(result);
  EXPECT_FALSE(alter.rename_to.has_value());
  EXPECT_FALSE(alter.roles.has_value());
  EXPECT_EQ(alter.using_expr, nullptr);
  EXPECT_EQ(alter.with_check, nullptr);
}

TEST(SqlStatements, DropPolicy) {
  EXPECT_EQ(parse("DROP POLICY p ON t; DROP POLICY IF EXISTS p ON s.t; DROP POLICY p ON t CASCADE; "
                  "DROP POLICY p ON t RESTRICT"),
            "(drop-policy p t)\n(drop-policy if-exists p s.t)\n(drop-policy p t)\n(drop-policy p t)\n");
}

TEST(SqlStatements, KeywordsThatArePolicyOrTableNames) {
  EXPECT_EQ(parse("DROP POLICY if ON policy; CREATE POLICY policy ON if; CREATE TABLE if (a int);"),
            "(drop-policy if policy)\n(create-policy policy if permissive all)\n(create-table if (column a integer))\n");
}

// ---------------------------------------------------------------------------------------------
// Scripts

TEST(SqlStatements, EmptyStatementsAndAMissingFinalSemicolon) {
  EXPECT_EQ(parse(";; CREATE POLICY p ON t;;\n;DROP POLICY p ON t"), "(create-policy p t permissive all)\n(drop-policy p t)\n");
}

TEST(SqlStatements, AnEmptyFileHasNoStatements) {
  Result<Script> result = parse_sql(kPath, "  -- nothing here\n/* at all */\n");
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result.value().statements.empty());
  EXPECT_TRUE(result.diagnostics().empty());
  EXPECT_EQ(result.value().path, "policies.sql");
}

TEST(SqlStatements, StatementsSitAtTheirFirstToken) {
  Result<Script> result = parse_sql(kPath, "CREATE TABLE t (a int);\n\n   CREATE POLICY p ON t;\n/* c */ DROP POLICY p ON t;");
  ASSERT_TRUE(result.ok());
  const auto& statements = result.value().statements;
  ASSERT_EQ(statements.size(), 3u);
  EXPECT_EQ(statements[0].where.to_string(), "policies.sql:1:1");
  EXPECT_EQ(statements[1].where.to_string(), "policies.sql:3:4");
  EXPECT_EQ(statements[2].where.to_string(), "policies.sql:4:9");
  const auto& policy = std::get<CreatePolicy>(statements[1].node);
  EXPECT_EQ(policy.name.where.to_string(), "policies.sql:3:18");
  EXPECT_EQ(policy.table.at(0).where.to_string(), "policies.sql:3:23");
}

TEST(SqlStatements, ParsesTheProductPageExample) {
  EXPECT_EQ(parse("CREATE TABLE documents (\n"
                  "  id bigint PRIMARY KEY,\n"
                  "  tenant_id uuid NOT NULL,\n"
                  "  title text\n"
                  ");\n"
                  "ALTER TABLE documents ENABLE ROW LEVEL SECURITY;\n"
                  "CREATE POLICY tenant_isolation ON documents\n"
                  "  USING (tenant_id = current_setting('app.tenant_id')::uuid);\n"),
            "(create-table documents (column id bigint primary-key) (column tenant_id uuid not-null) "
            "(column title text))\n"
            "(alter-table documents enable)\n"
            "(create-policy tenant_isolation documents permissive all "
            "(using (= tenant_id (cast (call current_setting 'app.tenant_id') uuid))))\n");
}

}  // namespace
}  // namespace weftkit::policy::sql
