// The WEFTKIT_* variables, grouped as describe() prints them.
#include "config/variables.h"

#include <vector>

#include "weftkit/config.h"

namespace weftkit::config {

namespace {

constexpr VariableSpec kVariables[] = {
    {"WEFTKIT_AUTH"},
    {"WEFTKIT_AUTH_USERS_FILE"},
    {"WEFTKIT_JWT_JWKS_URI"},
    {"WEFTKIT_JWT_ISSUER"},
    {"WEFTKIT_JWT_AUDIENCE"},
    {"WEFTKIT_JWT_LEEWAY"},
    {"WEFTKIT_JWT_ROLES_CLAIM"},
    {"WEFTKIT_JWT_CA"},
    {"WEFTKIT_JWT_SECRET", true},
    {"WEFTKIT_MTLS_CA"},
    {"WEFTKIT_MTLS_CRL"},
    {"WEFTKIT_MTLS_TENANT_ATTRIBUTE"},
    {"WEFTKIT_TLS_CERT"},
    {"WEFTKIT_TLS_KEY"},
    {"WEFTKIT_TLS_CA"},
    {"WEFTKIT_ENCRYPTION"},
    {"WEFTKIT_KEY_PROVIDER"},
    {"WEFTKIT_KEY", true},
    {"WEFTKIT_VAULT_ADDR"},
    {"WEFTKIT_VAULT_TOKEN", true},
    {"WEFTKIT_VAULT_TRANSIT_KEY"},
    {"WEFTKIT_VAULT_MOUNT"},
    {"WEFTKIT_VAULT_NAMESPACE"},
    {"WEFTKIT_KMS_REGION"},
    {"WEFTKIT_KMS_KEY_ARN"},
    {"WEFTKIT_KMS_HMAC_KEY_ARN"},
    {"WEFTKIT_KMS_ENDPOINT"},
    {"WEFTKIT_GCP_KMS_KEY"},
    {"WEFTKIT_GCP_KMS_MAC_KEY"},
    {"WEFTKIT_GCP_KMS_ENDPOINT"},
    {"WEFTKIT_GCP_ACCESS_TOKEN", true},
    {"AWS_ACCESS_KEY_ID"},
    {"AWS_SECRET_ACCESS_KEY", true},
    {"AWS_SESSION_TOKEN", true},
    {"GOOGLE_APPLICATION_CREDENTIALS"},
    {"WEFTKIT_PROVIDER_CA_FILE"},
    {"WEFTKIT_AUDIT"},
    {"WEFTKIT_AUDIT_OUTPUT"},
    {"WEFTKIT_AUDIT_EVENTS"},
    {"WEFTKIT_AUDIT_HMAC_KEY", true},
    {"WEFTKIT_AUDIT_MAX_BYTES"},
    {"WEFTKIT_AUDIT_OVERFLOW"},
    {"WEFTKIT_AUDIT_FSYNC"},
    {"WEFTKIT_POLICY_PUBLIC_KEY"},
    {"WEFTKIT_DATA_DIR"},
};

}  // namespace

std::span<const VariableSpec> variable_specs() { return kVariables; }

bool is_secret_variable(std::string_view name) {
  for (const VariableSpec& spec : kVariables) {
    if (spec.name == name) return spec.secret;
  }
  return false;
}

std::vector<std::string_view> provider_credential_variables() {
  return {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "GOOGLE_APPLICATION_CREDENTIALS"};
}

std::vector<std::string_view> known_variables() {
  std::vector<std::string_view> names;
  for (const VariableSpec& spec : kVariables) names.push_back(spec.name);
  return names;
}

}  // namespace weftkit::config
