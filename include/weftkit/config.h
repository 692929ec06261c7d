// The WeftKit configuration: every WEFTKIT_* variable of an engine image, read once, checked
// as a whole (all errors reported together) and resolved into typed settings for the auth,
// TLS, encryption and audit modules. No exception crosses this header.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace weftkit::config {

// A variable's name -> value, as the process environment holds them. Tests build one by hand;
// engines call process_environment().
using EnvironmentMap = std::map<std::string, std::string, std::less<>>;

// A value that must never be printed: it has no stream operator and describe() shows it as
// "<set>". reveal() is for the one module that uses it.
class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}
  const std::string& reveal() const { return value_; }

 private:
  std::string value_;
};

enum class AuthMode { kPassword, kJwt, kMtls };
enum class Encryption { kNone, kAes256Gcm };
enum class KeyProvider { kEnv, kVault, kKms, kGcpKms };
enum class AuditOverflow { kBlock, kDrop };
enum class AuditFsync { kAlways, kInterval, kNever };
enum class AuditEvent {
  kAuth, kAuthzDeny, kAuthzAllow, kSchemaChange, kDataExport, kPolicyReload, kKeyRotation, kTenantViolation,
};

struct AuthConfig {
  std::optional<AuthMode> mode;  // unset: no backend, so an engine accepts no connection
  std::string users_file;        // password
  std::string jwt_jwks_uri;      // jwt: https://... or file://...
  std::optional<std::string> jwt_issuer;
  std::optional<std::string> jwt_audience;
  int64_t jwt_leeway_seconds = 60;
  std::string jwt_roles_claim = "roles";
  std::optional<std::string> jwt_ca;  // unset: the system's CA store
  std::optional<Secret> jwt_secret;   // enables HS256; at least 32 bytes
  std::string mtls_ca;                // mtls
  std::optional<std::string> mtls_crl;
  std::string mtls_tenant_attribute = "O";
};

struct TlsConfig {
  std::optional<std::string> cert;
  std::optional<std::string> key;
  std::optional<std::string> ca;
};

struct EncryptionConfig {
  Encryption encryption = Encryption::kNone;
  KeyProvider key_provider = KeyProvider::kEnv;
  std::optional<Secret> key;  // env: the decoded 32-byte master key
  std::string vault_addr;
  std::optional<Secret> vault_token;
  std::string vault_transit_key;
  std::string vault_mount = "transit";
  std::optional<std::string> vault_namespace;
  std::string kms_region;
  std::string kms_key_arn;
  std::string kms_hmac_key_arn;  // HMAC_256 key deriving the keyring's authentication key
  std::optional<std::string> kms_endpoint;
  // AWS's own variable names (AWS_ACCESS_KEY_ID, ...), read with the WEFTKIT_* ones.
  std::string aws_access_key_id;
  std::optional<Secret> aws_secret_access_key;
  std::optional<Secret> aws_session_token;
  std::string gcp_kms_key;
  std::string gcp_kms_mac_key;  // .../cryptoKeys/K/cryptoKeyVersions/N of an HMAC_SHA256 key
  std::optional<std::string> gcp_kms_endpoint;
  std::optional<Secret> gcp_access_token;  // unset: a token from the service-account file
  std::optional<std::string> gcp_credentials_file;  // GOOGLE_APPLICATION_CREDENTIALS
  // A PEM bundle of the CAs that may sign the remote provider's certificate (a private CA in
  // front of Vault, say); unset: the system's store. Used by vault, kms and gcp-kms alike.
  std::optional<std::string> provider_ca_file;  // WEFTKIT_PROVIDER_CA_FILE
};

struct AuditConfig {
  bool enabled = false;
  std::string output;
  std::vector<AuditEvent> events;  // in the canonical order of AuditEvent, no duplicates
  std::optional<Secret> hmac_key;
  uint64_t max_bytes = 100ull * 1024 * 1024;
  AuditOverflow overflow = AuditOverflow::kBlock;
  AuditFsync fsync = AuditFsync::kInterval;
};

struct Config {
  AuthConfig auth;
  TlsConfig tls;
  EncryptionConfig encryption;
  AuditConfig audit;
  std::optional<std::string> policy_public_key;
  std::optional<std::string> data_dir;
};

// Either a Config or every problem found: unknown variables (with a did-you-mean), bad
// values (naming the variable, the value unless it is a secret, and what is allowed), and
// variables the chosen modes need but that are missing. Warnings never prevent a Config.
struct ConfigResult {
  std::optional<Config> config;  // set exactly when errors is empty
  std::vector<std::string> errors;
  std::vector<std::string> warnings;
  bool ok() const { return config.has_value(); }
};

// Reads the WEFTKIT_* entries of `environment`, and the cloud credentials' own variables
// (provider_credential_variables()); other names are ignored.
ConfigResult load_config(const EnvironmentMap& environment);

// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, GOOGLE_APPLICATION_CREDENTIALS:
// named by their clouds, not WeftKit, and read for the kms and gcp-kms key providers.
std::vector<std::string_view> provider_credential_variables();

// The WEFTKIT_* variables of this process (from environ), and the provider credential ones.
EnvironmentMap process_environment();

// The resolved configuration, one `NAME=value` line per variable in a fixed order, with
// "(default)" after defaulted values, "(not set)" for absent optional ones and secrets as <set>.
std::string describe(const Config& config);

// Every variable load_config knows, in describe()'s order.
std::vector<std::string_view> known_variables();

// The stable names used in values and messages: "password", "aes-256-gcm", "authz_deny".
std::string_view to_string(AuthMode mode);
std::string_view to_string(Encryption encryption);
std::string_view to_string(KeyProvider provider);
std::string_view to_string(AuditEvent event);
std::string_view to_string(AuditOverflow overflow);
std::string_view to_string(AuditFsync fsync);

}  // namespace weftkit::config
