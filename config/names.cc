// The stable spellings of the configuration's enumerations, as values and in messages.
#include "weftkit/config.h"

namespace weftkit::config {

std::string_view to_string(AuthMode mode) {
  switch (mode) {
    case AuthMode::kPassword: return "password";
    case AuthMode::kJwt: return "jwt";
    case AuthMode::kMtls: return "mtls";
  }
  return "?";
}

std::string_view to_string(Encryption encryption) {
  switch (encryption) {
    case Encryption::kNone: return "none";
    case Encryption::kAes256Gcm: return "aes-256-gcm";
  }
  return "?";
}

std::string_view to_string(KeyProvider provider) {
  switch (provider) {
    case KeyProvider::kEnv: return "env";
    case KeyProvider::kVault: return "vault";
    case KeyProvider::kKms: return "kms";
    case KeyProvider::kGcpKms: return "gcp-kms";
  }
  return "?";
}

std::string_view to_string(AuditEvent event) {
  switch (event) {
    case AuditEvent::kAuth: return "auth";
    case AuditEvent::kAuthzDeny: return "authz_deny";
    case AuditEvent::kAuthzAllow: return "authz_allow";
    case AuditEvent::kSchemaChange: return "schema_change";
    case AuditEvent::kDataExport: return "data_export";
    case AuditEvent::kPolicyReload: return "policy_reload";
    case AuditEvent::kKeyRotation: return "key_rotation";
    case AuditEvent::kTenantViolation: return "tenant_violation";
  }
  return "?";
}

std::string_view to_string(AuditOverflow overflow) {
  switch (overflow) {
    case AuditOverflow::kBlock: return "block";
    case AuditOverflow::kDrop: return "drop";
  }
  return "?";
}

std::string_view to_string(AuditFsync fsync) {
  switch (fsync) {
    case AuditFsync::kAlways: return "always";
    case AuditFsync::kInterval: return "interval";
    case AuditFsync::kNever: return "never";
  }
  return "?";
}

}  // namespace weftkit::config
