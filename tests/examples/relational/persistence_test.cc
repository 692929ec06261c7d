// Storage: committed rows survive a restart; with WEFTKIT_ENCRYPTION=aes-256-gcm no value a
// client inserted appears in any file of the data directory.
#include <gtest/gtest.h>

#include <filesystem>

#include "relational_test_support.h"

namespace relational_test {
namespace {

TEST(RelationalPersistence, RestartKeepsCommittedRows) {
  TempDir dir;
  Workspace workspace = make_workspace(dir);
  {
    EngineProcess engine;
    ASSERT_TRUE(engine.start(engine_arguments(workspace), password_environment(workspace), dir.file("engine.log")));
    ASSERT_EQ(psql(conninfo(engine.port(), "alice", kAlicePassword),
                   {"INSERT INTO events VALUES (7, 'tenant-001', 'kept', 70)"}).output,
              "INSERT 0 1\n");
    ASSERT_EQ(psql(conninfo(engine.port(), "admin", kAdminPassword), {"CREATE TABLE notes (id integer, body text)",
                                                                      "INSERT INTO notes VALUES (1, 'remember me')"}).output,
              "CREATE TABLE\nINSERT 0 1\n");
  }  // stopped
  EngineProcess restarted;
  ASSERT_TRUE(restarted.start(engine_arguments(workspace), password_environment(workspace), dir.file("engine.log")));
  EXPECT_EQ(psql(conninfo(restarted.port(), "alice", kAlicePassword), {"SELECT * FROM events", "SELECT * FROM notes"}).output,
            "7|tenant-001|kept|70\n1|remember me\n");
  // Another tenant's connection sees none of it after the restart either.
  EXPECT_EQ(psql(conninfo(restarted.port(), "bob", kBobPassword), {"SELECT * FROM events", "SELECT * FROM notes"}).output,
            "");
}

// Every regular file under `root` that contains `needle`.
std::vector<std::string> files_containing(const std::string& root, const std::string& needle) {
  std::vector<std::string> found;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (entry.is_regular_file() && read_file(entry.path().string()).find(needle) != std::string::npos) {
      found.push_back(entry.path().string());
    }
  }
  return found;
}

TEST(RelationalPersistence, EncryptedDataDirectoryHoldsNoPlaintextOfInsertedValues) {
  TempDir dir;
  Workspace workspace = make_workspace(dir);
  Environment environment = password_environment(workspace);
  environment["WEFTKIT_ENCRYPTION"] = "aes-256-gcm";
  environment["WEFTKIT_KEY_PROVIDER"] = "env";
  environment["WEFTKIT_KEY"] = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";  // base64 of 32 test bytes
  EngineProcess engine;
  ASSERT_TRUE(engine.start(engine_arguments(workspace), environment, dir.file("engine.log"))) << engine.log();
  const std::string marker = "PLAINTEXT-MARKER-4f1c";
  ASSERT_EQ(psql(conninfo(engine.port(), "alice", kAlicePassword),
                 {"INSERT INTO events VALUES (11, 'tenant-001', '" + marker + "', 424242)"}).output,
            "INSERT 0 1\n");
  ASSERT_EQ(psql(conninfo(engine.port(), "bob", kBobPassword),
                 {"INSERT INTO events VALUES (12, 'tenant-002', '" + marker + "-bob', 1)"}).output,
            "INSERT 0 1\n");
  EXPECT_EQ(files_containing(workspace.data_dir, marker), std::vector<std::string>{});
  engine.stop();
  // Restarted with the same key, the rows read back; each tenant its own.
  ASSERT_TRUE(engine.start(engine_arguments(workspace), environment, dir.file("engine.log"))) << engine.log();
  EXPECT_EQ(psql(conninfo(engine.port(), "alice", kAlicePassword), {"SELECT kind, amount FROM events"}).output,
            marker + "|424242\n");
  EXPECT_EQ(psql(conninfo(engine.port(), "bob", kBobPassword), {"SELECT kind FROM events"}).output, marker + "-bob\n");
  engine.stop();
  // With another master key the engine refuses to serve the data directory at all.
  environment["WEFTKIT_KEY"] = "ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=";
  EXPECT_FALSE(engine.start(engine_arguments(workspace), environment, dir.file("engine-wrong-key.log")));
}

// A page of another tenant, even placed where the connection's own table should be, is
// refused before it is decrypted, and the attempt is audited as a tenant violation.
TEST(RelationalPersistence, NeitherAUserNorASuperuserOfATenantCanReadAnotherTenantsPages) {
  TempDir dir;
  Workspace workspace = make_workspace(dir);
  Environment environment = password_environment(workspace);
  environment["WEFTKIT_ENCRYPTION"] = "aes-256-gcm";
  environment["WEFTKIT_KEY"] = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
  environment["WEFTKIT_AUDIT"] = "true";
  environment["WEFTKIT_AUDIT_OUTPUT"] = dir.file("audit.jsonl");
  EngineProcess engine;
  ASSERT_TRUE(engine.start(engine_arguments(workspace), environment, dir.file("engine.log"))) << engine.log();
  ASSERT_EQ(psql(conninfo(engine.port(), "alice", kAlicePassword), {"INSERT INTO events VALUES (1, 'tenant-001', 'alice-row', 1)"}).output,
            "INSERT 0 1\n");
  ASSERT_EQ(psql(conninfo(engine.port(), "bob", kBobPassword), {"INSERT INTO events VALUES (2, 'tenant-002', 'bob-row', 2)"}).output,
            "INSERT 0 1\n");
  engine.stop();
  // The tenant directories are the hex of the tenant names, the table file the hex of its name.
  const std::string alice_table = workspace.data_dir + "/tenants/t-74656e616e742d303031/6576656e7473.table";
  const std::string bob_table = workspace.data_dir + "/tenants/t-74656e616e742d303032/6576656e7473.table";
  ASSERT_FALSE(read_file(bob_table).empty());
  std::filesystem::copy_file(bob_table, alice_table, std::filesystem::copy_options::overwrite_existing);
  ASSERT_TRUE(engine.start(engine_arguments(workspace), environment, dir.file("engine.log"))) << engine.log();
  CommandResult alice = psql(conninfo(engine.port(), "alice", kAlicePassword), {"\\set VERBOSITY verbose", "SELECT * FROM events"});
  EXPECT_EQ(alice.output.find("bob-row"), std::string::npos) << alice.output;
  EXPECT_NE(alice.output.find("42501"), std::string::npos) << alice.output;
  // Nor can a superuser of tenant-001: row-level security does not bind it, the page's tenant does.
  CommandResult root = psql(conninfo(engine.port(), "root@tenant-001", kRootPassword),
                            {"\\set VERBOSITY verbose", "SELECT * FROM events WHERE tenant_id = 'tenant-002'"});
  EXPECT_EQ(root.output.find("bob-row"), std::string::npos) << root.output;
  EXPECT_NE(root.output.find("42501"), std::string::npos) << root.output;
  engine.stop();
  EXPECT_NE(read_file(dir.file("audit.jsonl")).find("tenant_violation"), std::string::npos);
}

}  // namespace
}  // namespace relational_test
