// WEFTKIT_NEW_* -> the provider a keyring is rewrapped to (see keys_new_provider.h).
#include "tools/weftkit-policyc/keys_new_provider.h"

#include <iostream>
#include <string_view>
#include <vector>

namespace weftkit::policy::cli {
namespace {

// The settings a key provider is made from; nothing else may be given a new value here (a new
// audit log, say, is no part of moving the keyring).
constexpr std::string_view kProviderSettings[] = {
    "WEFTKIT_KEY_PROVIDER",      "WEFTKIT_KEY",          "WEFTKIT_VAULT_ADDR",       "WEFTKIT_VAULT_TOKEN",
    "WEFTKIT_VAULT_TRANSIT_KEY", "WEFTKIT_VAULT_MOUNT",  "WEFTKIT_VAULT_NAMESPACE",  "WEFTKIT_KMS_REGION",
    "WEFTKIT_KMS_KEY_ARN",       "WEFTKIT_KMS_HMAC_KEY_ARN", "WEFTKIT_KMS_ENDPOINT", "WEFTKIT_GCP_KMS_KEY",
    "WEFTKIT_GCP_KMS_MAC_KEY",   "WEFTKIT_GCP_KMS_ENDPOINT", "WEFTKIT_GCP_ACCESS_TOKEN", "WEFTKIT_PROVIDER_CA_FILE",
    "AWS_ACCESS_KEY_ID",         "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",       "GOOGLE_APPLICATION_CREDENTIALS",
};

// WEFTKIT_NEW_VAULT_ADDR -> WEFTKIT_VAULT_ADDR; WEFTKIT_NEW_AWS_SESSION_TOKEN -> AWS_SESSION_TOKEN.
std::string setting_of(std::string_view new_name) {
  const std::string_view rest = new_name.substr(kNewProviderPrefix.size());
  for (std::string_view setting : kProviderSettings) {
    if (setting.starts_with("WEFTKIT_") ? setting.substr(8) == rest : setting == rest) return std::string(setting);
  }
  return {};
}

std::string new_name_of(std::string_view setting) {
  if (setting.starts_with("WEFTKIT_")) return std::string(kNewProviderPrefix) + std::string(setting.substr(8));
  return std::string(kNewProviderPrefix) + std::string(setting);
}

bool is_name_character(char c) { return c == '_' || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

}  // namespace

config::EnvironmentMap new_provider_variables(const config::EnvironmentMap& environment, std::string& refused) {
  config::EnvironmentMap variables;
  for (const auto& [name, value] : environment) {
    if (!std::string_view(name).starts_with(kNewProviderPrefix)) continue;
    std::string setting = setting_of(name);
    if (setting.empty()) {
      refused = name;
      return {};
    }
    variables[setting] = value;
  }
  variables["WEFTKIT_ENCRYPTION"] = "aes-256-gcm";
  return variables;
}

std::string as_new_provider_names(const std::string& text) {
  // Whole names only: WEFTKIT_KEY must not be found inside WEFTKIT_KEY_PROVIDER.
  std::string out;
  std::size_t at = 0;
  while (at < text.size()) {
    bool replaced = false;
    if (at == 0 || !is_name_character(text[at - 1])) {
      for (std::string_view setting : kProviderSettings) {
        const std::size_t end = at + setting.size();
        if (text.compare(at, setting.size(), setting) == 0 && (end == text.size() || !is_name_character(text[end]))) {
          out += new_name_of(setting);
          at = end;
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) out += text[at++];
  }
  return out;
}

ProviderSetup new_key_provider_from_environment() {
  std::string refused;
  config::EnvironmentMap variables = new_provider_variables(config::process_environment(), refused);
  if (!refused.empty()) {
    std::cerr << "weftkit-policyc: error: " << refused
              << " is not a key provider setting (WEFTKIT_NEW_* names the provider to rewrap to: "
                 "WEFTKIT_NEW_KEY_PROVIDER, WEFTKIT_NEW_KEY, WEFTKIT_NEW_VAULT_*, WEFTKIT_NEW_KMS_*, "
                 "WEFTKIT_NEW_GCP_*, WEFTKIT_NEW_PROVIDER_CA_FILE, WEFTKIT_NEW_AWS_*, "
                 "WEFTKIT_NEW_GOOGLE_APPLICATION_CREDENTIALS)\n";
    return {};
  }
  return key_provider_from_variables(variables, as_new_provider_names);
}

}  // namespace weftkit::policy::cli
