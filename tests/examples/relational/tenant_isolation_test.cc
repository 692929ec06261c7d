// Tenants: a connection's tenant comes from its login and decides which rows every statement
// sees and writes, whatever the SQL says.
#include <gtest/gtest.h>

#include "relational_test_support.h"

namespace relational_test {
namespace {

class RelationalTenants : public ::testing::Test {
 protected:
  void SetUp() override {
    workspace_ = make_workspace(dir_);
    ASSERT_TRUE(engine_.start(engine_arguments(workspace_), password_environment(workspace_), dir_.file("engine.log")))
        << engine_.log();
    CommandResult alice = psql(as_alice(), {"INSERT INTO events VALUES (1, 'tenant-001', 'a1', 1), (2, 'tenant-001', 'a2', 2)"});
    ASSERT_EQ(alice.exit_code, 0) << alice.output;
    CommandResult bob = psql(as_bob(), {"INSERT INTO events VALUES (3, 'tenant-002', 'b1', 3)"});
    ASSERT_EQ(bob.exit_code, 0) << bob.output;
  }
  std::string as_alice() { return conninfo(engine_.port(), "alice@tenant-001", kAlicePassword); }
  std::string as_bob() { return conninfo(engine_.port(), "bob", kBobPassword); }

  TempDir dir_;
  Workspace workspace_;
  EngineProcess engine_;
};

TEST_F(RelationalTenants, PsqlSeesOnlyItsTenantsRowsWhateverTheWhereClause) {
  CommandResult alice = psql(as_alice(), {"SELECT id FROM events ORDER BY id",
                                          "SELECT * FROM events WHERE tenant_id = 'tenant-002'",
                                          "SELECT id FROM events WHERE tenant_id = 'tenant-002' OR true ORDER BY id"});
  EXPECT_EQ(alice.output.find("3"), std::string::npos) << alice.output;
  EXPECT_NE(alice.output.find("1\n2\n"), std::string::npos) << alice.output;
  CommandResult bob = psql(as_bob(), {"SELECT id, tenant_id FROM events WHERE tenant_id <> 'nobody' ORDER BY id",
                                      "SELECT e.id FROM events AS e WHERE e.tenant_id = 'tenant-001' OR e.id < 100"});
  ASSERT_EQ(bob.exit_code, 0) << bob.output;
  EXPECT_EQ(bob.output, "3|tenant-002\n3\n");
}

TEST_F(RelationalTenants, WritingIntoAnotherTenantIsRefusedAndUpdatesNeverReachItsRows) {
  CommandResult insert = psql(as_alice(), {"INSERT INTO events VALUES (9, 'tenant-002', 'sneaky', 0)"});
  EXPECT_NE(insert.output.find("new row violates row-level security policy for table \"events\""), std::string::npos)
      << insert.output;
  CommandResult update = psql(as_alice(), {"UPDATE events SET amount = 100 WHERE tenant_id = 'tenant-002'",
                                           "DELETE FROM events WHERE id = 3"});
  EXPECT_EQ(update.output, "UPDATE 0\nDELETE 0\n");
  CommandResult bob = psql(as_bob(), {"SELECT id, amount FROM events"});
  EXPECT_EQ(bob.output, "3|3\n");
}

TEST_F(RelationalTenants, SettingAppTenantIdToAnotherTenantIsRefusedWith42501) {
  CommandResult set = psql(as_alice(), {"\\set VERBOSITY verbose", "SET app.tenant_id = 'tenant-002'"});
  EXPECT_NE(set.output.find("42501"), std::string::npos) << set.output;
  CommandResult same = psql(as_alice(), {"SET app.tenant_id = 'tenant-001'", "SHOW app.tenant_id"});
  EXPECT_EQ(same.output, "SET\ntenant-001\n");
}

TEST_F(RelationalTenants, ALoginNamingATenantTheUserDoesNotHaveIsRefused) {
  CommandResult refused = psql(conninfo(engine_.port(), "alice@tenant-002", kAlicePassword), {"SELECT 1"});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.output.find("authentication failed"), std::string::npos) << refused.output;
}

}  // namespace
}  // namespace relational_test
