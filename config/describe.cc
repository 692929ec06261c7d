// Prints a resolved Config as NAME=value lines: what the engine will actually use, defaults
// marked, secrets never shown.
#include <sstream>

#include "weftkit/config.h"

namespace weftkit::config {
namespace {

class Lines {
 public:
  void value(std::string_view name, std::string_view value, bool is_default = false) {
    out_ << name << '=' << value << (is_default ? " (default)" : "") << '\n';
  }
  void optional(std::string_view name, const std::optional<std::string>& value, std::string_view when_unset = "(not set)") {
    if (value) value_of(name, *value);
    else out_ << name << ' ' << when_unset << '\n';
  }
  void required(std::string_view name, const std::string& value) {
    if (value.empty()) out_ << name << " (not set)\n";
    else value_of(name, value);
  }
  void secret(std::string_view name, const std::optional<Secret>& value) {
    out_ << name << (value ? "=<set>" : " (not set)") << '\n';
  }
  std::string text() const { return out_.str(); }

 private:
  void value_of(std::string_view name, std::string_view value) { out_ << name << '=' << value << '\n'; }
  std::ostringstream out_;
};

}  // namespace

std::string describe(const Config& config) {
  Lines lines;
  const AuthConfig& auth = config.auth;
  if (auth.mode) lines.value("WEFTKIT_AUTH", to_string(*auth.mode));
  else lines.optional("WEFTKIT_AUTH", std::nullopt, "(not set: no connection is accepted)");
  lines.required("WEFTKIT_AUTH_USERS_FILE", auth.users_file);
  lines.required("WEFTKIT_JWT_JWKS_URI", auth.jwt_jwks_uri);
  lines.optional("WEFTKIT_JWT_ISSUER", auth.jwt_issuer);
  lines.optional("WEFTKIT_JWT_AUDIENCE", auth.jwt_audience);
  lines.value("WEFTKIT_JWT_LEEWAY", std::to_string(auth.jwt_leeway_seconds), auth.jwt_leeway_seconds == 60);
  lines.value("WEFTKIT_JWT_ROLES_CLAIM", auth.jwt_roles_claim, auth.jwt_roles_claim == "roles");
  lines.optional("WEFTKIT_JWT_CA", auth.jwt_ca, "(not set: the system's CA certificates)");
  lines.secret("WEFTKIT_JWT_SECRET", auth.jwt_secret);
  lines.required("WEFTKIT_MTLS_CA", auth.mtls_ca);
  lines.optional("WEFTKIT_MTLS_CRL", auth.mtls_crl);
  lines.value("WEFTKIT_MTLS_TENANT_ATTRIBUTE", auth.mtls_tenant_attribute, auth.mtls_tenant_attribute == "O");

  lines.optional("WEFTKIT_TLS_CERT", config.tls.cert);
  lines.optional("WEFTKIT_TLS_KEY", config.tls.key);
  lines.optional("WEFTKIT_TLS_CA", config.tls.ca);

  const EncryptionConfig& encryption = config.encryption;
  lines.value("WEFTKIT_ENCRYPTION", to_string(encryption.encryption), encryption.encryption == Encryption::kNone);
  lines.value("WEFTKIT_KEY_PROVIDER", to_string(encryption.key_provider), encryption.key_provider == KeyProvider::kEnv);
  lines.secret("WEFTKIT_KEY", encryption.key);
  lines.required("WEFTKIT_VAULT_ADDR", encryption.vault_addr);
  lines.secret("WEFTKIT_VAULT_TOKEN", encryption.vault_token);
  lines.required("WEFTKIT_VAULT_TRANSIT_KEY", encryption.vault_transit_key);
  lines.value("WEFTKIT_VAULT_MOUNT", encryption.vault_mount, encryption.vault_mount == "transit");
  lines.optional("WEFTKIT_VAULT_NAMESPACE", encryption.vault_namespace);
  lines.required("WEFTKIT_KMS_REGION", encryption.kms_region);
  lines.required("WEFTKIT_KMS_KEY_ARN", encryption.kms_key_arn);
  lines.required("WEFTKIT_KMS_HMAC_KEY_ARN", encryption.kms_hmac_key_arn);
  lines.optional("WEFTKIT_KMS_ENDPOINT", encryption.kms_endpoint);
  lines.required("WEFTKIT_GCP_KMS_KEY", encryption.gcp_kms_key);
  lines.required("WEFTKIT_GCP_KMS_MAC_KEY", encryption.gcp_kms_mac_key);
  lines.optional("WEFTKIT_GCP_KMS_ENDPOINT", encryption.gcp_kms_endpoint);
  lines.secret("WEFTKIT_GCP_ACCESS_TOKEN", encryption.gcp_access_token);
  lines.required("AWS_ACCESS_KEY_ID", encryption.aws_access_key_id);
  lines.secret("AWS_SECRET_ACCESS_KEY", encryption.aws_secret_access_key);
  lines.secret("AWS_SESSION_TOKEN", encryption.aws_session_token);
  lines.optional("GOOGLE_APPLICATION_CREDENTIALS", encryption.gcp_credentials_file);
  lines.optional("WEFTKIT_PROVIDER_CA_FILE", encryption.provider_ca_file);

  const AuditConfig& audit = config.audit;
  lines.value("WEFTKIT_AUDIT", audit.enabled ? "true" : "false", !audit.enabled);
  lines.required("WEFTKIT_AUDIT_OUTPUT", audit.output);
  std::string events;
  for (AuditEvent event : audit.events) {
    if (!events.empty()) events += ',';
    events += to_string(event);
  }
  lines.value("WEFTKIT_AUDIT_EVENTS", events);
  lines.secret("WEFTKIT_AUDIT_HMAC_KEY", audit.hmac_key);
  lines.value("WEFTKIT_AUDIT_MAX_BYTES", std::to_string(audit.max_bytes), audit.max_bytes == 100ull * 1024 * 1024);
  lines.value("WEFTKIT_AUDIT_OVERFLOW", to_string(audit.overflow), audit.overflow == AuditOverflow::kBlock);
  lines.value("WEFTKIT_AUDIT_FSYNC", to_string(audit.fsync), audit.fsync == AuditFsync::kInterval);

  lines.optional("WEFTKIT_POLICY_PUBLIC_KEY", config.policy_public_key);
  lines.optional("WEFTKIT_DATA_DIR", config.data_dir);
  return lines.text();
}

}  // namespace weftkit::config
