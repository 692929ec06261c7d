// main() of the PostgreSQL test binaries: GoogleTest plus the shared throwaway server.
#include <gtest/gtest.h>

#include <csignal>
#include <memory>
#include <optional>
#include <stdexcept>

#include "tests/pg/pg_server.h"
#include "tests/pg/pg_test_environment.h"

namespace weftkit::policy::pgtest {
namespace {

std::unique_ptr<ThrowawayPostgres> g_server;
std::string g_conninfo;
std::optional<std::string> g_start_failure;  // not retried for every test

// Stops the server after the last test, whether the tests passed or not.
class StopServerAfterTests : public ::testing::Environment {
 public:
  void TearDown() override { g_server.reset(); }
};

}  // namespace

const std::string& test_server_conninfo() {
  if (g_server) return g_conninfo;
  if (g_start_failure) throw std::runtime_error(*g_start_failure);
  try {
    g_server = ThrowawayPostgres::start();
  } catch (const std::exception& failure) {
    g_start_failure = std::string("cannot start a PostgreSQL server for the tests: ") + failure.what();
    throw std::runtime_error(*g_start_failure);
  }
  g_conninfo = g_server->superuser_conninfo();
  return g_conninfo;
}

}  // namespace weftkit::policy::pgtest

int main(int argc, char** argv) {
  // Output piped into a program that stops reading (| head) must not kill the tests before
  // they stop the server and remove its directory.
  std::signal(SIGPIPE, SIG_IGN);
  ::testing::InitGoogleTest(&argc, argv);
  ::testing::AddGlobalTestEnvironment(new weftkit::policy::pgtest::StopServerAfterTests);
  return RUN_ALL_TESTS();
}
