// The key provider for the keys and page verbs, from the same checked configuration an engine
// uses: no second reading of WEFTKIT_KEY that could disagree with `weftkit-policyc config`.
#include "tools/weftkit-policyc/crypto_setup.h"

#include <iostream>

#include <nlohmann/json.hpp>

#include <weftkit/config.h>
#include <weftkit/crypto/from_config.h>

namespace weftkit::policy::cli {

ProviderSetup key_provider_from_environment(const std::string& excluded) {
  config::EnvironmentMap environment = config::process_environment();
  if (!excluded.empty()) environment.erase(excluded);
  config::ConfigResult result = config::load_config(environment);
  for (const std::string& warning : result.warnings) {
    // These verbs use the key provider whatever WEFTKIT_ENCRYPTION says (a keyring is managed
    // before encryption is switched on, and recovered after it is switched off), so "not used
    // because encryption is none" would be wrong here.
    if (warning.ends_with("is set but not used: WEFTKIT_ENCRYPTION is none")) continue;
    std::cerr << "weftkit-policyc: warning: " << warning << "\n";
  }
  if (!result.ok()) {
    for (const std::string& error : result.errors) std::cerr << "weftkit-policyc: error: " << error << "\n";
    return {};
  }
  const config::EncryptionConfig& encryption = result.config->encryption;
  // With WEFTKIT_ENCRYPTION=none the configuration does not require the key; these verbs do.
  if (encryption.key_provider == config::KeyProvider::kEnv && !encryption.key) {
    std::cerr << "weftkit-policyc: error: WEFTKIT_KEY_PROVIDER=env needs WEFTKIT_KEY (the base64 master key)\n";
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
