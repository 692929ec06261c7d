// A loopback HTTP/1.1 server for the remote key provider tests: one thread on 127.0.0.1 with an
// ephemeral port, one connection at a time, each answered by the test's handler and closed. A
// handler can also leave a request unanswered (to test the client's timeouts). Given a
// certificate and key it speaks https instead (OpenSSL), for the providers' TLS checks.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace weftkit::crypto::testing {

struct FakeRequest {
  std::string method;
  std::string target;  // path and query as sent
  std::vector<std::pair<std::string, std::string>> headers;  // names lowercased, in order
  std::string body;
  // The value of the header with this (lowercase) name; nullptr when absent.
  const std::string* header(const std::string& name) const;
  int header_count(const std::string& name) const;
};

struct FakeReply {
  int status = 200;
  std::string body;
  bool never_answer = false;  // hold the connection open without a reply until the server stops
};

// PEM files of the server's certificate chain and key; both empty: plain http.
struct FakeTls {
  std::string certificate;
  std::string key;
  bool enabled() const { return !certificate.empty(); }
};

class FakeHttpServer {
 public:
  using Handler = std::function<FakeReply(const FakeRequest&)>;
  explicit FakeHttpServer(Handler handler, FakeTls tls = {});
  ~FakeHttpServer();
  FakeHttpServer(const FakeHttpServer&) = delete;
  FakeHttpServer& operator=(const FakeHttpServer&) = delete;

  int port() const { return port_; }
  std::string url() const { return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_); }
  int requests() const { return requests_.load(); }
  // TLS handshakes the client gave up (it refused the certificate, say).
  int failed_handshakes() const { return failed_handshakes_.load(); }

 private:
  void serve();
  void answer(int connection, void* ssl);

  Handler handler_;
  void* tls_ = nullptr;  // SSL_CTX*, kept out of this header
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> requests_{0};
  std::atomic<int> failed_handshakes_{0};
  std::thread thread_;
};

}  // namespace weftkit::crypto::testing
