// Mutual TLS identities: a client certificate chain verified against the configured CA file
// (intermediates only from the presented chain, client-auth purpose, validity dates at a given
// time, the CRL when configured, a chain length limit); the user is the subject CN and the
// tenant the configured subject attribute (default O).
#pragma once

// STACK_OF(X509) needs x509.h: with types.h alone, a file that includes this header first
// declares its own stack type inside weftkit::auth and fails to link.
#include <openssl/x509.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <weftkit/audit/sink.h>
#include <weftkit/status.h>
#include "weftkit/auth/auth_result.h"
#include "weftkit/auth/login_name.h"
#include "weftkit/config.h"

namespace weftkit::auth {

struct MtlsOptions {
  std::string tenant_attribute = "O";  // a subject attribute name OpenSSL knows: "O", "OU", an OID
  int max_intermediates = 4;           // CA certificates allowed between the client and the trust anchor
  size_t max_chain_pem_bytes = 64 * 1024;
  // roles.yaml's users: when it knows the certificate's user, the certificate's tenant must be
  // one of the user's (else tenant_not_allowed). Empty: the certificate's tenant is taken as is.
  TenantLookup tenants = {};
  // Given: every verify_pem(), verify() and verify_peer() records an auth event (the client
  // certificate's subject CN, or its whole subject without one; the failure's name).
  std::shared_ptr<audit::AuditSink> audit_sink = {};
};

class MtlsVerifier {
 public:
  // Loads every certificate of `ca_file` as a trust anchor and, when given, every CRL of
  // `crl_file` (then each client certificate must be covered by a current CRL of its issuer).
  // Refused: unreadable files, no certificate or no CRL in them, an unknown tenant attribute.
  static StatusOr<MtlsVerifier> load(const std::string& ca_file, const std::optional<std::string>& crl_file,
                                     MtlsOptions options = {});

  // The chain as PEM: the client certificate first, then any intermediates. `now` in Unix
  // seconds. Thread-safe (the verifier is immutable once loaded).
  AuthResult verify_pem(std::string_view chain_pem, int64_t now, std::string_view source_address = {}) const;

  // The chain as an engine's TLS layer hands it over (SSL_get0_peer_certificate and
  // SSL_get_peer_cert_chain); `intermediates` may be null and may hold `client` itself.
  // Neither is taken over: the caller still owns and frees them.
  AuthResult verify(X509* client, STACK_OF(X509) * intermediates, int64_t now,
                    std::string_view source_address = {}) const;

  // The identity of a TLS connection's peer (server side); no peer certificate: untrusted_certificate.
  AuthResult verify_peer(SSL* connection, int64_t now, std::string_view source_address = {}) const;

 private:
  // The unaudited checks; `subject` gets the client certificate's name once one was read.
  AuthResult check_pem(std::string_view chain_pem, int64_t now, std::string_view source_address,
                       std::string* subject) const;
  AuthResult check(X509* client, STACK_OF(X509) * intermediates, int64_t now, std::string_view source_address,
                   std::string* subject) const;
  AuthResult audited(AuthResult result, const std::string& subject, std::string_view source_address) const;

  MtlsVerifier(std::shared_ptr<X509_STORE> trust, bool check_crl, int tenant_nid, MtlsOptions options)
      : trust_(std::move(trust)), check_crl_(check_crl), tenant_nid_(tenant_nid), options_(std::move(options)) {}

  std::shared_ptr<X509_STORE> trust_;  // read-only after load: shared by concurrent verifications
  bool check_crl_ = false;
  int tenant_nid_ = 0;
  MtlsOptions options_;
};

// WEFTKIT_MTLS_CA, WEFTKIT_MTLS_CRL and WEFTKIT_MTLS_TENANT_ATTRIBUTE.
// `tenants`: the user directory (see MtlsOptions::tenants).
// `audit_sink`: see MtlsOptions::audit_sink.
StatusOr<MtlsVerifier> mtls_verifier_from_config(const config::AuthConfig& auth, TenantLookup tenants = {},
                                                 std::shared_ptr<audit::AuditSink> audit_sink = {});

}  // namespace weftkit::auth
