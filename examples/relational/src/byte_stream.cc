// Socket and TLS I/O (see byte_stream.h).
#include "byte_stream.h"

#include <openssl/err.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>

namespace relational {

ByteStream::ByteStream(int fd) : fd_(fd) {
  // A client that stops reading must not hold a thread forever.
  timeval send_timeout{30, 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &send_timeout, sizeof send_timeout);
  int on = 1;
  ::setsockopt(fd_, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
}

ByteStream::~ByteStream() {
  if (ssl_ != nullptr) {
    SSL_shutdown(ssl_);
    SSL_free(ssl_);
  }
  ::close(fd_);
}

void ByteStream::set_read_timeout(std::chrono::milliseconds timeout) {
  if (timeout == read_timeout_) return;
  read_timeout_ = timeout;
  timeval value{static_cast<time_t>(timeout.count() / 1000), static_cast<suseconds_t>(timeout.count() % 1000 * 1000)};
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &value, sizeof value);
}

bool ByteStream::read_exact(void* buffer, size_t size) {
  char* out = static_cast<char*>(buffer);
  while (size > 0) {
    if (ssl_ != nullptr) {
      size_t got = 0;
      if (SSL_read_ex(ssl_, out, size, &got) != 1) return false;
      out += got;
      size -= got;
      continue;
    }
    const ssize_t got = ::recv(fd_, out, size, 0);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    out += got;
    size -= static_cast<size_t>(got);
  }
  return true;
}

bool ByteStream::write_raw(const char* data, size_t size) {
  while (size > 0) {
    if (ssl_ != nullptr) {
      size_t sent = 0;
      if (SSL_write_ex(ssl_, data, size, &sent) != 1) return false;
      data += sent;
      size -= sent;
      continue;
    }
    const ssize_t sent = ::send(fd_, data, size, MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    if (sent <= 0) return false;
    data += sent;
    size -= static_cast<size_t>(sent);
  }
  return true;
}

bool ByteStream::flush() {
  const bool ok = write_raw(pending_.data(), pending_.size());
  pending_.clear();
  return ok;
}

weftkit::Status ByteStream::start_tls(const std::shared_ptr<SSL_CTX>& context) {
  if (!flush()) return weftkit::Status(weftkit::StatusCode::kInternal, "connection lost before the TLS handshake");
  SSL* ssl = SSL_new(context.get());
  if (ssl == nullptr || SSL_set_fd(ssl, fd_) != 1) {
    if (ssl) SSL_free(ssl);
    return weftkit::Status(weftkit::StatusCode::kInternal, "could not start TLS");
  }
  if (SSL_accept(ssl) != 1) {
    const unsigned long code = ERR_get_error();
    char reason[256] = "";
    if (code != 0) ERR_error_string_n(code, reason, sizeof reason);
    ERR_clear_error();
    SSL_free(ssl);
    // Without an OpenSSL error the client just left (or went idle); with one, TLS refused it.
    if (code == 0) return weftkit::Status(weftkit::StatusCode::kInternal, "the client left during the TLS handshake");
    return weftkit::Status(weftkit::StatusCode::kPermissionDenied, std::string("TLS handshake refused: ") + reason);
  }
  ssl_ = ssl;
  context_ = context;
  return weftkit::Status::ok();
}

}  // namespace relational
