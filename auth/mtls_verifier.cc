// Client certificate verification with OpenSSL's X509_STORE_CTX: the trust anchors and CRLs
// come from the configured files only, intermediates only from the presented chain.
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "auth/credential_choice.h"
#include "auth/login_audit.h"
#include "auth/x509_names.h"
#include "weftkit/auth/mtls.h"

namespace weftkit::auth {
namespace {

using CertificateStack = std::unique_ptr<STACK_OF(X509), decltype([](STACK_OF(X509) * stack) {
                                           sk_X509_pop_free(stack, X509_free);
                                         })>;
using StoreContext = std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)>;
using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;

AuthFailure failure(AuthFailureKind kind, std::string message) { return AuthFailure{kind, std::move(message)}; }

std::string openssl_reason() {
  const unsigned long code = ERR_peek_last_error();
  const char* reason = code == 0 ? nullptr : ERR_reason_error_string(code);
  ERR_clear_error();
  return reason == nullptr ? "unknown OpenSSL error" : reason;
}

// Every certificate, or every CRL, of a PEM file; zero of them is an error.
Status add_pem_file(X509_STORE* store, const std::string& path, bool crls, const char* variable) {
  Bio file(BIO_new_file(path.c_str(), "r"), &BIO_free);
  if (!file) {
    ERR_clear_error();
    return Status(StatusCode::kInvalidArgument, std::string(variable) + ": cannot read " + path);
  }
  int added = 0;
  for (;;) {
    if (crls) {
      X509_CRL* crl = PEM_read_bio_X509_CRL(file.get(), nullptr, nullptr, nullptr);
      if (crl == nullptr) break;
      const int ok = X509_STORE_add_crl(store, crl);
      X509_CRL_free(crl);
      if (ok != 1) break;
    } else {
      X509* certificate = PEM_read_bio_X509(file.get(), nullptr, nullptr, nullptr);
      if (certificate == nullptr) break;
      const int ok = X509_STORE_add_cert(store, certificate);
      X509_free(certificate);
      if (ok != 1) break;
    }
    ++added;
  }
  // The loop ends at the end of the file (PEM_R_NO_START_LINE) or at a broken entry.
  const unsigned long last = ERR_peek_last_error();
  const bool clean_end = last == 0 || (ERR_GET_LIB(last) == ERR_LIB_PEM && ERR_GET_REASON(last) == PEM_R_NO_START_LINE);
  const std::string reason = last == 0 ? "" : openssl_reason();
  if (!clean_end) {
    return Status(StatusCode::kInvalidArgument, std::string(variable) + ": " + path + ": " + reason);
  }
  if (added == 0) {
    return Status(StatusCode::kInvalidArgument, std::string(variable) + ": " + path + " holds no " +
                                                    (crls ? "CRL" : "certificate") + " in PEM form");
  }
  return Status::ok();
}

// The verification error of OpenSSL as a typed failure naming the client certificate (and the
// certificate the error is about, when that is another one).
// The name a presented certificate claims: its subject CN, or its whole subject without a
// usable one (a refused certificate is recorded by what it says, verified or not).
std::string claimed_subject(const X509* client) {
  auto common_name = subject_attribute(client, NID_commonName);
  if (std::string* name = std::get_if<std::string>(&common_name)) return std::move(*name);
  return subject_text(client);
}

AuthFailure verification_failure(X509_STORE_CTX* context, X509* client) {
  const int error = X509_STORE_CTX_get_error(context);
  X509* current = X509_STORE_CTX_get_current_cert(context);
  std::string message = "certificate " + subject_text(client) + ": " + X509_verify_cert_error_string(error);
  if (current != nullptr && current != client && X509_cmp(current, client) != 0) {
    message += " (" + subject_text(current) + ")";
  }
  switch (error) {
    case X509_V_ERR_CERT_HAS_EXPIRED:
      return failure(AuthFailureKind::kExpired, std::move(message));
    case X509_V_ERR_CERT_NOT_YET_VALID:
      return failure(AuthFailureKind::kNotYetValid, std::move(message));
    case X509_V_ERR_CERT_REVOKED:
      return failure(AuthFailureKind::kRevoked, std::move(message));
    default:
      // Unknown issuer, bad signature, wrong purpose, chain too long, no current CRL, ...
      return failure(AuthFailureKind::kUntrustedCertificate, std::move(message));
  }
}

}  // namespace

StatusOr<MtlsVerifier> MtlsVerifier::load(const std::string& ca_file, const std::optional<std::string>& crl_file,
                                          MtlsOptions options) {
  const int tenant_nid = OBJ_txt2nid(options.tenant_attribute.c_str());
  if (tenant_nid == NID_undef) {
    ERR_clear_error();
    return Status(StatusCode::kInvalidArgument,
                  "WEFTKIT_MTLS_TENANT_ATTRIBUTE: \"" + options.tenant_attribute +
                      "\" is not a subject attribute name (such as O, OU, CN) or an OID");
  }
  if (options.max_intermediates < 0) {
    return Status(StatusCode::kInvalidArgument, "max_intermediates must not be negative");
  }
  if (ca_file.empty()) return Status(StatusCode::kInvalidArgument, "WEFTKIT_MTLS_CA: no CA file configured");
  std::shared_ptr<X509_STORE> store(X509_STORE_new(), &X509_STORE_free);
  if (!store) return Status(StatusCode::kInternal, "X509_STORE_new failed");
  if (Status status = add_pem_file(store.get(), ca_file, /*crls=*/false, "WEFTKIT_MTLS_CA"); !status.is_ok()) {
    return status;
  }
  if (crl_file) {
    if (Status status = add_pem_file(store.get(), *crl_file, /*crls=*/true, "WEFTKIT_MTLS_CRL"); !status.is_ok()) {
      return status;
    }
  }
  return MtlsVerifier(std::move(store), crl_file.has_value(), tenant_nid, std::move(options));
}

AuthResult MtlsVerifier::audited(AuthResult result, const std::string& subject, std::string_view source_address) const {
  if (audits_logins(options_.audit_sink.get())) {
    report_login(*options_.audit_sink, LoginClaim{subject, std::nullopt}, result, source_address, "mtls");
  }
  return result;
}

AuthResult MtlsVerifier::verify_pem(std::string_view chain_pem, int64_t now, std::string_view source_address) const {
  std::string subject;
  AuthResult result = check_pem(chain_pem, now, source_address, &subject);
  return audited(std::move(result), subject, source_address);
}

AuthResult MtlsVerifier::verify(X509* client, STACK_OF(X509) * intermediates, int64_t now,
                                std::string_view source_address) const {
  std::string subject;
  AuthResult result = check(client, intermediates, now, source_address, &subject);
  return audited(std::move(result), subject, source_address);
}

AuthResult MtlsVerifier::check_pem(std::string_view chain_pem, int64_t now, std::string_view source_address,
                                   std::string* subject) const {
  if (chain_pem.size() > options_.max_chain_pem_bytes) {
    return failure(AuthFailureKind::kMalformed, "certificate chain of " + std::to_string(chain_pem.size()) +
                                                    " bytes is over the limit of " +
                                                    std::to_string(options_.max_chain_pem_bytes));
  }
  ERR_clear_error();
  Bio input(BIO_new_mem_buf(chain_pem.data(), static_cast<int>(chain_pem.size())), &BIO_free);
  CertificateStack certificates(sk_X509_new_null());
  if (!input || !certificates) return failure(AuthFailureKind::kInternal, "out of memory reading a certificate chain");
  while (X509* certificate = PEM_read_bio_X509(input.get(), nullptr, nullptr, nullptr)) {
    if (sk_X509_push(certificates.get(), certificate) <= 0) {
      X509_free(certificate);
      return failure(AuthFailureKind::kInternal, "out of memory reading a certificate chain");
    }
  }
  const unsigned long last = ERR_peek_last_error();
  const bool clean_end = last == 0 || (ERR_GET_LIB(last) == ERR_LIB_PEM && ERR_GET_REASON(last) == PEM_R_NO_START_LINE);
  const std::string reason = last == 0 ? "" : openssl_reason();
  const int count = sk_X509_num(certificates.get());
  if (!clean_end) {
    std::string message = "certificate chain is not valid PEM (" + reason + ")";
    if (count > 0) message += " after certificate " + subject_text(sk_X509_value(certificates.get(), 0));
    return failure(AuthFailureKind::kMalformed, std::move(message));
  }
  if (count == 0) return failure(AuthFailureKind::kMalformed, "certificate chain holds no PEM certificate");
  X509* client = sk_X509_value(certificates.get(), 0);
  return check(client, certificates.get(), now, source_address, subject);
}

AuthResult MtlsVerifier::check(X509* client, STACK_OF(X509) * intermediates, int64_t now,
                               std::string_view source_address, std::string* subject) const {
  if (client == nullptr) return failure(AuthFailureKind::kUntrustedCertificate, "no client certificate presented");
  *subject = claimed_subject(client);
  ERR_clear_error();
  // A CA certificate names an issuer, not a client, even where its key usage would pass the
  // client purpose check (a CA without extensions, the trust anchor itself).
  if ((X509_get_extension_flags(client) & EXFLAG_CA) != 0) {
    return failure(AuthFailureKind::kUntrustedCertificate,
                   "certificate " + subject_text(client) + " is a CA certificate, not a client certificate");
  }
  StoreContext context(X509_STORE_CTX_new(), &X509_STORE_CTX_free);
  if (!context || X509_STORE_CTX_init(context.get(), trust_.get(), client, intermediates) != 1) {
    ERR_clear_error();
    return failure(AuthFailureKind::kInternal, "cannot set up certificate verification");
  }
  X509_VERIFY_PARAM* parameters = X509_STORE_CTX_get0_param(context.get());
  X509_VERIFY_PARAM_set_time(parameters, static_cast<time_t>(now));
  X509_VERIFY_PARAM_set_depth(parameters, options_.max_intermediates);
  unsigned long flags = X509_V_FLAG_X509_STRICT;
  if (check_crl_) flags |= X509_V_FLAG_CRL_CHECK;
  X509_VERIFY_PARAM_set_flags(parameters, flags);
  if (X509_STORE_CTX_set_purpose(context.get(), X509_PURPOSE_SSL_CLIENT) != 1) {
    ERR_clear_error();
    return failure(AuthFailureKind::kInternal, "cannot set the client authentication purpose");
  }
  const int verified = X509_verify_cert(context.get());
  if (verified != 1) {
    AuthFailure refused = verification_failure(context.get(), client);
    ERR_clear_error();
    return refused;
  }
  ERR_clear_error();
  auto user = subject_attribute(client, NID_commonName);
  if (auto* refused = std::get_if<AuthFailure>(&user)) return std::move(*refused);
  auto tenant = subject_attribute(client, tenant_nid_);
  if (auto* refused = std::get_if<AuthFailure>(&tenant)) return std::move(*refused);
  auto allowed = resolve_asserted_tenant(std::get<std::string>(user), std::move(std::get<std::string>(tenant)),
                                         options_.tenants);
  if (auto* refused = std::get_if<AuthFailure>(&allowed)) return std::move(*refused);
  Identity identity;
  identity.user = std::move(std::get<std::string>(user));
  identity.tenant = std::move(std::get<std::optional<std::string>>(allowed));
  identity.source_address = std::string(source_address);
  identity.auth_method = AuthMethod::kMtls;
  return identity;
}

AuthResult MtlsVerifier::verify_peer(SSL* connection, int64_t now, std::string_view source_address) const {
  X509* client = connection == nullptr ? nullptr : SSL_get0_peer_certificate(connection);
  if (client == nullptr) {
    return audited(failure(AuthFailureKind::kUntrustedCertificate, "no client certificate presented"), "",
                   source_address);
  }
  return verify(client, SSL_get_peer_cert_chain(connection), now, source_address);
}

StatusOr<MtlsVerifier> mtls_verifier_from_config(const config::AuthConfig& auth, TenantLookup tenants,
                                                 std::shared_ptr<audit::AuditSink> audit_sink) {
  MtlsOptions options;
  options.audit_sink = std::move(audit_sink);
  options.tenant_attribute = auth.mtls_tenant_attribute;
  options.tenants = std::move(tenants);
  return MtlsVerifier::load(auth.mtls_ca, auth.mtls_crl, std::move(options));
}

}  // namespace weftkit::auth
