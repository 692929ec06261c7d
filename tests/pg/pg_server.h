// A throwaway PostgreSQL 15 cluster for one test process: initdb into a fresh temporary
// directory, a server on a free loopback port (no Unix socket), stopped and deleted at the end.
#pragma once

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>

#include "tests/support/process_runner.h"

namespace weftkit::policy::pgtest {

class ThrowawayPostgres {
 public:
  // Creates the cluster and waits until it accepts connections. Throws std::runtime_error
  // with the server's log when it cannot. Binaries come from $WEFTKIT_PG_BINDIR or the
  // directory found at configure time.
  static std::unique_ptr<ThrowawayPostgres> start();

  ThrowawayPostgres(const ThrowawayPostgres&) = delete;
  ThrowawayPostgres& operator=(const ThrowawayPostgres&) = delete;
  // Stops the server (fast shutdown, then kill) and removes the directory.
  ~ThrowawayPostgres();

  // libpq connection string for the superuser.
  std::string superuser_conninfo() const;
  int port() const { return port_; }
  std::string log_text() const;

 private:
  ThrowawayPostgres() = default;
  void create_directory();
  void run_initdb();
  bool try_start_on_free_port();
  bool wait_until_ready();
  void stop();

  std::string bin_dir_;
  std::string directory_;  // holds data/ and server.log
  std::optional<weftkit::testing::RunAs> run_as_;
  pid_t postmaster_pid_ = -1;
  int port_ = 0;
};

}  // namespace weftkit::policy::pgtest
