#include "tls_listener.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace weftkit_kv {

weftkit::StatusOr<int> open_listener(const std::string& host, int port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  std::string service = std::to_string(port);
  if (int error = getaddrinfo(host.c_str(), service.c_str(), &hints, &found); error != 0) {
    return weftkit::Status(weftkit::StatusCode::kInvalidArgument,
                           "cannot listen on " + host + ":" + service + ": " + gai_strerror(error));
  }
  std::string why = "no address";
  for (addrinfo* address = found; address != nullptr; address = address->ai_next) {
    int fd = socket(address->ai_family, address->ai_socktype | SOCK_CLOEXEC, address->ai_protocol);
    if (fd < 0) continue;
    int yes = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (bind(fd, address->ai_addr, address->ai_addrlen) == 0 && listen(fd, 128) == 0) {
      freeaddrinfo(found);
      return fd;
    }
    why = std::strerror(errno);
    close(fd);
  }
  freeaddrinfo(found);
  return weftkit::Status(weftkit::StatusCode::kInvalidArgument, "cannot listen on " + host + ":" + service + ": " + why);
}

std::string peer_address_of(int socket) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (getpeername(socket, reinterpret_cast<sockaddr*>(&address), &length) != 0) return "unknown";
  char text[INET6_ADDRSTRLEN] = {};
  const void* bytes = address.ss_family == AF_INET6
                          ? static_cast<const void*>(&reinterpret_cast<sockaddr_in6*>(&address)->sin6_addr)
                          : static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(&address)->sin_addr);
  if (inet_ntop(address.ss_family, bytes, text, sizeof text) == nullptr) return "unknown";
  return text;
}

TlsConnection::TlsConnection(int socket, std::string peer_address, int idle_timeout_seconds)
    : socket_(socket), peer_address_(std::move(peer_address)) {
  timeval timeout{idle_timeout_seconds, 0};
  setsockopt(socket_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  setsockopt(socket_, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
}

TlsConnection::~TlsConnection() {
  if (ssl_ != nullptr) {
    SSL_shutdown(ssl_);
    SSL_free(ssl_);
  }
  close(socket_);
}

TlsConnection::Handshake TlsConnection::handshake(SSL_CTX* context, std::string& why) {
  ssl_ = SSL_new(context);
  if (ssl_ == nullptr || SSL_set_fd(ssl_, socket_) != 1) {
    why = "cannot make a TLS connection";
    return Handshake::kRefused;
  }
  ERR_clear_error();
  if (SSL_accept(ssl_) == 1) return Handshake::kDone;
  unsigned long error = ERR_get_error();
  // A failed handshake must not attempt a shutdown alert on a broken session.
  SSL_free(ssl_);
  ssl_ = nullptr;
  if (error == 0) {
    why = "the client closed the connection or went idle";
    return Handshake::kClientLeft;
  }
  char text[256];
  ERR_error_string_n(error, text, sizeof text);
  why = text;
  return Handshake::kRefused;
}

size_t TlsConnection::read(char* buffer, size_t size) {
  size_t got = 0;
  if (SSL_read_ex(ssl_, buffer, size, &got) != 1) return 0;
  return got;
}

bool TlsConnection::write_all(std::string_view bytes) {
  while (!bytes.empty()) {
    size_t written = 0;
    if (SSL_write_ex(ssl_, bytes.data(), bytes.size(), &written) != 1) return false;
    bytes.remove_prefix(written);
  }
  return true;
}

}  // namespace weftkit_kv
