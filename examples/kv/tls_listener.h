// The socket side of the engine: a listening TCP socket, and one TLS 1.3 connection per
// accepted client, made with the kernel's TLS context (weftkit/auth/tls_server.h).
#pragma once

#include <openssl/ssl.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include <weftkit/status.h>

namespace weftkit_kv {

// A listening socket on host:port (IPv4 or IPv6 literal, or "localhost").
weftkit::StatusOr<int> open_listener(const std::string& host, int port);

class TlsConnection {
 public:
  // Takes the accepted socket; `idle_timeout_seconds` bounds every read and write, so a client
  // that stops mid-message releases its thread.
  TlsConnection(int socket, std::string peer_address, int idle_timeout_seconds);
  ~TlsConnection();
  TlsConnection(const TlsConnection&) = delete;
  TlsConnection& operator=(const TlsConnection&) = delete;

  // The handshake: done, the client left (or went idle) before finishing it, or OpenSSL
  // refused it (`why`: its reason, e.g. a client certificate of an unknown CA, or not TLS).
  enum class Handshake { kDone, kClientLeft, kRefused };
  Handshake handshake(SSL_CTX* context, std::string& why);
  // Up to `size` bytes; 0 at the end of the stream, on a timeout or an error.
  size_t read(char* buffer, size_t size);
  bool write_all(std::string_view bytes);

  SSL* ssl() const { return ssl_; }
  const std::string& peer_address() const { return peer_address_; }

 private:
  int socket_;
  SSL* ssl_ = nullptr;
  std::string peer_address_;
};

// "127.0.0.1" or "::1" for an accepted socket's peer.
std::string peer_address_of(int socket);

}  // namespace weftkit_kv
