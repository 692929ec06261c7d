// The auth C API's TLS 1.3 server context: OpenSSL's SSL_CTX handed to the engine's TLS layer.
#include <openssl/ssl.h>

#include "auth/c_api/handles.h"

using weftkit::c_api::fail;
using weftkit::c_api::guarded;
using weftkit::c_api::report;

extern "C" {

weftkit_status weftkit_tls_server_create(const weftkit_auth_config* config, weftkit_tls_server** out,
                                         weftkit_error** error) {
  return guarded(error, [&]() -> weftkit_status {
    if (out != nullptr) *out = nullptr;
    if (config == nullptr || out == nullptr) {
      return fail(WEFTKIT_INVALID_ARGUMENT, "weftkit_tls_server_create: config and out must not be NULL", error);
    }
    auto loaded = weftkit::auth::tls_server_context_from_config(config->config.tls);
    if (!loaded.is_ok()) return report(loaded.status(), error);
    *out = new weftkit_tls_server{std::move(loaded).value()};
    return WEFTKIT_OK;
  });
}

weftkit_status weftkit_tls_server_context(const weftkit_tls_server* server, struct ssl_ctx_st** out,
                                          weftkit_error** error) {
  return guarded(error, [&]() -> weftkit_status {
    if (out != nullptr) *out = nullptr;
    if (server == nullptr || out == nullptr) {
      return fail(WEFTKIT_INVALID_ARGUMENT, "weftkit_tls_server_context: server and out must not be NULL", error);
    }
    // A reference of the caller's own: the shared_ptr's may go with the next reload.
    std::shared_ptr<SSL_CTX> current = server->context->current();
    if (SSL_CTX_up_ref(current.get()) != 1) return fail(WEFTKIT_INTERNAL, "SSL_CTX_up_ref failed", error);
    *out = current.get();
    return WEFTKIT_OK;
  });
}

weftkit_status weftkit_tls_server_reload(weftkit_tls_server* server, weftkit_error** error) {
  return guarded(error, [&]() -> weftkit_status {
    if (server == nullptr)
      return fail(WEFTKIT_INVALID_ARGUMENT, "weftkit_tls_server_reload: server must not be NULL", error);
    return report(server->context->reload(), error);
  });
}

uint64_t weftkit_tls_server_generation(const weftkit_tls_server* server) {
  return server != nullptr ? server->context->generation() : 0;
}

void weftkit_tls_server_free(weftkit_tls_server* server) { delete server; }

}  // extern "C"
