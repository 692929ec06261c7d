// Policy files are watched: an edit is compiled and served while the engine runs, and a broken
// edit leaves the previous version serving.
#include <gtest/gtest.h>

#include <thread>

#include "relational_test_support.h"

namespace relational_test {
namespace {

// Retries `command` as `info` for up to 10 s until its output is `expected`; the last output.
std::string wait_for_output(const std::string& info, const std::string& command, const std::string& expected) {
  std::string output;
  for (int attempt = 0; attempt < 50; ++attempt) {
    output = psql(info, {command}).output;
    if (output == expected) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return output;
}

TEST(RelationalPolicyReload, PolicyFileEditedWhileTheEngineRunsIsPickedUp) {
  TempDir dir;
  Workspace workspace = make_workspace(dir);
  EngineProcess engine;
  ASSERT_TRUE(engine.start(engine_arguments(workspace), password_environment(workspace), dir.file("engine.log")));
  const std::string alice = conninfo(engine.port(), "alice", kAlicePassword);
  ASSERT_EQ(psql(alice, {"INSERT INTO events VALUES (1, 'tenant-001', 'public', 1), (2, 'tenant-001', 'secret', 2)"}).output,
            "INSERT 0 2\n");
  ASSERT_EQ(psql(alice, {"SELECT id FROM events ORDER BY id"}).output, "1\n2\n");

  // A restrictive policy appended: secret events disappear for everyone.
  write_file(workspace.policies, read_file(workspace.policies) +
                                     "CREATE POLICY hide_secrets ON events AS RESTRICTIVE FOR SELECT\n"
                                     "  USING (kind <> 'secret');\n");
  EXPECT_EQ(wait_for_output(alice, "SELECT id FROM events ORDER BY id", "1\n"), "1\n") << engine.log();

  // roles.yaml edited: rita becomes read_write and may now insert.
  std::string roles = read_file(workspace.roles);
  roles.replace(roles.find("roles: [read_only]"), std::string("roles: [read_only]").size(), "roles: [read_write]");
  write_file(workspace.roles, roles);
  const std::string rita = conninfo(engine.port(), "rita", kRitaPassword);
  EXPECT_EQ(wait_for_output(rita, "INSERT INTO events VALUES (3, 'tenant-001', 'by rita', 3)", "INSERT 0 1\n"),
            "INSERT 0 1\n")
      << engine.log();

  // A broken edit is rejected; the last good version keeps serving.
  write_file(workspace.policies, read_file(workspace.policies) + "CREATE POLICY broken ON events USING (no_such_column = 1);\n");
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_NE(engine.log().find("rejected"), std::string::npos) << engine.log();
  EXPECT_EQ(psql(alice, {"SELECT id FROM events ORDER BY id"}).output, "1\n3\n");
}

}  // namespace
}  // namespace relational_test
