// tls-server-end-point channel binding (RFC 5929 section 4.1) from a DER certificate.
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include <climits>
#include <memory>

#include "weftkit/auth/scram.h"

namespace weftkit::auth {

StatusOr<std::string> tls_server_end_point(std::string_view certificate_der) {
  if (certificate_der.empty() || certificate_der.size() > LONG_MAX) {
    return Status(StatusCode::kInvalidArgument, "the server certificate is empty");
  }
  const auto* cursor = reinterpret_cast<const unsigned char*>(certificate_der.data());
  std::unique_ptr<X509, decltype(&X509_free)> certificate(
      d2i_X509(nullptr, &cursor, static_cast<long>(certificate_der.size())), &X509_free);
  if (!certificate || cursor != reinterpret_cast<const unsigned char*>(certificate_der.data()) + certificate_der.size()) {
    return Status(StatusCode::kInvalidArgument, "the server certificate is not one DER-encoded X.509 certificate");
  }
  int digest_nid = NID_undef;
  if (X509_get_signature_info(certificate.get(), &digest_nid, nullptr, nullptr, nullptr) != 1 ||
      digest_nid == NID_undef) {
    return Status(StatusCode::kInvalidArgument,
                  "tls-server-end-point is not defined for this certificate's signature algorithm");
  }
  // RFC 5929: MD5 and SHA-1 are replaced by SHA-256.
  if (digest_nid == NID_md5 || digest_nid == NID_sha1) digest_nid = NID_sha256;
  const EVP_MD* digest = EVP_get_digestbynid(digest_nid);
  if (digest == nullptr) return Status(StatusCode::kInvalidArgument, "the certificate's signature hash is not available");
  std::string hash(static_cast<size_t>(EVP_MD_get_size(digest)), '\0');
  unsigned int length = 0;
  if (EVP_Digest(certificate_der.data(), certificate_der.size(), reinterpret_cast<unsigned char*>(hash.data()), &length,
                 digest, nullptr) != 1) {
    return Status(StatusCode::kInternal, "OpenSSL could not hash the certificate");
  }
  hash.resize(length);
  return hash;
}

}  // namespace weftkit::auth
