// The TLS 1.3 server context engines accept connections with: built from the certificate, key
// and optional client CA files (WEFTKIT_TLS_CERT/KEY/CA), reloadable without a restart.
#pragma once

#include <openssl/types.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <weftkit/status.h>
#include "weftkit/config.h"

namespace weftkit::auth {

struct TlsServerFiles {
  std::string certificate_file;          // PEM: the server certificate, then its intermediates
  std::string key_file;                  // PEM private key, not encrypted (never prompts)
  std::optional<std::string> ca_file;    // set: client certificates are requested and required
};

// An SSL_CTX for TLS 1.3 only (minimum and maximum), whose key matches its certificate; with a
// CA file, clients must present a certificate that chains to it for client authentication.
// Errors name the file and OpenSSL's reason, never key material.
StatusOr<std::shared_ptr<SSL_CTX>> make_tls_server_context(const TlsServerFiles& files);

// The current server context, replaced as a whole by reload(). A connection made with
// SSL_new(current().get()) holds its own reference, so it keeps the context it started with
// whatever reloads happen later. Thread-safe.
class TlsServerContext {
 public:
  static StatusOr<std::unique_ptr<TlsServerContext>> load(TlsServerFiles files);

  std::shared_ptr<SSL_CTX> current() const;
  // Reads the files again; on an error the current context keeps serving and the error is returned.
  Status reload();
  uint64_t generation() const;  // 1 after load, +1 per successful reload

 private:
  TlsServerContext(TlsServerFiles files, std::shared_ptr<SSL_CTX> context)
      : files_(std::move(files)), context_(std::move(context)) {}

  const TlsServerFiles files_;
  mutable std::mutex mutex_;  // guards context_ and generation_: held only to copy or swap a pointer
  std::shared_ptr<SSL_CTX> context_;
  uint64_t generation_ = 1;
  std::mutex reload_mutex_;   // one reload at a time, without holding mutex_ while reading files
};

// WEFTKIT_TLS_CERT, WEFTKIT_TLS_KEY (both required) and WEFTKIT_TLS_CA.
StatusOr<std::unique_ptr<TlsServerContext>> tls_server_context_from_config(const config::TlsConfig& tls);

}  // namespace weftkit::auth
