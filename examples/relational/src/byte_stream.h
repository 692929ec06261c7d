// A connection's bytes: a TCP socket, upgraded in place to TLS after an SSLRequest. Reads are
// unbuffered below TLS, so nothing a client sent after its SSLRequest can be mistaken for
// data protected by the handshake that follows. Writes are buffered until flush().
#pragma once

#include <openssl/ssl.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include <weftkit/status.h>

namespace relational {

class ByteStream {
 public:
  explicit ByteStream(int fd);
  ~ByteStream();  // shuts TLS down and closes the socket
  ByteStream(const ByteStream&) = delete;
  ByteStream& operator=(const ByteStream&) = delete;

  // False on end of stream, an error, or a read timeout.
  bool read_exact(void* buffer, size_t size);
  void write(std::string_view bytes) { pending_ += bytes; }
  bool flush();

  // How long a read may wait for bytes; zero waits forever (an idle session between queries).
  void set_read_timeout(std::chrono::milliseconds timeout);

  // Runs the server side of the TLS handshake on this socket: kPermissionDenied when OpenSSL
  // refused it (its reason in the message), kInternal when the client left.
  weftkit::Status start_tls(const std::shared_ptr<SSL_CTX>& context);
  bool is_tls() const { return ssl_ != nullptr; }
  SSL* ssl() const { return ssl_; }

 private:
  bool write_raw(const char* data, size_t size);

  int fd_;
  SSL* ssl_ = nullptr;
  std::shared_ptr<SSL_CTX> context_;  // kept alive while ssl_ uses it
  std::string pending_;
  std::chrono::milliseconds read_timeout_{-1};
};

}  // namespace relational
