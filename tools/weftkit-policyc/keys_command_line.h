// The options of `weftkit-policyc keys init|add-tenant|rotate|rewrap|status` and
// `weftkit-policyc page encrypt|decrypt`. Bad usage is a value with a message, printed with exit
// status 2, like the other verbs'.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace weftkit::policy::cli {

struct KeysCommandLine {
  std::string verb;        // keys or page
  std::string subcommand;  // keys: init, add-tenant, rotate, rewrap, status; page: encrypt, decrypt
  bool help = false;
  std::string keyring;
  std::vector<std::string> tenants;  // keys init/add-tenant/rotate: repeatable; page: exactly one
  bool all = false;                  // keys rotate: every tenant
  std::optional<std::string> new_key_env;  // keys rewrap: the variable holding the new key
  bool to_new_provider = false;            // keys rewrap: to the provider of the WEFTKIT_NEW_* variables
  // page
  std::uint64_t object = 0;
  std::uint64_t page = 0;
  std::uint64_t version = 0;
  std::optional<std::string> in;   // unset: stdin
  std::optional<std::string> out;  // unset: stdout
};

struct ParsedKeysCommandLine {
  std::optional<KeysCommandLine> command_line;
  std::string usage_error;  // set when command_line is empty
};

// The arguments after `keys` (verb "keys") or after `page` (verb "page").
ParsedKeysCommandLine parse_keys_command_line(const std::string& verb, const std::vector<std::string>& arguments);

std::string keys_usage_text();
std::string page_usage_text();

}  // namespace weftkit::policy::cli
