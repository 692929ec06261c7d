// Builds a Config from WEFTKIT_* variables: each section reads and checks its own values,
// then the modes chosen decide which variables are required and which are only ignored.
#include <openssl/evp.h>

#include <array>
#include <cctype>
#include <cstdint>
#include <string>
#include <vector>

#include "config/did_you_mean.h"
#include "config/variable_reader.h"
#include "config/variables.h"
#include "weftkit/config.h"

namespace weftkit::config {
namespace {

constexpr std::string_view kPrefix = "WEFTKIT_";

bool has_scheme_and_rest(std::string_view value, std::string_view scheme) {
  return value.starts_with(scheme) && value.size() > scheme.size();
}

bool is_http_url(std::string_view value) {
  return has_scheme_and_rest(value, "https://") || has_scheme_and_rest(value, "http://");
}

// Strict base64 (standard alphabet, padded): decoding then re-encoding gives the text back.
std::optional<std::string> decode_base64(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0) return std::nullopt;
  std::string decoded(text.size() / 4 * 3, '\0');
  const int length = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(decoded.data()),
                                     reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (length < 0) return std::nullopt;
  size_t padding = 0;
  if (text.ends_with("==")) padding = 2;
  else if (text.ends_with("=")) padding = 1;
  decoded.resize(static_cast<size_t>(length) - padding);
  std::string again(text.size() + 1, '\0');
  const int encoded = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(again.data()),
                                      reinterpret_cast<const unsigned char*>(decoded.data()), static_cast<int>(decoded.size()));
  again.resize(static_cast<size_t>(encoded));
  if (again != text) return std::nullopt;
  return decoded;
}

// projects/P/locations/L/keyRings/R/cryptoKeys/K (with_version: then /cryptoKeyVersions/N): the
// collection names in this order, each followed by a non-empty name without '/'.
bool is_gcp_key_name(std::string_view value, bool with_version) {
  std::vector<std::string_view> segments;
  std::string_view rest = value;
  for (size_t slash; (slash = rest.find('/')) != std::string_view::npos;) {
    segments.push_back(rest.substr(0, slash));
    rest.remove_prefix(slash + 1);
  }
  segments.push_back(rest);
  constexpr std::string_view kCollections[] = {"projects", "locations", "keyRings", "cryptoKeys", "cryptoKeyVersions"};
  const size_t pairs = with_version ? 5 : 4;
  if (segments.size() != 2 * pairs) return false;
  for (size_t i = 0; i < pairs; ++i) {
    if (segments[2 * i] != kCollections[i] || segments[2 * i + 1].empty()) return false;
  }
  return true;
}

void report_unknown_variables(const EnvironmentMap& environment, VariableReader& reader) {
  const std::vector<std::string_view> known = known_variables();
  for (const auto& [name, value] : environment) {
    if (!std::string_view(name).starts_with(kPrefix)) continue;
    bool is_known = false;
    for (std::string_view candidate : known) is_known = is_known || candidate == name;
    if (is_known) continue;
    std::string message = name + " is not a WeftKit variable";
    if (std::optional<std::string_view> suggestion = closest_name(name, known)) {
      message += " (did you mean " + std::string(*suggestion) + "?)";
    }
    reader.error(std::move(message));
  }
}

void read_auth(VariableReader& reader, AuthConfig& auth, const TlsConfig& tls) {
  auth.mode = reader.choice<AuthMode>(
      "WEFTKIT_AUTH", {{"password", AuthMode::kPassword}, {"jwt", AuthMode::kJwt}, {"mtls", AuthMode::kMtls}});
  if (auto value = reader.text("WEFTKIT_AUTH_USERS_FILE")) auth.users_file = *value;

  if (auto value = reader.text("WEFTKIT_JWT_JWKS_URI")) {
    if (has_scheme_and_rest(*value, "https://") || has_scheme_and_rest(*value, "file:///")) {
      auth.jwt_jwks_uri = *value;
    } else {
      reader.bad_value("WEFTKIT_JWT_JWKS_URI", *value, "expected https://HOST/PATH or file:///ABSOLUTE/PATH");
    }
  }
  auth.jwt_issuer = reader.text("WEFTKIT_JWT_ISSUER");
  auth.jwt_audience = reader.text("WEFTKIT_JWT_AUDIENCE");
  if (auto leeway = reader.whole_number("WEFTKIT_JWT_LEEWAY", 0, 3600)) auth.jwt_leeway_seconds = *leeway;
  if (auto value = reader.text("WEFTKIT_JWT_ROLES_CLAIM")) auth.jwt_roles_claim = *value;
  auth.jwt_ca = reader.text("WEFTKIT_JWT_CA");
  if (auto value = reader.text("WEFTKIT_JWT_SECRET")) {
    // HS256's key must be at least as long as its output (RFC 7518 section 3.2).
    if (value->size() < 32) {
      reader.bad_value("WEFTKIT_JWT_SECRET", *value, "expected at least 32 bytes");
    } else {
      auth.jwt_secret = Secret(*value);
    }
  }

  if (auto value = reader.text("WEFTKIT_MTLS_CA")) auth.mtls_ca = *value;
  auth.mtls_crl = reader.text("WEFTKIT_MTLS_CRL");
  if (auto value = reader.text("WEFTKIT_MTLS_TENANT_ATTRIBUTE")) {
    // A short name (O, OU, CN) or a dotted object identifier (2.5.4.10).
    bool letters = std::isalpha(static_cast<unsigned char>((*value)[0])) != 0;
    bool dotted = std::isdigit(static_cast<unsigned char>((*value)[0])) != 0 && !value->ends_with('.');
    for (char c : *value) {
      letters = letters && std::isalnum(static_cast<unsigned char>(c));
      dotted = dotted && (std::isdigit(static_cast<unsigned char>(c)) || c == '.');
    }
    if (letters || dotted) {
      auth.mtls_tenant_attribute = *value;
    } else {
      reader.bad_value("WEFTKIT_MTLS_TENANT_ATTRIBUTE", *value,
                       "expected a subject DN attribute name such as O, OU or CN, or a dotted OID");
    }
  }

  const bool password = auth.mode == AuthMode::kPassword;
  const bool jwt = auth.mode == AuthMode::kJwt;
  const bool mtls = auth.mode == AuthMode::kMtls;
  if (password) reader.require("WEFTKIT_AUTH_USERS_FILE", "WEFTKIT_AUTH=password", "the htpasswd users file");
  if (jwt && !reader.is_set("WEFTKIT_JWT_JWKS_URI") && !reader.is_set("WEFTKIT_JWT_SECRET")) {
    reader.error("WEFTKIT_AUTH=jwt needs WEFTKIT_JWT_JWKS_URI (the key set, https://... or file:///...) "
                 "or WEFTKIT_JWT_SECRET (HS256 tokens only)");
  }
  if (mtls) {
    reader.require("WEFTKIT_MTLS_CA", "WEFTKIT_AUTH=mtls", "the CA that issues client certificates");
    // Client certificates are only asked for in a TLS handshake the server takes part in.
    if (!tls.cert) reader.require("WEFTKIT_TLS_CERT", "WEFTKIT_AUTH=mtls", "the server's certificate");
    if (!tls.key) reader.require("WEFTKIT_TLS_KEY", "WEFTKIT_AUTH=mtls", "the server's private key");
  }
  const std::string not_password = "WEFTKIT_AUTH is not password";
  const std::string not_jwt = "WEFTKIT_AUTH is not jwt";
  const std::string not_mtls = "WEFTKIT_AUTH is not mtls";
  reader.ignored_unless(password, "WEFTKIT_AUTH_USERS_FILE", not_password);
  for (std::string_view name : {"WEFTKIT_JWT_JWKS_URI", "WEFTKIT_JWT_ISSUER", "WEFTKIT_JWT_AUDIENCE", "WEFTKIT_JWT_LEEWAY",
                                "WEFTKIT_JWT_ROLES_CLAIM", "WEFTKIT_JWT_CA", "WEFTKIT_JWT_SECRET"}) {
    reader.ignored_unless(jwt, name, not_jwt);
  }
  for (std::string_view name : {"WEFTKIT_MTLS_CA", "WEFTKIT_MTLS_CRL", "WEFTKIT_MTLS_TENANT_ATTRIBUTE"}) {
    reader.ignored_unless(mtls, name, not_mtls);
  }
}

void read_tls(VariableReader& reader, TlsConfig& tls) {
  tls.cert = reader.text("WEFTKIT_TLS_CERT");
  tls.key = reader.text("WEFTKIT_TLS_KEY");
  tls.ca = reader.text("WEFTKIT_TLS_CA");
  if (reader.is_set("WEFTKIT_TLS_CERT") != reader.is_set("WEFTKIT_TLS_KEY")) {
    reader.error("WEFTKIT_TLS_CERT and WEFTKIT_TLS_KEY go together: set both or neither");
  }
  if (reader.is_set("WEFTKIT_TLS_CA") && !reader.is_set("WEFTKIT_TLS_CERT")) {
    reader.error("WEFTKIT_TLS_CA needs WEFTKIT_TLS_CERT and WEFTKIT_TLS_KEY (it verifies clients of a TLS server)");
  }
}

void read_encryption(VariableReader& reader, EncryptionConfig& encryption) {
  if (auto value = reader.choice<Encryption>(
          "WEFTKIT_ENCRYPTION", {{"aes-256-gcm", Encryption::kAes256Gcm}, {"none", Encryption::kNone}})) {
    encryption.encryption = *value;
  }
  if (auto value = reader.choice<KeyProvider>("WEFTKIT_KEY_PROVIDER", {{"env", KeyProvider::kEnv},
                                                                       {"vault", KeyProvider::kVault},
                                                                       {"kms", KeyProvider::kKms},
                                                                       {"gcp-kms", KeyProvider::kGcpKms}})) {
    encryption.key_provider = *value;
  }
  if (auto value = reader.text("WEFTKIT_KEY")) {
    // Whitespace is skipped, as `base64` wraps long output and files end with a newline.
    std::string text;
    for (char c : *value) {
      if (!std::isspace(static_cast<unsigned char>(c))) text.push_back(c);
    }
    std::optional<std::string> key = decode_base64(text);
    if (key && key->size() == 32) {
      encryption.key = Secret(std::move(*key));
    } else {
      // What was found, by size only: the value is a secret even when malformed.
      const std::string found = key ? "found the base64 of " + std::to_string(key->size()) + " bytes"
                                    : "found " + std::to_string(text.size()) + " characters that are not padded base64";
      reader.bad_value("WEFTKIT_KEY", *value, "expected the base64 of exactly 32 bytes (an AES-256 key); " + found);
    }
  }
  if (auto value = reader.text("WEFTKIT_VAULT_ADDR")) {
    if (is_http_url(*value)) encryption.vault_addr = *value;
    else reader.bad_value("WEFTKIT_VAULT_ADDR", *value, "expected https://HOST[:PORT] (or http:// for a local Vault)");
  }
  if (auto value = reader.text("WEFTKIT_VAULT_TOKEN")) encryption.vault_token = Secret(*value);
  if (auto value = reader.text("WEFTKIT_VAULT_TRANSIT_KEY")) encryption.vault_transit_key = *value;
  if (auto value = reader.text("WEFTKIT_VAULT_MOUNT")) encryption.vault_mount = *value;
  encryption.vault_namespace = reader.text("WEFTKIT_VAULT_NAMESPACE");
  if (auto value = reader.text("WEFTKIT_KMS_REGION")) {
    bool plain = true;
    for (char c : *value) plain = plain && (std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '-');
    if (plain) encryption.kms_region = *value;
    else reader.bad_value("WEFTKIT_KMS_REGION", *value, "expected an AWS region name such as eu-west-1");
  }
  if (auto value = reader.text("WEFTKIT_KMS_KEY_ARN")) {
    // arn:PARTITION:kms:REGION:ACCOUNT:key/ID (or alias/NAME)
    std::vector<std::string_view> parts;
    std::string_view rest = *value;
    for (size_t colon; parts.size() < 5 && (colon = rest.find(':')) != std::string_view::npos;) {
      parts.push_back(rest.substr(0, colon));
      rest.remove_prefix(colon + 1);
    }
    const bool valid = parts.size() == 5 && parts[0] == "arn" && !parts[1].empty() && parts[2] == "kms" &&
                       !parts[3].empty() && !parts[4].empty() && (rest.starts_with("key/") || rest.starts_with("alias/"));
    if (valid) encryption.kms_key_arn = *value;
    else reader.bad_value("WEFTKIT_KMS_KEY_ARN", *value, "expected arn:aws:kms:REGION:ACCOUNT:key/KEY_ID");
  }
  if (auto value = reader.text("WEFTKIT_KMS_HMAC_KEY_ARN")) {
    // The same ARN shapes as the encryption key; KMS itself checks that the key is HMAC_256.
    std::string_view rest = *value;
    int colons = 0;
    for (size_t colon; colons < 5 && (colon = rest.find(':')) != std::string_view::npos; ++colons) rest.remove_prefix(colon + 1);
    if (value->starts_with("arn:") && value->find(":kms:") != std::string::npos && colons == 5 &&
        (rest.starts_with("key/") || rest.starts_with("alias/")) && rest.find('/') + 1 < rest.size()) {
      encryption.kms_hmac_key_arn = *value;
    } else {
      reader.bad_value("WEFTKIT_KMS_HMAC_KEY_ARN", *value, "expected arn:aws:kms:REGION:ACCOUNT:key/KEY_ID of an HMAC_256 key");
    }
  }
  if (auto value = reader.text("AWS_ACCESS_KEY_ID")) encryption.aws_access_key_id = *value;
  if (auto value = reader.text("AWS_SECRET_ACCESS_KEY")) encryption.aws_secret_access_key = Secret(*value);
  if (auto value = reader.text("AWS_SESSION_TOKEN")) encryption.aws_session_token = Secret(*value);
  if (auto value = reader.text("WEFTKIT_KMS_ENDPOINT")) {
    if (is_http_url(*value)) encryption.kms_endpoint = *value;
    else reader.bad_value("WEFTKIT_KMS_ENDPOINT", *value, "expected https://HOST[:PORT]");
  }
  if (auto value = reader.text("WEFTKIT_GCP_KMS_KEY")) {
    if (is_gcp_key_name(*value, false)) encryption.gcp_kms_key = *value;
    else reader.bad_value("WEFTKIT_GCP_KMS_KEY", *value,
                          "expected projects/PROJECT/locations/LOCATION/keyRings/RING/cryptoKeys/KEY");
  }
  if (auto value = reader.text("WEFTKIT_GCP_KMS_MAC_KEY")) {
    if (is_gcp_key_name(*value, true)) encryption.gcp_kms_mac_key = *value;
    else reader.bad_value("WEFTKIT_GCP_KMS_MAC_KEY", *value,
                          "expected projects/PROJECT/locations/LOCATION/keyRings/RING/cryptoKeys/KEY/cryptoKeyVersions/N "
                          "of an HMAC_SHA256 key");
  }
  if (auto value = reader.text("GOOGLE_APPLICATION_CREDENTIALS")) encryption.gcp_credentials_file = *value;
  // Read as given: the provider's TLS client loads it, and names it when it cannot.
  encryption.provider_ca_file = reader.text("WEFTKIT_PROVIDER_CA_FILE");
  if (auto value = reader.text("WEFTKIT_GCP_KMS_ENDPOINT")) {
    if (is_http_url(*value)) encryption.gcp_kms_endpoint = *value;
    else reader.bad_value("WEFTKIT_GCP_KMS_ENDPOINT", *value, "expected https://HOST[:PORT]");
  }
  if (auto value = reader.text("WEFTKIT_GCP_ACCESS_TOKEN")) encryption.gcp_access_token = Secret(*value);

  const bool encrypting = encryption.encryption == Encryption::kAes256Gcm;
  const KeyProvider provider = encryption.key_provider;
  const std::string because = "WEFTKIT_KEY_PROVIDER=" + std::string(to_string(provider));
  if (encrypting) {
    switch (provider) {
      case KeyProvider::kEnv:
        reader.require("WEFTKIT_KEY", because, "the base64 master key");
        break;
      case KeyProvider::kVault:
        reader.require("WEFTKIT_VAULT_ADDR", because, "the Vault server's address");
        reader.require("WEFTKIT_VAULT_TOKEN", because, "a Vault token");
        reader.require("WEFTKIT_VAULT_TRANSIT_KEY", because, "the transit key's name");
        break;
      case KeyProvider::kKms:
        reader.require("WEFTKIT_KMS_REGION", because, "the AWS region");
        reader.require("WEFTKIT_KMS_KEY_ARN", because, "the KMS key's ARN");
        reader.require("WEFTKIT_KMS_HMAC_KEY_ARN", because, "the ARN of the HMAC_256 key that authenticates keyrings");
        reader.require("AWS_ACCESS_KEY_ID", because, "the AWS access key id");
        reader.require("AWS_SECRET_ACCESS_KEY", because, "the AWS secret access key");
        break;
      case KeyProvider::kGcpKms:
        reader.require("WEFTKIT_GCP_KMS_KEY", because, "the Cloud KMS key's resource name");
        reader.require("WEFTKIT_GCP_KMS_MAC_KEY", because, "the HMAC_SHA256 key version that authenticates keyrings");
        if (!reader.is_set("WEFTKIT_GCP_ACCESS_TOKEN") && !reader.is_set("GOOGLE_APPLICATION_CREDENTIALS")) {
          reader.error(because + " needs WEFTKIT_GCP_ACCESS_TOKEN (an OAuth access token) or "
                                 "GOOGLE_APPLICATION_CREDENTIALS (a service-account key file)");
        }
        break;
    }
  }
  const std::string unused_provider = encrypting ? "WEFTKIT_KEY_PROVIDER is " + std::string(to_string(provider))
                                                 : std::string("WEFTKIT_ENCRYPTION is none");
  reader.ignored_unless(encrypting, "WEFTKIT_KEY_PROVIDER", "WEFTKIT_ENCRYPTION is none");
  reader.ignored_unless(encrypting && provider == KeyProvider::kEnv, "WEFTKIT_KEY", unused_provider);
  for (std::string_view name : {"WEFTKIT_VAULT_ADDR", "WEFTKIT_VAULT_TOKEN", "WEFTKIT_VAULT_TRANSIT_KEY",
                                "WEFTKIT_VAULT_MOUNT", "WEFTKIT_VAULT_NAMESPACE"}) {
    reader.ignored_unless(encrypting && provider == KeyProvider::kVault, name, unused_provider);
  }
  // AWS_* and GOOGLE_APPLICATION_CREDENTIALS are not warned about: other tools use them too.
  for (std::string_view name : {"WEFTKIT_KMS_REGION", "WEFTKIT_KMS_KEY_ARN", "WEFTKIT_KMS_HMAC_KEY_ARN", "WEFTKIT_KMS_ENDPOINT"}) {
    reader.ignored_unless(encrypting && provider == KeyProvider::kKms, name, unused_provider);
  }
  for (std::string_view name : {"WEFTKIT_GCP_KMS_KEY", "WEFTKIT_GCP_KMS_MAC_KEY", "WEFTKIT_GCP_KMS_ENDPOINT",
                                "WEFTKIT_GCP_ACCESS_TOKEN"}) {
    reader.ignored_unless(encrypting && provider == KeyProvider::kGcpKms, name, unused_provider);
  }
  reader.ignored_unless(encrypting && provider != KeyProvider::kEnv, "WEFTKIT_PROVIDER_CA_FILE", unused_provider);
}

constexpr std::array<AuditEvent, 8> kAllAuditEvents = {
    AuditEvent::kAuth,       AuditEvent::kAuthzDeny,    AuditEvent::kAuthzAllow,  AuditEvent::kSchemaChange,
    AuditEvent::kDataExport, AuditEvent::kPolicyReload, AuditEvent::kKeyRotation, AuditEvent::kTenantViolation,
};

void read_audit_events(VariableReader& reader, AuditConfig& audit) {
  std::optional<std::string> value = reader.text("WEFTKIT_AUDIT_EVENTS");
  if (!value) {
    // Every event but authz_allow, which fires on each allowed check and would drown the rest.
    for (AuditEvent event : kAllAuditEvents) {
      if (event != AuditEvent::kAuthzAllow) audit.events.push_back(event);
    }
    return;
  }
  std::vector<std::string_view> names;
  for (AuditEvent event : kAllAuditEvents) names.push_back(to_string(event));
  std::array<bool, kAllAuditEvents.size()> chosen{};
  std::string_view rest = *value;
  bool valid = true;
  while (true) {
    const size_t comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    bool found = false;
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] == item) chosen[i] = found = true;
    }
    if (!found) {
      valid = false;
      std::string message = "WEFTKIT_AUDIT_EVENTS=\"" + *value + "\" is not allowed: ";
      message += item.empty() ? std::string("an empty item") : "\"" + std::string(item) + "\" is not an event";
      message += "; expected a comma-separated list of auth, authz_deny, authz_allow, schema_change, data_export, "
                 "policy_reload, key_rotation, tenant_violation";
      if (std::optional<std::string_view> suggestion = closest_name(item, names); suggestion && !item.empty()) {
        message += " (did you mean \"" + std::string(*suggestion) + "\"?)";
      }
      reader.error(std::move(message));
    }
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  if (!valid) return;
  for (size_t i = 0; i < kAllAuditEvents.size(); ++i) {
    if (chosen[i]) audit.events.push_back(kAllAuditEvents[i]);
  }
}

void read_audit(VariableReader& reader, AuditConfig& audit) {
  if (auto value = reader.choice<bool>("WEFTKIT_AUDIT", {{"true", true}, {"false", false}})) audit.enabled = *value;
  if (auto value = reader.text("WEFTKIT_AUDIT_OUTPUT")) audit.output = *value;
  read_audit_events(reader, audit);
  if (auto value = reader.text("WEFTKIT_AUDIT_HMAC_KEY")) {
    if (value->size() < 32) reader.bad_value("WEFTKIT_AUDIT_HMAC_KEY", *value, "expected at least 32 bytes");
    else audit.hmac_key = Secret(*value);
  }
  if (auto value = reader.text("WEFTKIT_AUDIT_MAX_BYTES")) {
    // Bytes, or with a binary suffix: 64K, 100M, 2G.
    std::string_view digits = *value;
    uint64_t scale = 1;
    if (digits.ends_with('K')) scale = 1024;
    else if (digits.ends_with('M')) scale = 1024 * 1024;
    else if (digits.ends_with('G')) scale = 1024 * 1024 * 1024;
    if (scale != 1) digits.remove_suffix(1);
    uint64_t number = 0;
    bool valid = !digits.empty() && digits.size() <= 12;
    for (char c : digits) {
      valid = valid && std::isdigit(static_cast<unsigned char>(c));
      if (valid) number = number * 10 + static_cast<uint64_t>(c - '0');
    }
    valid = valid && number <= UINT64_MAX / scale && number * scale >= 4096;
    if (valid) audit.max_bytes = number * scale;
    else reader.bad_value("WEFTKIT_AUDIT_MAX_BYTES", *value,
                          "expected a size of at least 4096 bytes, in bytes or with a K, M or G suffix");
  }
  if (auto value = reader.choice<AuditOverflow>("WEFTKIT_AUDIT_OVERFLOW",
                                                {{"block", AuditOverflow::kBlock}, {"drop", AuditOverflow::kDrop}})) {
    audit.overflow = *value;
  }
  if (auto value = reader.choice<AuditFsync>(
          "WEFTKIT_AUDIT_FSYNC",
          {{"always", AuditFsync::kAlways}, {"interval", AuditFsync::kInterval}, {"never", AuditFsync::kNever}})) {
    audit.fsync = *value;
  }
  if (audit.enabled) reader.require("WEFTKIT_AUDIT_OUTPUT", "WEFTKIT_AUDIT=true", "the audit log file");
  for (std::string_view name : {"WEFTKIT_AUDIT_OUTPUT", "WEFTKIT_AUDIT_EVENTS", "WEFTKIT_AUDIT_HMAC_KEY",
                                "WEFTKIT_AUDIT_MAX_BYTES", "WEFTKIT_AUDIT_OVERFLOW", "WEFTKIT_AUDIT_FSYNC"}) {
    reader.ignored_unless(audit.enabled, name, "WEFTKIT_AUDIT is not true");
  }
}

}  // namespace

ConfigResult load_config(const EnvironmentMap& environment) {
  ConfigResult result;
  VariableReader reader(environment, result.errors, result.warnings);
  Config config;
  report_unknown_variables(environment, reader);
  read_tls(reader, config.tls);
  read_auth(reader, config.auth, config.tls);
  read_encryption(reader, config.encryption);
  read_audit(reader, config.audit);
  config.policy_public_key = reader.text("WEFTKIT_POLICY_PUBLIC_KEY");
  config.data_dir = reader.text("WEFTKIT_DATA_DIR");
  if (result.errors.empty()) result.config = std::move(config);
  return result;
}

}  // namespace weftkit::config
