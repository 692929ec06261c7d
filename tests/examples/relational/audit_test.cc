// WEFTKIT_AUDIT=true: logins (refused ones too), denials, schema changes, COPY TO exports and
// policy reloads are recorded in the
// hash-chained log, and weftkit-policyc audit verify accepts the log the engine wrote.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "relational_test_support.h"

namespace relational_test {
namespace {

TEST(RelationalAudit, LoginsRefusalsDenialsSchemaChangesExportsAndReloadsAreRecordedInAVerifiableLog) {
  TempDir dir;
  Workspace workspace = make_workspace(dir);
  Environment environment = password_environment(workspace);
  const std::string log = dir.file("audit.jsonl");
  environment["WEFTKIT_AUDIT"] = "true";
  environment["WEFTKIT_AUDIT_OUTPUT"] = log;
  environment["WEFTKIT_AUDIT_FSYNC"] = "always";
  EngineProcess engine;
  ASSERT_TRUE(engine.start(engine_arguments(workspace), environment, dir.file("engine.log"))) << engine.log();
  psql(conninfo(engine.port(), "alice", "wrong-password"), {"SELECT 1"});
  psql(conninfo(engine.port(), "rita", kRitaPassword), {"INSERT INTO events VALUES (1, 'tenant-001', 'x', 1)"});
  psql(conninfo(engine.port(), "admin", kAdminPassword), {"CREATE TABLE audited_notes (id integer)"});
  psql(conninfo(engine.port(), "auditor", kAuditorPassword), {"COPY events TO STDOUT"});
  psql(conninfo(engine.port(), "alice@tenant-002", kAlicePassword), {"SELECT 1"});  // not alice's tenant
  // An edit of the policy file is a policy_reload once the watcher has published it.
  write_file(workspace.policies, read_file(workspace.policies) + "-- edited\n");
  for (int attempt = 0; attempt < 100 && read_file(log).find("\"policy_reload\"") == std::string::npos; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  engine.stop();  // the writer flushes on the way out

  const std::string records = read_file(log);
  EXPECT_NE(records.find("\"auth\""), std::string::npos) << records;
  EXPECT_NE(records.find("\"authz_deny\""), std::string::npos) << records;
  EXPECT_NE(records.find("\"schema_change\""), std::string::npos) << records;
  EXPECT_NE(records.find("audited_notes"), std::string::npos) << records;
  EXPECT_NE(records.find("\"data_export\""), std::string::npos) << records;
  EXPECT_NE(records.find("\"policy_reload\""), std::string::npos) << records;
  EXPECT_NE(records.find("tenant_not_allowed"), std::string::npos) << records;
  EXPECT_EQ(records.find("wrong-password"), std::string::npos) << "a password reached the audit log";

  CommandResult verified = run_command({WEFTKIT_POLICYC, "audit", "verify", log});
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
  // A record edited after the fact is caught.
  std::string tampered = records;
  tampered.replace(tampered.find("audited_notes"), 13, "innocent_note");
  write_file(log, tampered);
  EXPECT_NE(run_command({WEFTKIT_POLICYC, "audit", "verify", log}).exit_code, 0);
}

}  // namespace
}  // namespace relational_test
