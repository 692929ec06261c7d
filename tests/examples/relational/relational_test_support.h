// What the weftkit-relational tests share: temporary directories, running processes (the real
// engine, the real psql, openssl) with their output, the tests' policies and users, a test PKI,
// and raw sockets for the clients psql would never be.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/scratch_directory.h"

namespace relational_test {

using Environment = std::map<std::string, std::string>;

// A fresh directory, removed with everything in it when the object goes.
class TempDir : public weftkit::testing::ScratchDirectory {
 public:
  TempDir() : ScratchDirectory("weftkit-relational-test-") {}
  std::string file(const std::string& name) const { return path() + "/" + name; }
};

void write_file(const std::string& path, const std::string& text);
std::string read_file(const std::string& path);

struct CommandResult {
  int exit_code = -1;  // -1: killed after the timeout, or could not start
  std::string output;  // stdout and stderr together
};

// Runs argv[0] (looked up on PATH) with `environment` added to this process's (WEFTKIT_* and
// PG* variables of this process are left out) and `input` on stdin.
CommandResult run_command(const std::vector<std::string>& argv, const Environment& environment = {},
                          const std::string& input = {}, std::chrono::seconds timeout = std::chrono::seconds(20));

// The engine as a child process listening on a free loopback port (--listen 127.0.0.1:0).
class EngineProcess {
 public:
  EngineProcess() = default;
  ~EngineProcess();
  EngineProcess(const EngineProcess&) = delete;
  EngineProcess& operator=(const EngineProcess&) = delete;

  // True once it printed its port; false if it exited or said nothing within 15 s.
  bool start(const std::vector<std::string>& arguments, const Environment& environment, const std::string& log_file);
  void stop();  // SIGTERM, then waits
  bool running();
  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  std::string log() const;

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::string log_file_;
};

// The tests' users and tenants: alice (read_write, tenant-001, SCRAM), bob (read_write,
// tenant-002, bcrypt), rita (read_only, tenant-001, sha-512 crypt), admin (schema_admin and
// read_write, tenant-001, SCRAM), auditor (analyst-like: SELECT and COPY TO, tenant-001).
// The events table is tenant-isolated by the policy file.
struct Workspace {
  std::string roles;     // roles.yaml
  std::string policies;  // policies.sql
  std::string users;     // the users file
  std::string data_dir;
};
Workspace make_workspace(const TempDir& dir);
inline const char* kAlicePassword = "alice-secret-1";
inline const char* kBobPassword = "bob-secret-2";
inline const char* kRitaPassword = "rita-secret-3";
inline const char* kAdminPassword = "admin-secret-4";
inline const char* kAuditorPassword = "auditor-secret-5";
inline const char* kRootPassword = "root-secret-6";  // root: superuser of tenant-001

// WEFTKIT_AUTH=password over the workspace's users file and data directory.
Environment password_environment(const Workspace& workspace);
// The engine arguments for the workspace's policy files, with the development flag.
std::vector<std::string> engine_arguments(const Workspace& workspace, bool dev_cleartext = true);

// psql -X -A -t (unaligned, tuples only) with the given conninfo and -c commands.
CommandResult psql(const std::string& conninfo, const std::vector<std::string>& commands,
                   const Environment& environment = {});
std::string conninfo(int port, const std::string& user, const std::string& password,
                     const std::string& extra = "sslmode=disable");

// A CA, a server certificate for localhost/127.0.0.1 and client certificates (CN user, O
// tenant), made with the openssl command.
struct TestPki {
  std::string ca_cert;
  std::string server_cert, server_key;
  std::string client_cert(const std::string& name) const { return dir + "/" + name + ".crt"; }
  std::string client_key(const std::string& name) const { return dir + "/" + name + ".key"; }
  std::string dir;
};
std::optional<TestPki> make_test_pki(const TempDir& dir, const std::vector<std::pair<std::string, std::string>>& clients);

// Raw protocol clients.
int connect_loopback(int port);  // -1 on failure
bool send_bytes(int fd, const std::string& bytes);
// Whatever arrives until the peer closes or `quiet` passes without bytes.
std::string receive_for(int fd, std::chrono::milliseconds quiet);
// Whatever arrives until it ends with `ending`, the peer closes, or `timeout` passes: fast when
// the answer comes, patient on a loaded machine.
std::string receive_until(int fd, const std::string& ending, std::chrono::milliseconds timeout = std::chrono::seconds(10));
// The ending of every answer to a query in an idle session: ReadyForQuery('I').
std::string ready_for_query_idle();
std::string startup_packet(const std::string& user, const std::string& database = "default");
std::string frontend_message(char type, const std::string& body);
// Open descriptors of a process (/proc/PID/fd).
int open_descriptor_count(pid_t pid);

}  // namespace relational_test
