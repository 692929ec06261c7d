// Every statement's permission is checked through the connection's SecurityContext (roles.yaml),
// and the statements psql users run most answer as PostgreSQL does.
#include <gtest/gtest.h>

#include "relational_test_support.h"

namespace relational_test {
namespace {

class RelationalPermissions : public ::testing::Test {
 protected:
  void SetUp() override {
    workspace_ = make_workspace(dir_);
    ASSERT_TRUE(engine_.start(engine_arguments(workspace_), password_environment(workspace_), dir_.file("engine.log")))
        << engine_.log();
  }
  std::string as(const std::string& user, const std::string& password) { return conninfo(engine_.port(), user, password); }
  TempDir dir_;
  Workspace workspace_;
  EngineProcess engine_;
};

TEST_F(RelationalPermissions, ReadOnlyUserInsertFailsWith42501) {
  CommandResult rita = psql(as("rita", kRitaPassword),
                            {"\\set VERBOSITY verbose", "INSERT INTO events VALUES (1, 'tenant-001', 'x', 1)"});
  EXPECT_NE(rita.output.find("42501"), std::string::npos) << rita.output;
  EXPECT_NE(rita.output.find("permission denied for table events"), std::string::npos) << rita.output;
  CommandResult read = psql(as("rita", kRitaPassword), {"SELECT count_rows FROM events"});
  EXPECT_NE(read.output.find("column \"count_rows\" does not exist"), std::string::npos) << read.output;
}

TEST_F(RelationalPermissions, CreateTableIsASchemaChangeOnlySchemaAdminsMayMake) {
  CommandResult alice = psql(as("alice", kAlicePassword), {"\\set VERBOSITY verbose", "CREATE TABLE notes (id integer)"});
  EXPECT_NE(alice.output.find("42501"), std::string::npos) << alice.output;
  CommandResult admin = psql(as("admin", kAdminPassword),
                             {"CREATE TABLE notes (id integer, body text, done boolean, due date)",
                              "INSERT INTO notes (id, body, due) VALUES (1, 'write tests', '2026-12-08'), (2, NULL, NULL)",
                              "SELECT id, body IS NULL, done, due FROM notes ORDER BY id DESC"});
  EXPECT_EQ(admin.output, "CREATE TABLE\nINSERT 0 2\n2|t||\n1|f||2026-12-08\n");
}

TEST_F(RelationalPermissions, UpdateDeleteOrderByLimitAndCopyFollowPostgres) {
  CommandResult alice = psql(as("alice", kAlicePassword),
                             {"INSERT INTO events VALUES (1, 'tenant-001', 'a', 10), (2, 'tenant-001', 'b', 20), "
                              "(3, 'tenant-001', 'c', NULL)",
                              "UPDATE events SET amount = amount * 2 + 1 WHERE amount > 10 OR kind = 'c'",
                              "DELETE FROM events WHERE id = 1",
                              "SELECT id, amount FROM events ORDER BY amount DESC LIMIT 1",
                              "SELECT id FROM events WHERE amount IS NULL"});
  EXPECT_EQ(alice.output, "INSERT 0 3\nUPDATE 2\nDELETE 1\n3|\n3\n") << alice.output;
  CommandResult ordered = psql(as("alice", kAlicePassword),
                               {"SELECT kind, coalesce(amount, 0) AS total FROM events ORDER BY 2 DESC",
                                "SELECT kind FROM events ORDER BY total", "SELECT id AS n FROM events ORDER BY n DESC LIMIT 1"});
  EXPECT_EQ(ordered.output, "b|41\nc|0\nERROR:  column \"total\" does not exist\n3\n") << ordered.output;
  // COPY TO needs its own permission (alice's read_write has none), the exporter role has it.
  CommandResult denied = psql(as("alice", kAlicePassword), {"COPY events TO STDOUT"});
  EXPECT_NE(denied.output.find("permission denied"), std::string::npos) << denied.output;
  CommandResult copied = psql(as("auditor", kAuditorPassword), {"COPY events TO STDOUT"});
  EXPECT_EQ(copied.output, "2\ttenant-001\tb\t41\n3\ttenant-001\tc\t\\N\n") << copied.output;
  // psql's \copy spelling, and the options form with a column list.
  CommandResult csv = psql(as("auditor", kAuditorPassword),
                           {"\\copy events to stdout csv header", "COPY events (amount, id) TO STDOUT WITH (FORMAT csv, DELIMITER ';')"});
  EXPECT_EQ(csv.output, "id,tenant_id,kind,amount\n2,tenant-001,b,41\n3,tenant-001,c,\n41;2\n;3\n") << csv.output;
}

TEST_F(RelationalPermissions, DataAndSyntaxErrorsCarryTheirSqlstate) {
  CommandResult errors = psql(as("alice", kAlicePassword),
                              {"\\set VERBOSITY verbose", "SELECT * FROM missing", "SELEC 1", "SELECT 1/0",
                               "INSERT INTO events VALUES ('one', 'tenant-001', 'x', 1)", "SELECT 'ok'"});
  EXPECT_NE(errors.output.find("42P01"), std::string::npos) << errors.output;
  EXPECT_NE(errors.output.find("42601"), std::string::npos) << errors.output;
  EXPECT_NE(errors.output.find("22012"), std::string::npos) << errors.output;
  EXPECT_NE(errors.output.find("22P02"), std::string::npos) << errors.output;
  EXPECT_NE(errors.output.find("\nok\n"), std::string::npos) << errors.output;
}

}  // namespace
}  // namespace relational_test
