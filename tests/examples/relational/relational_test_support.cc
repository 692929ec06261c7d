// Test support for the weftkit-relational tests (see relational_test_support.h).
#include "relational_test_support.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

extern char** environ;

namespace relational_test {
namespace {

// The child's environment: this process's, minus anything that would configure the engine or
// psql behind the test's back, plus the test's own variables.
std::vector<std::string> child_environment(const Environment& extra) {
  std::vector<std::string> entries;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string text = *entry;
    if (text.rfind("WEFTKIT_", 0) == 0 || text.rfind("PG", 0) == 0) continue;
    entries.push_back(text);
  }
  for (const auto& [name, value] : extra) entries.push_back(name + "=" + value);
  return entries;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& text : strings) out.push_back(text.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

CommandResult run_command(const std::vector<std::string>& argv, const Environment& environment, const std::string& input,
                          std::chrono::seconds timeout) {
  CommandResult result;
  int output_pipe[2], input_pipe[2];
  if (::pipe2(output_pipe, O_CLOEXEC) != 0 || ::pipe2(input_pipe, O_CLOEXEC) != 0) return result;
  std::vector<std::string> arguments = argv;
  std::vector<std::string> variables = child_environment(environment);
  std::vector<char*> argument_pointers = pointers(arguments);
  std::vector<char*> variable_pointers = pointers(variables);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(input_pipe[0], 0);
    ::dup2(output_pipe[1], 1);
    ::dup2(output_pipe[1], 2);
    ::execvpe(argument_pointers[0], argument_pointers.data(), variable_pointers.data());
    ::_exit(127);
  }
  ::close(output_pipe[1]);
  ::close(input_pipe[0]);
  if (!input.empty()) (void)!::write(input_pipe[1], input.data(), input.size());
  ::close(input_pipe[1]);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  char buffer[4096];
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      ::kill(pid, SIGKILL);
      break;
    }
    pollfd waiting{output_pipe[0], POLLIN, 0};
    if (::poll(&waiting, 1, static_cast<int>(left.count())) <= 0) continue;
    const ssize_t got = ::read(output_pipe[0], buffer, sizeof buffer);
    if (got <= 0) break;
    result.output.append(buffer, static_cast<size_t>(got));
  }
  ::close(output_pipe[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

EngineProcess::~EngineProcess() { stop(); }

bool EngineProcess::start(const std::vector<std::string>& arguments, const Environment& environment,
                          const std::string& log_file) {
  stop();
  log_file_ = log_file;
  std::vector<std::string> argv = {WEFTKIT_RELATIONAL_ENGINE};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  std::vector<std::string> variables = child_environment(environment);
  std::vector<char*> argument_pointers = pointers(argv);
  std::vector<char*> variable_pointers = pointers(variables);
  const int log = ::open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (log < 0) return false;
  pid_ = ::fork();
  if (pid_ == 0) {
    ::dup2(log, 1);
    ::dup2(log, 2);
    ::execve(argument_pointers[0], argument_pointers.data(), variable_pointers.data());
    ::_exit(127);
  }
  ::close(log);
  const size_t log_start = read_file(log_file).size();
  const std::regex listening("listening on [^ ]*:([0-9]+)");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (std::chrono::steady_clock::now() < deadline) {
    std::smatch match;
    const std::string text = read_file(log_file).substr(std::min(log_start, read_file(log_file).size()));
    if (std::regex_search(text, match, listening)) {
      port_ = std::stoi(match[1]);
      return true;
    }
    if (!running()) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

bool EngineProcess::running() {
  if (pid_ <= 0) return false;
  int status = 0;
  if (::waitpid(pid_, &status, WNOHANG) == pid_) {
    pid_ = -1;
    return false;
  }
  return true;
}

void EngineProcess::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  int status = 0;
  for (int i = 0; i < 100; ++i) {
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

std::string EngineProcess::log() const { return read_file(log_file_); }

Workspace make_workspace(const TempDir& dir) {
  Workspace workspace{dir.file("roles.yaml"), dir.file("policies.sql"), dir.file("users"), dir.file("data")};
  write_file(workspace.roles, R"(roles:
  - name: exporter
    allow: [SELECT, "COPY TO"]
users:
  - name: alice
    roles: [read_write]
    tenant: tenant-001
  - name: bob
    roles: [read_write]
    tenant: tenant-002
  - name: rita
    roles: [read_only]
    tenant: tenant-001
  - name: admin
    roles: [schema_admin, read_write]
    tenant: tenant-001
  - name: auditor
    roles: [exporter]
    tenant: tenant-001
  - name: root
    roles: [superuser]
    tenant: tenant-001
)");
  write_file(workspace.policies, R"(-- The tenants' events: every session sees and writes its own tenant's rows only.
CREATE TABLE events (
  id        bigint NOT NULL,
  tenant_id text NOT NULL,
  kind      text,
  amount    integer
);
ALTER TABLE events ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON events
  USING (tenant_id = current_setting('app.tenant_id'));
)");
  auto scram = [](const std::string& password) {
    CommandResult hashed = run_command({WEFTKIT_POLICYC, "auth", "hash", "--scram"}, {}, password + "\n");
    std::string line = hashed.output.substr(0, hashed.output.find('\n'));
    return line;
  };
  auto first_line = [](const std::string& text) { return text.substr(0, text.find('\n')); };
  std::string users;
  users += "alice:" + scram(kAlicePassword) + "\n";
  users += first_line(run_command({"htpasswd", "-nbB", "bob", kBobPassword}).output) + "\n";
  users += "rita:" + first_line(run_command({"mkpasswd", "-m", "sha-512", kRitaPassword}).output) + "\n";
  users += "admin:" + scram(kAdminPassword) + "\n";
  users += "auditor:" + scram(kAuditorPassword) + "\n";
  users += "root:" + scram(kRootPassword) + "\n";
  write_file(workspace.users, users);
  return workspace;
}

Environment password_environment(const Workspace& workspace) {
  return {{"WEFTKIT_AUTH", "password"}, {"WEFTKIT_AUTH_USERS_FILE", workspace.users}, {"WEFTKIT_DATA_DIR", workspace.data_dir}};
}

std::vector<std::string> engine_arguments(const Workspace& workspace, bool dev_cleartext) {
  std::vector<std::string> arguments = {"--listen", "127.0.0.1:0", "--policy", workspace.roles, "--policy", workspace.policies};
  if (dev_cleartext) arguments.push_back("--dev-allow-cleartext-without-tls");
  return arguments;
}

CommandResult psql(const std::string& info, const std::vector<std::string>& commands, const Environment& environment) {
  std::vector<std::string> argv = {"psql", info, "-X", "-A", "-t"};
  for (const std::string& command : commands) {
    argv.push_back("-c");
    argv.push_back(command);
  }
  Environment variables = environment;
  variables["PGCONNECT_TIMEOUT"] = "10";
  return run_command(argv, variables);
}

std::string conninfo(int port, const std::string& user, const std::string& password, const std::string& extra) {
  return "host=localhost port=" + std::to_string(port) + " user=" + user + " password=" + password +
         " dbname=default " + extra;
}

std::optional<TestPki> make_test_pki(const TempDir& dir, const std::vector<std::pair<std::string, std::string>>& clients) {
  TestPki pki;
  pki.dir = dir.file("pki");
  std::filesystem::create_directories(pki.dir);
  pki.ca_cert = pki.dir + "/ca.crt";
  pki.server_cert = pki.dir + "/server.crt";
  pki.server_key = pki.dir + "/server.key";
  const std::string ca_key = pki.dir + "/ca.key";
  auto ok = [](const CommandResult& result) { return result.exit_code == 0; };
  if (!ok(run_command({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                       "-keyout", ca_key, "-out", pki.ca_cert, "-days", "2", "-subj", "/CN=WeftKit Test CA",
                       "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"}))) {
    return std::nullopt;
  }
  auto issue = [&](const std::string& name, const std::string& subject, const std::string& extensions) {
    const std::string key = pki.dir + "/" + name + ".key", csr = pki.dir + "/" + name + ".csr",
                      cert = pki.dir + "/" + name + ".crt", ext = pki.dir + "/" + name + ".ext";
    write_file(ext, extensions);
    return ok(run_command({"openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                           key, "-out", csr, "-subj", subject})) &&
           ok(run_command({"openssl", "x509", "-req", "-in", csr, "-CA", pki.ca_cert, "-CAkey", ca_key, "-CAcreateserial",
                           "-out", cert, "-days", "2", "-extfile", ext}));
  };
  if (!issue("server", "/CN=localhost",
             "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n")) {
    return std::nullopt;
  }
  for (const auto& [user, tenant] : clients) {
    if (!issue(user, "/O=" + tenant + "/CN=" + user, "extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\n")) {
      return std::nullopt;
    }
  }
  return pki;
}

int connect_loopback(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

bool send_bytes(int fd, const std::string& bytes) {
  return ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
}

std::string receive_for(int fd, std::chrono::milliseconds quiet) {
  std::string out;
  char buffer[4096];
  while (true) {
    pollfd waiting{fd, POLLIN, 0};
    if (::poll(&waiting, 1, static_cast<int>(quiet.count())) <= 0) break;
    const ssize_t got = ::recv(fd, buffer, sizeof buffer, 0);
    if (got <= 0) break;
    out.append(buffer, static_cast<size_t>(got));
  }
  return out;
}

std::string receive_until(int fd, const std::string& ending, std::chrono::milliseconds timeout) {
  std::string out;
  char buffer[4096];
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (out.size() < ending.size() || out.compare(out.size() - ending.size(), ending.size(), ending) != 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd waiting{fd, POLLIN, 0};
    if (::poll(&waiting, 1, static_cast<int>(left.count())) <= 0) break;
    const ssize_t got = ::recv(fd, buffer, sizeof buffer, 0);
    if (got <= 0) break;
    out.append(buffer, static_cast<size_t>(got));
  }
  return out;
}

std::string ready_for_query_idle() { return std::string("Z\0\0\0\x05I", 6); }

namespace {
std::string int32_bytes(int32_t value) {
  const uint32_t network = htonl(static_cast<uint32_t>(value));
  return std::string(reinterpret_cast<const char*>(&network), 4);
}
}  // namespace

std::string startup_packet(const std::string& user, const std::string& database) {
  std::string body = int32_bytes(196608) + "user" + std::string(1, '\0') + user + std::string(1, '\0') + "database" +
                     std::string(1, '\0') + database + std::string(2, '\0');
  return int32_bytes(static_cast<int32_t>(body.size() + 4)) + body;
}

std::string frontend_message(char type, const std::string& body) {
  return std::string(1, type) + int32_bytes(static_cast<int32_t>(body.size() + 4)) + body;
}

int open_descriptor_count(pid_t pid) {
  int count = 0;
  std::error_code error;
  for (auto it = std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", error);
       !error && it != std::filesystem::directory_iterator(); it.increment(error)) {
    ++count;
  }
  return count;
}

}  // namespace relational_test
