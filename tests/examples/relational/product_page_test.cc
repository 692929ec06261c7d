// The product page's commands, run as written with the real psql against the real engine.
#include <gtest/gtest.h>

#include "relational_test_support.h"

namespace relational_test {
namespace {

TEST(RelationalProductPage, PsqlConnectsAsAliceAndAsAliceAtTenantAndReadsEvents) {
  TempDir dir;
  Workspace workspace = make_workspace(dir);
  EngineProcess engine;
  ASSERT_TRUE(engine.start(engine_arguments(workspace), password_environment(workspace), dir.file("engine.log")))
      << engine.log();

  // psql "host=localhost port=P user=alice password=... dbname=default"
  CommandResult connected = psql(conninfo(engine.port(), "alice", kAlicePassword, ""),
                                 {"INSERT INTO events VALUES (1, 'tenant-001', 'signup', 10)", "SELECT current_user"});
  ASSERT_EQ(connected.exit_code, 0) << connected.output;
  EXPECT_NE(connected.output.find("INSERT 0 1"), std::string::npos) << connected.output;
  EXPECT_NE(connected.output.find("alice"), std::string::npos) << connected.output;

  // psql "... user=alice@tenant-001 ..." -c "SELECT * FROM events;"
  CommandResult events = psql(conninfo(engine.port(), "alice@tenant-001", kAlicePassword, ""), {"SELECT * FROM events;"});
  ASSERT_EQ(events.exit_code, 0) << events.output;
  EXPECT_EQ(events.output, "1|tenant-001|signup|10\n");
}

TEST(RelationalProductPage, PsqlShowsTheServerAsPostgres15WithItsTenantSetting) {
  TempDir dir;
  Workspace workspace = make_workspace(dir);
  EngineProcess engine;
  ASSERT_TRUE(engine.start(engine_arguments(workspace), password_environment(workspace), dir.file("engine.log")))
      << engine.log();
  CommandResult shown = psql(conninfo(engine.port(), "bob", kBobPassword),
                             {"SHOW server_version", "SHOW app.tenant_id", "SELECT current_setting('app.tenant_id')"});
  ASSERT_EQ(shown.exit_code, 0) << shown.output;
  EXPECT_EQ(shown.output, "15.0\ntenant-002\ntenant-002\n");
}

}  // namespace
}  // namespace relational_test
