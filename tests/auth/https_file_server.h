// A real https file server for tests: `openssl s_server -WWW` serving one directory on
// 127.0.0.1 at a free port, started as a child process and killed by the destructor.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace weftkit::auth::testing {

class HttpsFileServer {
 public:
  // Serves the files of `directory` (created if missing) with the certificate chain and key
  // given; ready() says whether it accepted a connection within a few seconds.
  // `extra` is appended to s_server's arguments (-tls1_2, say).
  HttpsFileServer(std::string directory, const std::string& certificate, const std::string& key,
                  const std::vector<std::string>& extra = {});
  ~HttpsFileServer();
  HttpsFileServer(const HttpsFileServer&) = delete;
  HttpsFileServer& operator=(const HttpsFileServer&) = delete;

  bool ready() const { return ready_; }
  int port() const { return port_; }
  std::string url(const std::string& file) const { return "https://127.0.0.1:" + std::to_string(port_) + "/" + file; }
  // Replaces a served file atomically (written beside it, then renamed), so a request never
  // reads half a file.
  void serve(const std::string& file, const std::string& text) const;
  void stop();  // kills the server now (idempotent)
  std::string log() const;  // what s_server printed

 private:
  std::string directory_;
  std::string log_path_;
  pid_t pid_ = -1;
  int port_ = 0;
  bool ready_ = false;
};

}  // namespace weftkit::auth::testing
