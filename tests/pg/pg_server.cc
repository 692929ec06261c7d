// Server lifecycle. Settings favour speed over durability: the data is thrown away anyway.
#include "tests/pg/pg_server.h"

#include <arpa/inet.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#ifndef WEFTKIT_PG_BINDIR
#error "WEFTKIT_PG_BINDIR must be defined by the build"
#endif

namespace weftkit::policy::pgtest {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr auto kInitdbTimeout = 120s;
constexpr auto kStartTimeout = 60s;
constexpr auto kStopTimeout = 30s;
constexpr const char* kSuperuser = "postgres";

std::string bin_dir() {
  const char* from_environment = std::getenv("WEFTKIT_PG_BINDIR");
  return from_environment && *from_environment ? from_environment : WEFTKIT_PG_BINDIR;
}

// Asks the kernel for a free loopback port; another process may take it before the server
// does, which start() handles by retrying.
int pick_free_port() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    int error = errno;
    close(fd);
    throw std::runtime_error(std::string("cannot find a free port: ") + std::strerror(error));
  }
  close(fd);
  return ntohs(address.sin_port);
}

std::vector<std::string> child_environment() {
  // A fixed C locale: initdb's defaults and the server's messages must not depend on the host.
  return {"LC_ALL=C", "LANG=C", "PATH=/usr/bin:/bin", "TZ=UTC"};
}

constexpr const char* kDirectoryPrefix = "weftkit-pg-";
constexpr const char* kCaseDirectoryPrefix = "weftkit-pg-case-";  // differential_test.cc
constexpr auto kStaleAfter = std::chrono::hours(1);

// A test process that was killed (a crash, a ctest timeout) cannot remove its directory; its
// server died with it (see the parent-death signal). Remove such leftovers: old enough that no
// starting server can own them, and no live postmaster named in postmaster.pid.
void remove_stale_directories() {
  std::error_code error;
  for (const fs::directory_entry& entry : fs::directory_iterator(fs::temp_directory_path(), error)) {
    // Server directories (weftkit-pg-XXXXXX) and the differential test's (weftkit-pg-case-XXXXXX).
    std::string name = entry.path().filename().string();
    size_t prefix = name.starts_with(kCaseDirectoryPrefix) ? std::strlen(kCaseDirectoryPrefix) : std::strlen(kDirectoryPrefix);
    if (!name.starts_with(kDirectoryPrefix) || name.size() != prefix + 6) continue;
    auto modified = fs::last_write_time(entry.path(), error);
    if (error || fs::file_time_type::clock::now() - modified < kStaleAfter) continue;
    std::ifstream pid_file(entry.path() / "data" / "postmaster.pid");
    pid_t pid = 0;
    if (pid_file >> pid && pid > 0 && (kill(pid, 0) == 0 || errno == EPERM)) continue;
    fs::remove_all(entry.path(), error);
  }
}

}  // namespace

std::unique_ptr<ThrowawayPostgres> ThrowawayPostgres::start() {
  std::unique_ptr<ThrowawayPostgres> server(new ThrowawayPostgres());
  server->bin_dir_ = bin_dir();
  if (!fs::exists(fs::path(server->bin_dir_) / "initdb")) {
    throw std::runtime_error("PostgreSQL binaries not found in " + server->bin_dir_ +
                             " (install Debian's postgresql package or set WEFTKIT_PG_BINDIR)");
  }
  if (geteuid() == 0) {
    // initdb and postgres refuse to run as root.
    server->run_as_ = weftkit::testing::lookup_account("postgres");
    if (!server->run_as_) throw std::runtime_error("running as root but there is no 'postgres' user to run the server as");
  }
  remove_stale_directories();
  server->create_directory();
  server->run_initdb();
  for (int attempt = 0; attempt < 5; ++attempt) {
    if (server->try_start_on_free_port()) return server;
  }
  throw std::runtime_error("PostgreSQL did not start; server log:\n" + server->log_text());
}

ThrowawayPostgres::~ThrowawayPostgres() {
  stop();
  std::error_code ignored;
  if (!directory_.empty()) fs::remove_all(directory_, ignored);
}

std::string ThrowawayPostgres::superuser_conninfo() const {
  return "host=127.0.0.1 port=" + std::to_string(port_) + " user=" + kSuperuser +
         " dbname=postgres connect_timeout=10 application_name=weftkit_pg_tests";
}

std::string ThrowawayPostgres::log_text() const {
  std::ifstream log(fs::path(directory_) / "server.log");
  std::stringstream text;
  text << log.rdbuf();
  return text.str();
}

void ThrowawayPostgres::create_directory() {
  std::string pattern = (fs::temp_directory_path() / (std::string(kDirectoryPrefix) + "XXXXXX")).string();
  if (mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("mkdtemp " + pattern + ": " + std::strerror(errno));
  }
  directory_ = pattern;
  if (run_as_ && chown(directory_.c_str(), run_as_->uid, run_as_->gid) != 0) {
    throw std::runtime_error("chown " + directory_ + ": " + std::strerror(errno));
  }
}

void ThrowawayPostgres::run_initdb() {
  weftkit::testing::ProcessSpec spec;
  spec.program = bin_dir_ + "/initdb";
  spec.arguments = {"--pgdata=" + directory_ + "/data", "--username=" + std::string(kSuperuser),
                    "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync", "--no-instructions"};
  spec.working_directory = directory_;
  spec.run_as = run_as_;
  spec.environment = child_environment();
  weftkit::testing::ProcessOutcome outcome = weftkit::testing::run_to_completion(spec, kInitdbTimeout);
  if (outcome.exit_code != 0) {
    throw std::runtime_error("initdb failed (" + weftkit::testing::describe_outcome(outcome) + "):\n" + outcome.out + outcome.err);
  }
}

bool ThrowawayPostgres::try_start_on_free_port() {
  port_ = pick_free_port();
  weftkit::testing::ProcessSpec spec;
  spec.program = bin_dir_ + "/postgres";
  spec.arguments = {"-D", directory_ + "/data",
                    "-c", "listen_addresses=127.0.0.1",
                    "-c", "port=" + std::to_string(port_),
                    "-c", "unix_socket_directories=",
                    "-c", "fsync=off",
                    "-c", "synchronous_commit=off",
                    "-c", "full_page_writes=off",
                    "-c", "autovacuum=off",
                    "-c", "max_connections=20",
                    "-c", "shared_buffers=32MB",
                    "-c", "lc_messages=C",
                    "-c", "log_min_messages=warning",
                    "-c", "TimeZone=UTC"};
  spec.working_directory = directory_;
  spec.run_as = run_as_;
  spec.environment = child_environment();
  // SIGQUIT is PostgreSQL's immediate shutdown: if the test process is killed, so is the server.
  postmaster_pid_ = weftkit::testing::start_in_background(spec, directory_ + "/server.log", SIGQUIT);
  if (wait_until_ready()) return true;
  stop();
  return false;
}

bool ThrowawayPostgres::wait_until_ready() {
  auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  std::string conninfo = superuser_conninfo();
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(postmaster_pid_, &status, WNOHANG) == postmaster_pid_) {
      postmaster_pid_ = -1;  // exited, e.g. the port was taken meanwhile
      return false;
    }
    if (PQping(conninfo.c_str()) == PQPING_OK) return true;
    std::this_thread::sleep_for(50ms);
  }
  return false;
}

void ThrowawayPostgres::stop() {
  if (postmaster_pid_ <= 0) return;
  // SIGINT is "fast" shutdown: disconnects clients and exits without waiting for them.
  kill(postmaster_pid_, SIGINT);
  auto deadline = std::chrono::steady_clock::now() + kStopTimeout;
  int status = 0;
  while (waitpid(postmaster_pid_, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(postmaster_pid_, SIGKILL);
      waitpid(postmaster_pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(20ms);
  }
  postmaster_pid_ = -1;
}

}  // namespace weftkit::policy::pgtest
