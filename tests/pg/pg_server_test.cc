// The throwaway server: reachable on loopback only, fast settings, and gone without a trace
// when stopped.
#include <gtest/gtest.h>

#include <libpq-fe.h>

#include <filesystem>

#include "tests/pg/pg_connection.h"
#include "tests/pg/pg_server.h"
#include "tests/pg/pg_test_environment.h"

namespace weftkit::policy::pgtest {
namespace {

std::string show(PgConnection& connection, const std::string& setting) {
  QueryResult result = connection.exec_or_throw("SHOW " + setting);
  return result.rows.at(0).at(0).value_or("NULL");
}

TEST(ThrowawayPostgres, ListensOnLoopbackOnlyWithoutAUnixSocket) {
  PgConnection connection = PgConnection::open(test_server_conninfo());
  EXPECT_EQ(show(connection, "listen_addresses"), "127.0.0.1");
  EXPECT_EQ(show(connection, "unix_socket_directories"), "");
  EXPECT_EQ(show(connection, "fsync"), "off");
  EXPECT_EQ(show(connection, "server_version_num").substr(0, 2), "15");
}

TEST(ThrowawayPostgres, UsesUtf8AndTheCCollationThatPoliciesCompareTextWith) {
  PgConnection connection = PgConnection::open(test_server_conninfo());
  EXPECT_EQ(show(connection, "server_encoding"), "UTF8");
  EXPECT_EQ(show(connection, "lc_collate"), "C");
  EXPECT_EQ(connection.exec_or_throw("SELECT 'a' < 'B', 'é' > 'z'").rows,
            (std::vector<std::vector<std::optional<std::string>>>{{"f", "t"}}));
}

TEST(ThrowawayPostgres, StoppingRemovesTheDirectoryAndClosesThePort) {
  std::unique_ptr<ThrowawayPostgres> server = ThrowawayPostgres::start();
  std::string conninfo = server->superuser_conninfo();
  std::string data_directory = PgConnection::open(conninfo).exec_or_throw("SHOW data_directory").rows.at(0).at(0).value();
  ASSERT_TRUE(std::filesystem::exists(data_directory));
  server.reset();
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::path(data_directory).parent_path()));
  EXPECT_EQ(PQping(conninfo.c_str()), PQPING_NO_RESPONSE);
}

}  // namespace
}  // namespace weftkit::policy::pgtest
