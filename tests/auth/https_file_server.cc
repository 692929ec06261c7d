// s_server is spawned with its working directory set to the served directory (-WWW maps
// /name to ./name); readiness is a TCP connect, every wait bounded.
#include "tests/auth/https_file_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>
#include <vector>

#include "tests/auth/test_pki.h"

extern char** environ;

namespace weftkit::auth::testing {
namespace {

// A port the kernel just handed out; another process could take it before s_server binds, so
// the constructor tries a few.
int free_loopback_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  close(fd);
  return port;
}

bool accepts(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  const bool connected = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  close(fd);
  return connected;
}

}  // namespace

HttpsFileServer::HttpsFileServer(std::string directory, const std::string& certificate, const std::string& key,
                                 const std::vector<std::string>& extra)
    : directory_(std::move(directory)), log_path_(directory_ + ".s_server.log") {
  std::filesystem::create_directories(directory_);
  for (int attempt = 0; attempt < 3 && !ready_; ++attempt) {
    stop();
    port_ = free_loopback_port();
    if (port_ == 0) continue;
    std::vector<std::string> argv = {"openssl", "s_server", "-WWW", "-quiet", "-accept",
                                           "127.0.0.1:" + std::to_string(port_), "-cert", certificate, "-key", key};
    argv.insert(argv.end(), extra.begin(), extra.end());
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addchdir_np(&actions, directory_.c_str());
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    std::vector<char*> args;
    for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    pid_t pid = -1;
    const int spawned = posix_spawnp(&pid, "openssl", &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0) return;
    pid_ = pid;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {  // it exited: the port was taken, say
        pid_ = -1;
        break;
      }
      if (accepts(port_)) {
        ready_ = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
}

HttpsFileServer::~HttpsFileServer() {
  stop();
  std::error_code ignored;
  std::filesystem::remove(log_path_, ignored);
}

void HttpsFileServer::serve(const std::string& file, const std::string& text) const {
  const std::string path = directory_ + "/" + file;
  write_text(path + ".new", text);
  std::filesystem::rename(path + ".new", path);
}

void HttpsFileServer::stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  ready_ = false;
}

std::string HttpsFileServer::log() const { return read_text(log_path_); }

}  // namespace weftkit::auth::testing
