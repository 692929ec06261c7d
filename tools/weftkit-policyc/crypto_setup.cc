// The key provider for the keys and page verbs, from the same checked configuration an engine
// uses: no second reading of WEFTKIT_KEY that could disagree with `weftkit-policyc config`.
#include "tools/weftkit-policyc/crypto_setup.h"

#include <iostream>

#include <nlohmann/json.hpp>

#include <weftkit/config.h>
#include <weftkit/crypto/from_config.h>

namespace weftkit::policy::cli {

ProviderSetup key_provider_from_environment(const std::string& excluded, std::string_view excluded_prefix) {
  config::EnvironmentMap environment = config::process_environment();
  if (!excluded.empty()) environment.erase(excluded);
  if (!excluded_prefix.empty()) {
    std::erase_if(environment, [&](const auto& entry) { return std::string_view(entry.first).starts_with(excluded_prefix); });
  }
  return key_provider_from_variables(environment);
}

ProviderSetup key_provider_from_variables(const config::EnvironmentMap& environment,
                                          const std::function<std::string(const std::string&)>& rename) {
  auto shown = [&](const std::string& text) { return rename ? rename(text) : text; };
  config::ConfigResult result = config::load_config(environment);
  for (const std::string& warning : result.warnings) {
    // These verbs use the key provider whatever WEFTKIT_ENCRYPTION says (a keyring is managed
    // before encryption is switched on, and recovered after it is switched off), so "not used
    // because encryption is none" would be wrong here.
    if (warning.ends_with("is set but not used: WEFTKIT_ENCRYPTION is none")) continue;
    std::cerr << "weftkit-policyc: warning: " << shown(warning) << "\n";
  }
  if (!result.ok()) {
    for (const std::string& error : result.errors) std::cerr << "weftkit-policyc: error: " << shown(error) << "\n";
    return {};
  }
  const config::EncryptionConfig& encryption = result.config->encryption;
  // With WEFTKIT_ENCRYPTION=none the configuration does not require the key; these verbs do.
  if (encryption.key_provider == config::KeyProvider::kEnv && !encryption.key) {
    std::cerr << "weftkit-policyc: error: "
              << shown("WEFTKIT_KEY_PROVIDER=env needs WEFTKIT_KEY (the base64 master key)") << "\n";
    return {};
  }
  return {crypto::make_key_provider(crypto::key_provider_settings_from_config(encryption))};
}

void print_crypto_error(std::ostream& out, const crypto::Error& error) {
  nlohmann::ordered_json json = {{"error", std::string(error.name())}, {"message", error.message()}};
  out << json.dump() << "\n";
}

crypto::KeyringSettings keyring_settings(const std::string& path) {
  crypto::KeyringSettings settings;
  settings.path = path;
  settings.page_count_reservation = 1;
  return settings;
}

}  // namespace weftkit::policy::cli
