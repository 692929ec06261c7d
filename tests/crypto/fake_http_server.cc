// The loopback HTTP server of the remote provider tests (see fake_http_server.h).
#include "tests/crypto/fake_http_server.h"

#include <arpa/inet.h>
#include <openssl/ssl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace weftkit::crypto::testing {
namespace {

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

std::string trim(const std::string& text) {
  std::size_t begin = text.find_first_not_of(" \t");
  std::size_t end = text.find_last_not_of(" \t\r");
  return begin == std::string::npos ? "" : text.substr(begin, end - begin + 1);
}

// Waits up to timeout_ms for data; false on timeout, error or end of stream. With ssl, bytes
// OpenSSL already holds are read without waiting on the socket.
bool read_some(int fd, SSL* ssl, std::string& into, int timeout_ms) {
  if (ssl == nullptr || SSL_pending(ssl) == 0) {
    pollfd waiting{fd, POLLIN, 0};
    if (::poll(&waiting, 1, timeout_ms) <= 0) return false;
  }
  char buffer[4096];
  ssize_t got = ssl != nullptr ? SSL_read(ssl, buffer, sizeof buffer) : ::recv(fd, buffer, sizeof buffer, 0);
  if (got <= 0) return false;
  into.append(buffer, static_cast<std::size_t>(got));
  return true;
}

bool send_all(int fd, SSL* ssl, const std::string& data) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    ssize_t n = ssl != nullptr ? SSL_write(ssl, data.data() + sent, static_cast<int>(data.size() - sent))
                               : ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

const char* reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Status";
  }
}

}  // namespace

const std::string* FakeRequest::header(const std::string& name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) return &value;
  }
  return nullptr;
}

int FakeRequest::header_count(const std::string& name) const {
  return static_cast<int>(std::count_if(headers.begin(), headers.end(), [&](const auto& h) { return h.first == name; }));
}

FakeHttpServer::FakeHttpServer(Handler handler, FakeTls tls) : handler_(std::move(handler)) {
  if (tls.enabled()) {
    SSL_CTX* context = SSL_CTX_new(TLS_server_method());
    if (context == nullptr || SSL_CTX_use_certificate_chain_file(context, tls.certificate.c_str()) != 1 ||
        SSL_CTX_use_PrivateKey_file(context, tls.key.c_str(), SSL_FILETYPE_PEM) != 1) {
      SSL_CTX_free(context);
      throw std::runtime_error("the fake server's certificate or key does not load");
    }
    tls_ = context;
    // SSL_write has no MSG_NOSIGNAL: a client that hangs up must not kill the test with SIGPIPE.
    ::signal(SIGPIPE, SIG_IGN);
  }
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listener_ < 0) throw std::runtime_error("socket failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;  // the kernel picks a free port
  socklen_t size = sizeof address;
  if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(listener_, 16) != 0 ||
      ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
    ::close(listener_);
    throw std::runtime_error("bind/listen on 127.0.0.1 failed");
  }
  port_ = ntohs(address.sin_port);
  thread_ = std::thread([this] { serve(); });
}

FakeHttpServer::~FakeHttpServer() {
  stopping_ = true;
  thread_.join();
  ::close(listener_);
  SSL_CTX_free(static_cast<SSL_CTX*>(tls_));
}

void FakeHttpServer::serve() {
  while (!stopping_) {
    pollfd waiting{listener_, POLLIN, 0};
    if (::poll(&waiting, 1, 20) <= 0) continue;
    int connection = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (connection < 0) continue;
    SSL* ssl = nullptr;
    if (tls_ != nullptr) {
      ssl = SSL_new(static_cast<SSL_CTX*>(tls_));
      SSL_set_fd(ssl, connection);
      // Blocking handshake, bounded by the socket's receive timeout so a client that never
      // speaks does not hold the server.
      timeval limit{2, 0};
      ::setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
      if (SSL_accept(ssl) != 1) {
        ++failed_handshakes_;
        SSL_free(ssl);
        ::close(connection);
        continue;
      }
    }
    answer(connection, ssl);
    if (ssl != nullptr) {
      SSL_shutdown(ssl);
      SSL_free(ssl);
    }
    ::close(connection);
  }
}

void FakeHttpServer::answer(int connection, void* tls_connection) {
  SSL* ssl = static_cast<SSL*>(tls_connection);
  std::string data;
  std::size_t header_end = std::string::npos;
  while ((header_end = data.find("\r\n\r\n")) == std::string::npos) {
    if (stopping_ || !read_some(connection, ssl, data, 2000)) return;
  }
  FakeRequest request;
  std::size_t line_end = data.find("\r\n");
  std::string request_line = data.substr(0, line_end);
  std::size_t space1 = request_line.find(' ');
  std::size_t space2 = request_line.find(' ', space1 + 1);
  request.method = request_line.substr(0, space1);
  request.target = request_line.substr(space1 + 1, space2 - space1 - 1);
  std::size_t at = line_end + 2;
  while (at < header_end) {
    std::size_t end = data.find("\r\n", at);
    std::string line = data.substr(at, end - at);
    std::size_t colon = line.find(':');
    if (colon != std::string::npos) request.headers.emplace_back(lowercase(line.substr(0, colon)), trim(line.substr(colon + 1)));
    at = end + 2;
  }
  std::size_t length = 0;
  if (const std::string* value = request.header("content-length")) length = std::stoul(*value);
  request.body = data.substr(header_end + 4);
  while (request.body.size() < length) {
    if (stopping_ || !read_some(connection, ssl, request.body, 2000)) return;
  }
  ++requests_;
  FakeReply reply = handler_(request);
  if (reply.never_answer) {
    // Hold the connection until the client gives up (it closes) or the test ends.
    std::string ignored;
    while (!stopping_) {
      pollfd waiting{connection, POLLIN, 0};
      if (::poll(&waiting, 1, 20) > 0 && !read_some(connection, ssl, ignored, 0)) return;
    }
    return;
  }
  std::string response = "HTTP/1.1 " + std::to_string(reply.status) + " " + reason(reply.status) +
                         "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(reply.body.size()) +
                         "\r\nConnection: close\r\n\r\n" + reply.body;
  send_all(connection, ssl, response);
}

}  // namespace weftkit::crypto::testing
