// Load: two pgbench runs, one per tenant, through the simple query protocol while the policy
// file is replaced every 100 ms. No transaction may fail and no session may see a row of the
// other tenant; the latency percentiles are printed (and recorded in the engine's README).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "relational_test_support.h"

namespace relational_test {
namespace {

constexpr int kClientsPerTenant = 8;
constexpr int kTransactionsPerClient = 1250;  // 2 tenants x 8 clients x 1250 = 20,000
constexpr int kRowsPerTenant = 200;

std::string seed_rows(const std::string& tenant) {
  std::string statement = "INSERT INTO events VALUES ";
  for (int id = 1; id <= kRowsPerTenant; ++id) {
    statement += (id == 1 ? "" : ", ") + std::string("(") + std::to_string(id) + ", '" + tenant + "', 'seed', 0)";
  }
  return statement;
}

// Every id exists once in each tenant: a session that could see the other tenant's rows would
// get two rows for it, and \gset fails the transaction on anything but exactly one row.
std::string read_and_update_script() {
  return "\\set id random(1, " + std::to_string(kRowsPerTenant) + ")\n"
         "SELECT tenant_id FROM events WHERE id = :id \\gset\n"
         "UPDATE events SET amount = amount + 1 WHERE id = :id;\n";
}

std::string insert_script(const std::string& tenant) {
  return "\\set newid random(1000, 1000000000)\n"
         "INSERT INTO events VALUES (:newid, '" + tenant + "', 'load', 1);\n";
}

// The per-transaction latencies (microseconds, third field) of pgbench -l's files.
std::vector<long> latencies_under(const std::string& directory, const std::string& prefix) {
  std::vector<long> latencies;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    if (entry.path().filename().string().rfind(prefix, 0) != 0) continue;
    std::ifstream log(entry.path());
    std::string line;
    while (std::getline(log, line)) {
      std::istringstream fields(line);
      long client = 0, transaction = 0, latency = 0;
      if (fields >> client >> transaction >> latency) latencies.push_back(latency);
    }
  }
  std::sort(latencies.begin(), latencies.end());
  return latencies;
}

long percentile(const std::vector<long>& sorted, double fraction) {
  if (sorted.empty()) return -1;
  return sorted[std::min(sorted.size() - 1, static_cast<size_t>(fraction * static_cast<double>(sorted.size())))];
}

TEST(RelationalLoad, PgbenchOfTwoTenantsLosesNoTransactionAndSeesNoOtherTenantsRowWhileThePolicyReloadsEvery100Ms) {
  TempDir dir;
  Workspace workspace = make_workspace(dir);
  EngineProcess engine;
  ASSERT_TRUE(engine.start(engine_arguments(workspace), password_environment(workspace), dir.file("engine.log")))
      << engine.log();
  ASSERT_EQ(psql(conninfo(engine.port(), "alice", kAlicePassword), {seed_rows("tenant-001")}).exit_code, 0);
  ASSERT_EQ(psql(conninfo(engine.port(), "bob", kBobPassword), {seed_rows("tenant-002")}).exit_code, 0);
  write_file(dir.file("read_update.sql"), read_and_update_script());
  write_file(dir.file("insert-001.sql"), insert_script("tenant-001"));
  write_file(dir.file("insert-002.sql"), insert_script("tenant-002"));

  // The same policies in two spellings, renamed over the file as editors save it.
  const std::string policies = read_file(workspace.policies);
  std::atomic<bool> done{false};
  int reloads_written = 0;
  std::thread reloader([&] {
    while (!done.load()) {
      write_file(workspace.policies + ".new", policies + "-- edit " + std::to_string(reloads_written) + "\n");
      std::filesystem::rename(workspace.policies + ".new", workspace.policies);
      ++reloads_written;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  auto pgbench = [&](const std::string& user, const std::string& password, const std::string& insert_file,
                     const std::string& log_prefix) {
    return run_command({"pgbench", "-n", "-h", "127.0.0.1", "-p", std::to_string(engine.port()), "-U", user,
                        "-c", std::to_string(kClientsPerTenant), "-j", "2", "-t", std::to_string(kTransactionsPerClient),
                        "-M", "simple", "-f", dir.file("read_update.sql") + "@9", "-f", insert_file + "@1", "-l",
                        "--log-prefix=" + dir.file(log_prefix), "default"},
                       {{"PGPASSWORD", password}, {"PGSSLMODE", "disable"}}, {}, std::chrono::seconds(900));
  };
  CommandResult first, second;
  std::thread tenant_two([&] { second = pgbench("bob@tenant-002", kBobPassword, dir.file("insert-002.sql"), "bench-002"); });
  first = pgbench("alice@tenant-001", kAlicePassword, dir.file("insert-001.sql"), "bench-001");
  tenant_two.join();
  done = true;
  reloader.join();

  const std::string all = std::to_string(kClientsPerTenant * kTransactionsPerClient);
  for (const CommandResult* run : {&first, &second}) {
    EXPECT_EQ(run->exit_code, 0) << run->output;
    EXPECT_NE(run->output.find("number of transactions actually processed: " + all + "/" + all), std::string::npos)
        << run->output;
    EXPECT_NE(run->output.find("number of failed transactions: 0 "), std::string::npos) << run->output;
  }
  EXPECT_GE(reloads_written, 10);
  // Afterwards neither tenant holds a row of the other.
  CommandResult foreign = psql(conninfo(engine.port(), "alice", kAlicePassword),
                               {"SELECT id FROM events WHERE tenant_id = 'tenant-002'"});
  EXPECT_EQ(foreign.exit_code, 0) << foreign.output;
  EXPECT_EQ(foreign.output, "");

  std::vector<long> latencies = latencies_under(dir.path(), "bench-");
  EXPECT_EQ(latencies.size(), 2u * kClientsPerTenant * kTransactionsPerClient);
  std::cout << "[ stats ] " << latencies.size() << " transactions, " << reloads_written
            << " policy files written; latency us p50 " << percentile(latencies, 0.50) << ", p95 "
            << percentile(latencies, 0.95) << ", p99 " << percentile(latencies, 0.99) << ", max "
            << (latencies.empty() ? -1 : latencies.back()) << "\n";
}

}  // namespace
}  // namespace relational_test
