// The key provider `keys rewrap --to-new-provider` moves a keyring to, from the WEFTKIT_NEW_*
// variables: each WEFTKIT_NEW_<NAME> is read as the setting WEFTKIT_<NAME> (and
// WEFTKIT_NEW_AWS_* / WEFTKIT_NEW_GOOGLE_APPLICATION_CREDENTIALS as the cloud credentials'
// own names), by the same configuration library, so the old and the new provider are two
// complete, separate sets of variables and the new one inherits nothing from the old.
#pragma once

#include <string>

#include <weftkit/config.h>

#include "tools/weftkit-policyc/crypto_setup.h"

namespace weftkit::policy::cli {

inline constexpr std::string_view kNewProviderPrefix = "WEFTKIT_NEW_";

// The new provider's variables as the configuration knows them (WEFTKIT_ENCRYPTION set, since
// the new provider is always wanted), or the first WEFTKIT_NEW_* variable that is no key provider
// setting in `refused`.
config::EnvironmentMap new_provider_variables(const config::EnvironmentMap& environment, std::string& refused);

// A problem's text with each setting's name replaced by the WEFTKIT_NEW_* name the operator set.
std::string as_new_provider_names(const std::string& text);

// The new provider, or nullopt after printing every problem (named WEFTKIT_NEW_*) on stderr.
ProviderSetup new_key_provider_from_environment();

}  // namespace weftkit::policy::cli
