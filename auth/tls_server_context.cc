// TLS 1.3 server contexts: every check in one place (protocol versions, certificate and key
// matching, client certificate requests), and reload as one pointer swap.
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <utility>

#include "weftkit/auth/tls_server.h"

namespace weftkit::auth {
namespace {

std::string openssl_reason() {
  const unsigned long code = ERR_peek_last_error();
  const char* reason = code == 0 ? nullptr : ERR_reason_error_string(code);
  ERR_clear_error();
  return reason == nullptr ? "unknown OpenSSL error" : reason;
}

Status invalid(std::string message) { return Status(StatusCode::kInvalidArgument, std::move(message)); }

// An encrypted key file fails to load instead of prompting on the terminal.
int no_passphrase(char*, int, int, void*) { return 0; }

}  // namespace

StatusOr<std::shared_ptr<SSL_CTX>> make_tls_server_context(const TlsServerFiles& files) {
  ERR_clear_error();
  std::shared_ptr<SSL_CTX> context(SSL_CTX_new(TLS_server_method()), &SSL_CTX_free);
  if (!context) return Status(StatusCode::kInternal, "SSL_CTX_new failed: " + openssl_reason());
  SSL_CTX* ctx = context.get();
  if (SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION) != 1 ||
      SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION) != 1) {
    return Status(StatusCode::kInternal, "cannot restrict the server to TLS 1.3: " + openssl_reason());
  }
  SSL_CTX_set_default_passwd_cb(ctx, &no_passphrase);
  if (SSL_CTX_use_certificate_chain_file(ctx, files.certificate_file.c_str()) != 1) {
    return invalid("WEFTKIT_TLS_CERT: cannot use " + files.certificate_file + ": " + openssl_reason());
  }
  const std::string mismatch = "WEFTKIT_TLS_KEY: the key in " + files.key_file +
                               " does not match the certificate in " + files.certificate_file;
  if (SSL_CTX_use_PrivateKey_file(ctx, files.key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    // OpenSSL compares the key with the certificate while loading it.
    const unsigned long code = ERR_peek_last_error();
    if (ERR_GET_LIB(code) == ERR_LIB_X509 &&
        (ERR_GET_REASON(code) == X509_R_KEY_VALUES_MISMATCH || ERR_GET_REASON(code) == X509_R_KEY_TYPE_MISMATCH)) {
      ERR_clear_error();
      return invalid(mismatch);
    }
    return invalid("WEFTKIT_TLS_KEY: cannot use " + files.key_file + ": " + openssl_reason());
  }
  if (SSL_CTX_check_private_key(ctx) != 1) {
    ERR_clear_error();
    return invalid(mismatch);
  }
  if (files.ca_file) {
    if (SSL_CTX_load_verify_locations(ctx, files.ca_file->c_str(), nullptr) != 1) {
      return invalid("WEFTKIT_TLS_CA: cannot use " + *files.ca_file + ": " + openssl_reason());
    }
    STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(files.ca_file->c_str());
    if (names == nullptr) {
      return invalid("WEFTKIT_TLS_CA: " + *files.ca_file + " holds no CA certificate: " + openssl_reason());
    }
    SSL_CTX_set_client_CA_list(ctx, names);  // takes ownership
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
    if (SSL_CTX_set_purpose(ctx, X509_PURPOSE_SSL_CLIENT) != 1) {
      return Status(StatusCode::kInternal, "cannot set the client authentication purpose: " + openssl_reason());
    }
    // No resumption when clients authenticate: a resumed session carries no client chain to
    // verify (nor a CRL check at the time of the connection), so every connection is a full one.
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    if (SSL_CTX_set_num_tickets(ctx, 0) != 1) {
      return Status(StatusCode::kInternal, "cannot turn session tickets off: " + openssl_reason());
    }
  } else {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
  }
  ERR_clear_error();
  return context;
}

StatusOr<std::unique_ptr<TlsServerContext>> TlsServerContext::load(TlsServerFiles files) {
  StatusOr<std::shared_ptr<SSL_CTX>> context = make_tls_server_context(files);
  if (!context.is_ok()) return context.status();
  return std::unique_ptr<TlsServerContext>(new TlsServerContext(std::move(files), std::move(context).value()));
}

std::shared_ptr<SSL_CTX> TlsServerContext::current() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return context_;
}

uint64_t TlsServerContext::generation() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return generation_;
}

Status TlsServerContext::reload() {
  std::lock_guard<std::mutex> one_reload(reload_mutex_);
  StatusOr<std::shared_ptr<SSL_CTX>> context = make_tls_server_context(files_);
  if (!context.is_ok()) return context.status();
  std::shared_ptr<SSL_CTX> previous;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    previous = std::exchange(context_, std::move(context).value());
    ++generation_;
  }
  return Status::ok();  // `previous` is freed here, outside the lock, unless connections hold it
}

StatusOr<std::unique_ptr<TlsServerContext>> tls_server_context_from_config(const config::TlsConfig& tls) {
  if (!tls.cert || !tls.key) {
    return invalid("WEFTKIT_TLS_CERT and WEFTKIT_TLS_KEY must both be set for a TLS server");
  }
  return TlsServerContext::load(TlsServerFiles{*tls.cert, *tls.key, tls.ca});
}

}  // namespace weftkit::auth
