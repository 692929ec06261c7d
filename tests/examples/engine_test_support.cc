#include "tests/examples/engine_test_support.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace weftkit::testing {
namespace {

sockaddr_in loopback(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

bool accepts_connections(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in address = loopback(port);
  bool connected = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  close(fd);
  return connected;
}

std::string must_run(const std::vector<std::string>& command, const std::string& directory) {
  ProcessSpec spec{command.front(), {command.begin() + 1, command.end()}, directory, std::nullopt, std::nullopt};
  ProcessOutcome outcome = run_to_completion(spec, std::chrono::seconds(60));
  if (outcome.exit_code != 0) {
    std::string line;
    for (const std::string& part : command) line += part + " ";
    throw std::runtime_error(line + "failed (" + describe_outcome(outcome) + "):\n" + outcome.out + outcome.err);
  }
  return outcome.out;
}

}  // namespace

int free_loopback_port() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  sockaddr_in address = loopback(0);
  socklen_t length = sizeof address;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    close(fd);
    throw std::runtime_error(std::string("bind: ") + std::strerror(errno));
  }
  close(fd);
  return ntohs(address.sin_port);
}

std::vector<std::string> environment_with(const std::map<std::string, std::string>& extra) {
  std::vector<std::string> entries;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string_view text(*entry);
    std::string_view name = text.substr(0, text.find('='));
    if (name.starts_with("WEFTKIT_") || extra.count(std::string(name)) != 0) continue;
    entries.emplace_back(text);
  }
  for (const auto& [name, value] : extra) entries.push_back(name + "=" + value);
  return entries;
}

EngineProcess::EngineProcess(std::string program, std::vector<std::string> arguments,
                             std::map<std::string, std::string> environment, std::string log_path, int port)
    : program_(std::move(program)),
      arguments_(std::move(arguments)),
      environment_(std::move(environment)),
      log_path_(std::move(log_path)),
      port_(port) {}

EngineProcess::~EngineProcess() { stop(); }

void EngineProcess::start() {
  ProcessSpec spec{program_, arguments_, "", std::nullopt, environment_with(environment_)};
  pid_ = start_in_background(spec, log_path_, SIGKILL);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!accepts_connections(port_)) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error(program_ + " exited before listening on port " + std::to_string(port_) + ":\n" +
                               output());
    }
    if (std::chrono::steady_clock::now() > deadline) {
      stop();
      throw std::runtime_error(program_ + " did not listen on port " + std::to_string(port_) + " within 20 s:\n" +
                               output());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

bool EngineProcess::running() {
  if (pid_ < 0) return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) {
    pid_ = -1;
    return false;
  }
  return true;
}

int EngineProcess::stop() {
  if (pid_ < 0) return -1;
  kill(pid_, SIGTERM);
  int status = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (waitpid(pid_, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string EngineProcess::output() const { return read_text(log_path_); }

ProcessOutcome run_client(const std::string& program, const std::vector<std::string>& arguments,
                          const std::map<std::string, std::string>& environment, std::chrono::milliseconds timeout) {
  std::string path = program;
  if (path.find('/') == std::string::npos) {
    for (const char* directory : {"/usr/bin/", "/bin/", "/usr/local/bin/"}) {
      if (access((directory + program).c_str(), X_OK) == 0) {
        path = directory + program;
        break;
      }
    }
  }
  ProcessSpec spec{path, arguments, "", std::nullopt, environment_with(environment)};
  return run_to_completion(spec, timeout);
}

TestPki TestPki::make(const std::string& directory) {
  TestPki pki{directory, directory + "/ca.crt", directory + "/server.crt", directory + "/server.key"};
  must_run({"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=WeftKit test CA", "-addext",
            "basicConstraints=critical,CA:true", "-addext", "keyUsage=critical,keyCertSign,cRLSign"},
           directory);
  write_text(directory + "/server.ext",
             "subjectAltName=DNS:localhost,IP:127.0.0.1\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n");
  write_text(directory + "/client.ext", "keyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n");
  must_run({"/usr/bin/openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
            "server.key", "-out", "server.csr", "-subj", "/CN=localhost"},
           directory);
  must_run({"/usr/bin/openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", "server.ext"},
           directory);
  return pki;
}

std::pair<std::string, std::string> TestPki::client(const std::string& common_name, const std::string& organization,
                                                    bool self_signed_ca) const {
  std::string stem = "client-" + common_name + (self_signed_ca ? "-untrusted" : "");
  std::string ca = "ca";
  if (self_signed_ca) {
    ca = stem + "-ca";
    must_run({"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
              "-keyout", ca + ".key", "-out", ca + ".crt", "-days", "2", "-subj", "/CN=Someone else's CA", "-addext",
              "basicConstraints=critical,CA:true", "-addext", "keyUsage=critical,keyCertSign,cRLSign"},
             directory);
  }
  must_run({"/usr/bin/openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
            stem + ".key", "-out", stem + ".csr", "-subj", "/CN=" + common_name + "/O=" + organization},
           directory);
  must_run({"/usr/bin/openssl", "x509", "-req", "-in", stem + ".csr", "-CA", ca + ".crt", "-CAkey", ca + ".key",
            "-CAcreateserial", "-out", stem + ".crt", "-days", "2", "-extfile", "client.ext"},
           directory);
  return {directory + "/" + stem + ".crt", directory + "/" + stem + ".key"};
}

namespace {

std::string base64url(std::string_view bytes) {
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  size_t index = 0;
  for (; index + 2 < bytes.size(); index += 3) {
    uint32_t group = (uint8_t(bytes[index]) << 16) | (uint8_t(bytes[index + 1]) << 8) | uint8_t(bytes[index + 2]);
    for (int shift = 18; shift >= 0; shift -= 6) out += alphabet[(group >> shift) & 63];
  }
  if (bytes.size() - index == 1) {
    uint32_t group = uint8_t(bytes[index]) << 16;
    out += alphabet[(group >> 18) & 63];
    out += alphabet[(group >> 12) & 63];
  } else if (bytes.size() - index == 2) {
    uint32_t group = (uint8_t(bytes[index]) << 16) | (uint8_t(bytes[index + 1]) << 8);
    out += alphabet[(group >> 18) & 63];
    out += alphabet[(group >> 12) & 63];
    out += alphabet[(group >> 6) & 63];
  }
  return out;
}

}  // namespace

std::string hs256_token(const std::string& secret, const std::string& claims) {
  std::string signing_input = base64url(R"({"alg":"HS256","typ":"JWT"})") + "." + base64url(claims);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_size = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size(), mac, &mac_size);
  return signing_input + "." + base64url(std::string_view(reinterpret_cast<const char*>(mac), mac_size));
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path);
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace weftkit::testing
