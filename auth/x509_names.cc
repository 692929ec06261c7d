// Subject names as text, and single subject attributes as identity fields.
#include "auth/x509_names.h"

#include <openssl/bio.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include <memory>

namespace weftkit::auth {

std::string subject_text(const X509* certificate) {
  const X509_NAME* name = certificate == nullptr ? nullptr : X509_get_subject_name(certificate);
  if (name == nullptr || X509_NAME_entry_count(name) == 0) return "<no subject>";
  std::unique_ptr<BIO, decltype(&BIO_free)> out(BIO_new(BIO_s_mem()), &BIO_free);
  if (!out) return "<no subject>";
  // ESC_MSB off and UTF8 on: names print as UTF-8; control characters are escaped.
  const unsigned long flags = (XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) | ASN1_STRFLGS_UTF8_CONVERT;
  if (X509_NAME_print_ex(out.get(), name, 0, flags) < 0) return "<no subject>";
  char* data = nullptr;
  const long length = BIO_get_mem_data(out.get(), &data);
  if (length <= 0 || data == nullptr) return "<no subject>";
  return std::string(data, static_cast<size_t>(length));
}

std::variant<std::string, AuthFailure> subject_attribute(const X509* certificate, int nid) {
  const X509_NAME* name = X509_get_subject_name(certificate);
  const char* attribute = OBJ_nid2sn(nid);
  const std::string subject = subject_text(certificate);
  const int index = name == nullptr ? -1 : X509_NAME_get_index_by_NID(name, nid, -1);
  if (index < 0) {
    return AuthFailure{AuthFailureKind::kMissingClaim,
                       "certificate " + subject + " has no " + attribute + " attribute in its subject"};
  }
  if (X509_NAME_get_index_by_NID(name, nid, index) >= 0) {
    return AuthFailure{AuthFailureKind::kMalformed,
                       "certificate " + subject + " has more than one " + attribute + " attribute in its subject"};
  }
  const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
  unsigned char* utf8 = nullptr;
  const int length = data == nullptr ? -1 : ASN1_STRING_to_UTF8(&utf8, data);
  if (length < 0) {
    return AuthFailure{AuthFailureKind::kMalformed,
                       "certificate " + subject + " has a " + attribute + " attribute that is not valid text"};
  }
  std::string value(reinterpret_cast<const char*>(utf8), static_cast<size_t>(length));
  OPENSSL_free(utf8);
  if (value.empty()) {
    return AuthFailure{AuthFailureKind::kMissingClaim,
                       "certificate " + subject + " has an empty " + attribute + " attribute"};
  }
  if (value.find('\0') != std::string::npos) {
    return AuthFailure{AuthFailureKind::kMalformed,
                       "certificate " + subject + " has a " + attribute + " attribute holding a NUL byte"};
  }
  return value;
}

}  // namespace weftkit::auth
