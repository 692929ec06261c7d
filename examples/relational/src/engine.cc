// The accept loop and the per-connection thread (see engine.h).
#include "engine.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "session.h"
#include "wire_messages.h"

namespace relational {
namespace {

std::string peer_address(const sockaddr_storage& address) {
  char host[INET6_ADDRSTRLEN] = "?";
  int port = 0;
  if (address.ss_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&address);
    inet_ntop(AF_INET, &v4->sin_addr, host, sizeof host);
    port = ntohs(v4->sin_port);
  } else if (address.ss_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&address);
    inet_ntop(AF_INET6, &v6->sin6_addr, host, sizeof host);
    port = ntohs(v6->sin6_port);
  }
  return std::string(host) + ":" + std::to_string(port);
}

}  // namespace

void serve_connection(int fd, std::string peer, EngineShared& engine) {
  ByteStream stream(fd);  // closes fd however the session ends
  run_session(stream, peer, engine);
}

void accept_connections(int listen_fd, EngineShared& engine, const std::atomic<bool>& stop,
                        const std::function<void()>& housekeeping) {
  while (!stop.load()) {
    housekeeping();
    pollfd waiting{listen_fd, POLLIN, 0};
    if (::poll(&waiting, 1, 200) <= 0) continue;
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    const int fd = ::accept4(listen_fd, reinterpret_cast<sockaddr*>(&address), &length, SOCK_CLOEXEC);
    if (fd < 0) continue;  // EMFILE, a client gone before accept: keep serving the others
    std::string peer = peer_address(address);
    // Bounded threads: past the limit a client is told so and closed, never queued.
    if (engine.connections.fetch_add(1) >= engine.max_connections) {
      engine.connections.fetch_sub(1);
      std::string refusal = error_response("53300", "sorry, too many clients already", "FATAL");
      (void)::send(fd, refusal.data(), refusal.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      ::close(fd);
      continue;
    }
    try {
      std::thread([fd, peer = std::move(peer), &engine] {
        serve_connection(fd, peer, engine);
        engine.connections.fetch_sub(1);
      }).detach();
    } catch (const std::system_error&) {  // no thread to be had: refuse this one connection
      engine.connections.fetch_sub(1);
      ::close(fd);
    }
  }
}

}  // namespace relational
