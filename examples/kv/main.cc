// weftkit-kv: HTTPS key-value engine on the WeftKit Policy kernel. Reads the WEFTKIT_*
// variables, starts the kernel's services, then serves each accepted connection on a thread
// of its own until SIGTERM or SIGINT.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <thread>

#include "engine_options.h"
#include "item_routes.h"
#include "item_store.h"
#include "kernel_services.h"
#include "tls_listener.h"

namespace {

constexpr int kMaxConnections = 256;        // beyond it, new connections are closed at once
constexpr int kIdleTimeoutSeconds = 30;     // a client silent this long is dropped
std::atomic<int> active_connections{0};
int stop_pipe[2] = {-1, -1};

void request_stop(int) {
  char byte = 1;
  [[maybe_unused]] ssize_t ignored = write(stop_pipe[1], &byte, 1);
}

void serve_accepted(int socket, const weftkit_kv::KernelServices& kernel, weftkit_kv::ItemStore& items) {
  weftkit_kv::TlsConnection connection(socket, weftkit_kv::peer_address_of(socket), kIdleTimeoutSeconds);
  std::string why;
  // Each connection keeps the TLS context it started with, whatever reloads come later.
  switch (connection.handshake(kernel.tls->current().get(), why)) {
    case weftkit_kv::TlsConnection::Handshake::kDone:
      weftkit_kv::serve_connection(connection, kernel, items);
      break;
    case weftkit_kv::TlsConnection::Handshake::kRefused:
      // Refused before any login (an untrusted client certificate, not TLS at all): the login
      // backends never see it, so the engine records it as a failed login itself.
      if (kernel.audit && kernel.audit->wants(weftkit::audit::EventKind::kAuth)) {
        weftkit::audit::AuditEvent event;
        event.kind = weftkit::audit::EventKind::kAuth;
        event.operation = "TLS_HANDSHAKE";
        event.result = "failure";
        event.source_ip = connection.peer_address();
        event.auth_method = kernel.certificates ? "mtls" : "jwt";
        event.reason = "TLS handshake refused: " + why;
        kernel.audit->submit(std::move(event));
      }
      break;
    case weftkit_kv::TlsConnection::Handshake::kClientLeft:
      break;
  }
}

}  // namespace

int main(int argc, char** argv) {
  auto options = weftkit_kv::parse_engine_options(argc, argv);
  if (!options.is_ok()) {
    std::cerr << "weftkit-kv: " << options.status().message() << "\n" << weftkit_kv::kUsage;
    return 2;
  }
  auto kernel = weftkit_kv::start_kernel_services(options.value());
  if (!kernel.is_ok()) {
    std::cerr << "weftkit-kv: " << kernel.status().message() << "\n";
    return 1;
  }
  weftkit_kv::ItemStore items(kernel.value()->data_dir, kernel.value()->keyring, kernel.value()->audit);
  auto listener = weftkit_kv::open_listener(options.value().host, options.value().port);
  if (!listener.is_ok()) {
    std::cerr << "weftkit-kv: " << listener.status().message() << "\n";
    return 1;
  }
  if (pipe2(stop_pipe, O_CLOEXEC) != 0) return 1;
  signal(SIGPIPE, SIG_IGN);
  signal(SIGTERM, request_stop);
  signal(SIGINT, request_stop);
  std::cerr << "weftkit-kv: serving https://" << options.value().host << ":" << options.value().port << "/items\n";

  const weftkit_kv::KernelServices& services = *kernel.value();
  pollfd watched[2] = {{listener.value(), POLLIN, 0}, {stop_pipe[0], POLLIN, 0}};
  for (;;) {
    if (poll(watched, 2, -1) < 0) continue;  // EINTR from a signal: the pipe says what to do
    if (watched[1].revents != 0) break;
    if (watched[0].revents == 0) continue;
    int socket = accept4(listener.value(), nullptr, nullptr, SOCK_CLOEXEC);
    if (socket < 0) continue;
    if (active_connections.load() >= kMaxConnections) {
      close(socket);
      continue;
    }
    ++active_connections;
    std::thread([socket, &services, &items] {
      serve_accepted(socket, services, items);
      --active_connections;
    }).detach();
  }
  close(listener.value());
  // Connections in progress get a moment to finish; the kernel's services (and with them the
  // audit log's last records) are stopped only after they have.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (active_connections.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (active_connections.load() > 0) {
    // Threads still serving use the services: leave without destroying them under them.
    std::cerr << "weftkit-kv: stopping with " << active_connections.load() << " connections still open\n";
    if (kernel.value()->audit) kernel.value()->audit->stop();
    std::_Exit(0);
  }
  std::cerr << "weftkit-kv: stopped\n";
  return 0;
}
