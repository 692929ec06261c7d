// The wire protocol with clients psql would never be: extended-protocol messages, and hostile
// input (huge lengths, garbage after SSLRequest, clients stopping mid-message, connection
// storms). The engine answers or drops the one connection and keeps serving everyone else.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <thread>

#include "relational_test_support.h"

namespace relational_test {
namespace {

std::string int32_bytes(int32_t value) {
  const unsigned char bytes[4] = {static_cast<unsigned char>(value >> 24), static_cast<unsigned char>(value >> 16),
                                  static_cast<unsigned char>(value >> 8), static_cast<unsigned char>(value)};
  return std::string(reinterpret_cast<const char*>(bytes), 4);
}

class RelationalProtocol : public ::testing::Test {
 protected:
  void SetUp() override {
    workspace_ = make_workspace(dir_);
    ASSERT_TRUE(engine_.start(engine_arguments(workspace_), password_environment(workspace_), dir_.file("engine.log")));
  }
  // A raw connection logged in as bob (cleartext password, allowed by the development flag).
  int logged_in_bob() {
    const int fd = connect_loopback(engine_.port());
    EXPECT_GE(fd, 0);
    send_bytes(fd, startup_packet("bob"));
    std::string asked = receive_until(fd, std::string("R\0\0\0\x08\0\0\0\x03", 9));  // cleartext password, please
    EXPECT_EQ(asked.substr(0, 1), "R");
    send_bytes(fd, frontend_message('p', std::string(kBobPassword) + '\0'));
    std::string welcome = receive_until(fd, ready_for_query_idle());
    EXPECT_NE(welcome.find(std::string("Z") + int32_bytes(5) + "I"), std::string::npos);
    return fd;
  }
  bool still_serving() { return psql(conninfo(engine_.port(), "alice", kAlicePassword), {"SELECT 42"}).output == "42\n"; }

  TempDir dir_;
  Workspace workspace_;
  EngineProcess engine_;
};

TEST_F(RelationalProtocol, ExtendedQueryProtocolIsRefusedCleanlyAndTheSessionGoesOn) {
  const int fd = logged_in_bob();
  const std::string parse = frontend_message('P', std::string("\0SELECT 1\0\0\0", 12));
  const std::string bind = frontend_message('B', std::string(8, '\0'));
  const std::string execute = frontend_message('E', std::string(5, '\0'));
  const std::string sync = frontend_message('S', "");
  ASSERT_TRUE(send_bytes(fd, parse + bind + execute + sync));
  const std::string answer = receive_until(fd, ready_for_query_idle());
  EXPECT_NE(answer.find("extended query protocol is not supported; use the simple query protocol"), std::string::npos);
  EXPECT_NE(answer.find("0A000"), std::string::npos);
  EXPECT_EQ(answer.find("0A000"), answer.rfind("0A000")) << "one error for the whole batch, not one per message";
  EXPECT_EQ(answer.substr(answer.size() - 6), std::string("Z") + int32_bytes(5) + "I");
  ASSERT_TRUE(send_bytes(fd, frontend_message('Q', std::string("SELECT 'still here'\0", 20))));
  EXPECT_NE(receive_until(fd, ready_for_query_idle()).find("still here"), std::string::npos);
  ::close(fd);
}

TEST_F(RelationalProtocol, HostileClientsLeaveTheEngineServing) {
  const int descriptors_before = open_descriptor_count(engine_.pid());
  {  // a startup length of 2 GiB: refused without allocating it
    const int fd = connect_loopback(engine_.port());
    send_bytes(fd, int32_bytes(0x7fffffff) + "xxxx");
    EXPECT_EQ(receive_for(fd, std::chrono::milliseconds(3000)), "");
    ::close(fd);
  }
  {  // garbage right after the SSLRequest (no TLS configured: 'N', then the garbage is no packet)
    const int fd = connect_loopback(engine_.port());
    send_bytes(fd, int32_bytes(8) + int32_bytes(80877103) + std::string("\x16\x03\x01garbage-garbage-garbage"));
    EXPECT_EQ(receive_for(fd, std::chrono::milliseconds(3000)), "N");
    ::close(fd);
  }
  {  // a logged-in client announcing a 1 GiB query
    const int fd = logged_in_bob();
    send_bytes(fd, "Q" + int32_bytes(1 << 30) + "SELECT");
    EXPECT_EQ(receive_for(fd, std::chrono::milliseconds(3000)), "");
    ::close(fd);
  }
  {  // a client that stops in the middle of its startup packet and of a query, and stays connected
    const int stalled_startup = connect_loopback(engine_.port());
    send_bytes(stalled_startup, int32_bytes(40) + int32_bytes(196608) + "user");
    const int stalled_query = logged_in_bob();
    send_bytes(stalled_query, "Q" + int32_bytes(100) + "SELECT");
    EXPECT_TRUE(still_serving());
    ::close(stalled_startup);
    ::close(stalled_query);
  }
  // a storm of 1,000 connections opened and dropped at every stage
  for (int i = 0; i < 1000; ++i) {
    const int fd = connect_loopback(engine_.port());
    ASSERT_GE(fd, 0);
    if (i % 3 == 1) send_bytes(fd, startup_packet("alice"));
    if (i % 3 == 2) send_bytes(fd, int32_bytes(8));
    ::close(fd);
  }
  EXPECT_TRUE(still_serving());
  EXPECT_TRUE(engine_.running());
  // Every dropped connection's descriptor was closed (a little slack for threads finishing).
  int descriptors_after = 0;
  for (int attempt = 0; attempt < 50; ++attempt) {
    descriptors_after = open_descriptor_count(engine_.pid());
    if (descriptors_after <= descriptors_before + 2) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_LE(descriptors_after, descriptors_before + 2);
}

TEST_F(RelationalProtocol, GssEncRequestIsDeclinedAndCancelRequestIgnored) {
  const int fd = connect_loopback(engine_.port());
  ASSERT_TRUE(send_bytes(fd, int32_bytes(8) + int32_bytes(80877104)));
  EXPECT_EQ(receive_until(fd, "N"), "N");
  ASSERT_TRUE(send_bytes(fd, startup_packet("bob")));
  EXPECT_EQ(receive_until(fd, std::string("R\0\0\0\x08\0\0\0\x03", 9)).substr(0, 1), "R");  // asks for the password
  ::close(fd);
  const int cancel = connect_loopback(engine_.port());
  ASSERT_TRUE(send_bytes(cancel, int32_bytes(16) + int32_bytes(80877102) + int32_bytes(1) + int32_bytes(2)));
  EXPECT_EQ(receive_for(cancel, std::chrono::milliseconds(2000)), "");  // closed without a word
  ::close(cancel);
  EXPECT_TRUE(still_serving());
}

TEST_F(RelationalProtocol, ConcurrentSessionsLoseNoCommittedRow) {
  std::vector<std::thread> clients;
  for (int client = 0; client < 4; ++client) {
    clients.emplace_back([this, client] {
      std::vector<std::string> inserts;
      for (int row = 0; row < 5; ++row) {
        inserts.push_back("INSERT INTO events VALUES (" + std::to_string(client * 10 + row) + ", 'tenant-001', 'c', 1)");
      }
      psql(conninfo(engine_.port(), "alice", kAlicePassword), inserts);
    });
  }
  for (std::thread& client : clients) client.join();
  CommandResult rows = psql(conninfo(engine_.port(), "alice", kAlicePassword), {"SELECT id FROM events"});
  EXPECT_EQ(std::count(rows.output.begin(), rows.output.end(), '\n'), 20) << rows.output;
}

TEST_F(RelationalProtocol, AQueryStringStopsAtItsFirstErrorAndCommitsNothingOfIt) {
  const int fd = logged_in_bob();
  ASSERT_TRUE(send_bytes(fd, frontend_message('Q', std::string(" ; \0", 4))));
  EXPECT_EQ(receive_until(fd, ready_for_query_idle()), std::string("I") + int32_bytes(4) + "Z" + int32_bytes(5) + "I");
  const std::string three = "INSERT INTO events VALUES (1, 'tenant-002', 'a', 1); SELECT 1/0; "
                            "INSERT INTO events VALUES (2, 'tenant-002', 'b', 2)";
  ASSERT_TRUE(send_bytes(fd, frontend_message('Q', three + '\0')));
  const std::string answer = receive_until(fd, ready_for_query_idle());
  EXPECT_NE(answer.find("INSERT 0 1"), std::string::npos);
  EXPECT_NE(answer.find("22012"), std::string::npos);
  EXPECT_EQ(answer.find("INSERT 0 1"), answer.rfind("INSERT 0 1")) << "the statement after the error ran";
  ::close(fd);
  // One implicit transaction, as in PostgreSQL: the INSERT before the error is rolled back.
  EXPECT_EQ(psql(conninfo(engine_.port(), "bob", kBobPassword), {"SELECT id FROM events"}).output, "");
  EXPECT_EQ(psql(conninfo(engine_.port(), "bob", kBobPassword),
                 {"INSERT INTO events VALUES (5, 'tenant-002', 'x', 1); SELECT id FROM events"}).output,
            "INSERT 0 1\n5\n");
}

TEST_F(RelationalProtocol, TransactionBlocksCommitTogetherAndAnAbortedBlockCommitsNothing) {
  const std::string bob = conninfo(engine_.port(), "bob", kBobPassword);
  CommandResult rolled_back = psql(bob, {"BEGIN", "INSERT INTO events VALUES (1, 'tenant-002', 'a', 1)",
                                         "SELECT id FROM events", "ROLLBACK", "SELECT count_of_nothing FROM events"});
  EXPECT_EQ(rolled_back.output, "BEGIN\nINSERT 0 1\n1\nROLLBACK\nERROR:  column \"count_of_nothing\" does not exist\n");
  CommandResult aborted = psql(bob, {"BEGIN", "INSERT INTO events VALUES (2, 'tenant-002', 'b', 2)", "SELECT 1/0",
                                     "SELECT 1", "COMMIT"});
  EXPECT_NE(aborted.output.find("current transaction is aborted"), std::string::npos) << aborted.output;
  EXPECT_NE(aborted.output.find("ROLLBACK"), std::string::npos) << aborted.output;
  CommandResult committed = psql(bob, {"BEGIN", "INSERT INTO events VALUES (3, 'tenant-002', 'c', 3)", "COMMIT"});
  EXPECT_EQ(committed.output, "BEGIN\nINSERT 0 1\nCOMMIT\n");
  EXPECT_EQ(psql(bob, {"SELECT id FROM events"}).output, "3\n");
}

TEST_F(RelationalProtocol, AQueryLargerThanOneReadArrivesWhole) {
  std::string insert = "INSERT INTO events VALUES ";
  for (int id = 0; id < 3000; ++id) {
    insert += (id ? ", (" : "(") + std::to_string(id) + ", 'tenant-002', 'bulk row with some padding text', " +
              std::to_string(id % 7) + ")";
  }
  ASSERT_GT(insert.size(), 150'000u);
  // On psql's standard input: an argument this long is more than exec allows.
  CommandResult bulk = run_command({"psql", conninfo(engine_.port(), "bob", kBobPassword), "-X", "-A", "-t", "-f", "-"}, {},
                                   insert + ";\nSELECT id, amount FROM events WHERE amount = 6 ORDER BY id DESC LIMIT 2;\n");
  EXPECT_EQ(bulk.output, "INSERT 0 3000\n2995|6\n2988|6\n");
}

TEST_F(RelationalProtocol, HostileQueriesAreErrorsNotCrashes) {
  auto repeated = [](const std::string& piece, int times) {
    std::string out;
    for (int i = 0; i < times; ++i) out += piece;
    return out;
  };
  const std::string script = "SELECT " + repeated("(", 100000) + "1" + repeated(")", 100000) + ";\n" +
                             "SELECT 1" + repeated(" + 1", 100000) + ";\n" +
                             "SELECT " + repeated("NOT ", 100000) + "true;\n" +
                             "SELECT " + repeated("- ", 100000) + "1;\n" +
                             "SELECT " + repeated("(", 60) + "1" + repeated(")", 60) + repeated(" + 1", 400) + " AS deep;\n" +
                             "SELECT 'survived';\n";
  CommandResult hostile = run_command({"psql", conninfo(engine_.port(), "bob", kBobPassword), "-X", "-A", "-t", "-f", "-"},
                                      {}, script);
  size_t errors = 0;
  for (size_t at = hostile.output.find("ERROR:"); at != std::string::npos; at = hostile.output.find("ERROR:", at + 1)) ++errors;
  EXPECT_EQ(errors, 4u) << hostile.output.substr(0, 2000);
  EXPECT_NE(hostile.output.find("\n401\nsurvived"), std::string::npos) << hostile.output.substr(0, 2000);
  EXPECT_TRUE(engine_.running());
  EXPECT_TRUE(still_serving());
}

}  // namespace
}  // namespace relational_test
