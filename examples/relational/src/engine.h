// What every connection shares: the policy store, the auth backend, the TLS context, the
// catalog and the storage; and the accept loop that gives each connection its own thread.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include <weftkit/auth/tls_server.h>
#include <weftkit/policy_runtime.h>

#include "catalog.h"
#include "engine_auth.h"
#include "executor.h"
#include "page_storage.h"

namespace relational {

struct EngineShared {
  std::shared_ptr<weftkit::PolicyStore> store;
  EngineAuth auth;
  std::unique_ptr<weftkit::auth::TlsServerContext> tls;  // null: SSLRequest is answered 'N'
  std::unique_ptr<Catalog> catalog;
  TableLocks locks;
  std::unique_ptr<StorageBackend> storage;
  size_t max_connections = 200;
  std::atomic<size_t> connections{0};
};

// Serves one accepted socket to its end (takes the descriptor over).
void serve_connection(int fd, std::string peer, EngineShared& engine);

// Accepts on `listen_fd` until `stop` is set, one detached thread per connection;
// `housekeeping` runs between accepts, at least every 200 ms.
void accept_connections(int listen_fd, EngineShared& engine, const std::atomic<bool>& stop,
                        const std::function<void()>& housekeeping);

}  // namespace relational
