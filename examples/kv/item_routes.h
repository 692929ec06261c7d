// The REST interface: GET, PUT and DELETE /items/{key}, GET /items?prefix=. Each request is
// authenticated (a bearer JWT, or the connection's client certificate under mtls), checked
// against the RBAC of the resource `items` through a SecurityContext, and served from the
// tenant's own encrypted pages.
#pragma once

#include "item_store.h"
#include "kernel_services.h"
#include "tls_listener.h"

namespace weftkit_kv {

// Serves one accepted TLS connection until the client closes it, goes idle or breaks a limit.
void serve_connection(TlsConnection& connection, const KernelServices& kernel, ItemStore& items);

}  // namespace weftkit_kv
