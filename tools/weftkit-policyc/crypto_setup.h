// What the keys and page verbs share: the key provider of the WEFTKIT_* variables, the keyring
// opened with it, and how a typed crypto error is printed.
#pragma once

#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <weftkit/config.h>

#include <weftkit/crypto/keyring.h>

namespace weftkit::policy::cli {

// The checked WEFTKIT_* configuration's key provider, or nullopt after printing every problem on
// stderr as `config` does. `excluded` (may be empty) is left out of the check: the variable that
// `keys rewrap --new-key-env` names is not a WeftKit setting even if it starts with WEFTKIT_.
// A provider the library refuses (a remote one not built yet) is a typed error, not nullopt.
struct ProviderSetup {
  std::optional<crypto::Result<std::shared_ptr<crypto::KeyProvider>>> provider;  // unset: config errors printed
};
// `excluded_prefix` (may be empty) leaves out every variable whose name starts with it: the
// WEFTKIT_NEW_* settings of `keys rewrap --to-new-provider` are not the current provider's.
ProviderSetup key_provider_from_environment(const std::string& excluded = {}, std::string_view excluded_prefix = {});

// The same from a map of variables already chosen; `rename` maps a variable's name in a
// problem's text to the name the operator set (identity when empty).
ProviderSetup key_provider_from_variables(const config::EnvironmentMap& environment,
                                          const std::function<std::string(const std::string&)>& rename = {});

// {"error": "<error_code_name>", "message": "..."} on one line.
void print_crypto_error(std::ostream& out, const crypto::Error& error);

// The keyring at `path`, reserving page counts one page at a time: a run encrypts at most one
// page, and the engines' default reservation (2^20) would count 2^20 pages against a key's 2^32
// limit for every run, since an unused reservation counts as used when the keyring is reopened.
crypto::KeyringSettings keyring_settings(const std::string& path);

}  // namespace weftkit::policy::cli
