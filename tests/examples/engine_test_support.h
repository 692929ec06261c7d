// What the example engines' tests share: a loopback port, an engine process started and
// stopped around a test, clients (curl, psql) run with an environment of the test's choosing,
// and a test PKI made with the openssl command, as an operator would make one.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "tests/support/process_runner.h"

namespace weftkit::testing {

// A TCP port on 127.0.0.1 that nothing listens on at the moment of asking.
int free_loopback_port();

// NAME=value entries: this process's environment without any WEFTKIT_* variable (a developer's
// shell must not leak into a test), then `extra`.
std::vector<std::string> environment_with(const std::map<std::string, std::string>& extra);

// An engine started in the background, stopped (SIGTERM, then SIGKILL after 10 s) when
// destroyed. start() returns once the engine accepts connections on `port`, or throws with
// the engine's own output when it exits or does not listen within 20 s.
class EngineProcess {
 public:
  EngineProcess(std::string program, std::vector<std::string> arguments,
                std::map<std::string, std::string> environment, std::string log_path, int port);
  EngineProcess(const EngineProcess&) = delete;
  EngineProcess& operator=(const EngineProcess&) = delete;
  ~EngineProcess();

  void start();
  // Stops the engine and returns its exit status (-1 when a signal ended it).
  int stop();
  bool running();
  // What the engine printed so far (its standard output and error).
  std::string output() const;
  int port() const { return port_; }
  pid_t pid() const { return pid_; }

 private:
  std::string program_;
  std::vector<std::string> arguments_;
  std::map<std::string, std::string> environment_;
  std::string log_path_;
  int port_;
  pid_t pid_ = -1;
};

// Runs a client to completion (30 s at most) with environment_with(environment).
ProcessOutcome run_client(const std::string& program, const std::vector<std::string>& arguments,
                          const std::map<std::string, std::string>& environment = {},
                          std::chrono::milliseconds timeout = std::chrono::seconds(30));

// Files of a test PKI under one directory, made by the openssl command: a CA, a server
// certificate for localhost and 127.0.0.1, and client certificates signed by the CA.
struct TestPki {
  std::string directory;
  std::string ca_certificate;      // ca.crt
  std::string server_certificate;  // server.crt
  std::string server_key;          // server.key

  // Makes the CA and the server pair; throws with openssl's output when a command fails.
  static TestPki make(const std::string& directory);
  // A client pair signed by this CA (or by a CA of its own when `self_signed_ca` is set) with
  // subject CN=common_name, O=organization; returns {certificate, key} paths.
  std::pair<std::string, std::string> client(const std::string& common_name, const std::string& organization,
                                             bool self_signed_ca = false) const;
};

// A JWT signed with HS256 under `secret` (as WEFTKIT_JWT_SECRET takes it), with `claims` (a
// JSON object) as its payload.
std::string hs256_token(const std::string& secret, const std::string& claims);

// Writes `text` to `path`, throwing when it cannot.
void write_text(const std::string& path, const std::string& text);
std::string read_text(const std::string& path);

}  // namespace weftkit::testing
