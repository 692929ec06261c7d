// Option parsing for the keys and page verbs: '--flag value' and '--flag=value' alike. No
// option takes key material: a key on the command line would be visible to `ps`.
#include "tools/weftkit-policyc/keys_command_line.h"

#include <charconv>
#include <map>
#include <set>

namespace weftkit::policy::cli {
namespace {

ParsedKeysCommandLine usage(std::string message) { return {std::nullopt, std::move(message)}; }

// Which flags each subcommand accepts; anything else is a usage error, not silently ignored.
const std::map<std::string, std::set<std::string>>& flags_by_subcommand(const std::string& verb) {
  static const std::map<std::string, std::set<std::string>> kKeys = {
      {"init", {"--keyring", "--tenant"}},
      {"add-tenant", {"--keyring", "--tenant"}},
      {"rotate", {"--keyring", "--tenant", "--all"}},
      {"rewrap", {"--keyring", "--new-key-env", "--to-new-provider"}},
      {"status", {"--keyring"}},
  };
  static const std::set<std::string> kPageFlags = {"--keyring", "--tenant", "--object", "--page",
                                                   "--version", "--in",     "--out"};
  static const std::map<std::string, std::set<std::string>> kPage = {{"encrypt", kPageFlags},
                                                                     {"decrypt", kPageFlags}};
  return verb == "keys" ? kKeys : kPage;
}

std::optional<std::uint64_t> whole_number(const std::string& text) {
  std::uint64_t number = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return number;
}

// An environment variable's name as POSIX shells accept it.
bool is_variable_name(const std::string& name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  for (char c : name) {
    if (!(c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

std::optional<std::string> check_complete(const KeysCommandLine& line, const std::set<std::string>& given) {
  const std::string verb = "'" + line.verb + " " + line.subcommand + "'";
  if (line.keyring.empty()) return verb + " needs --keyring FILE";
  if (line.verb == "page") {
    if (line.tenants.size() != 1) return verb + " needs one --tenant T";
    for (const char* flag : {"--object", "--page", "--version"}) {
      if (!given.count(flag)) return verb + " needs " + flag + " N";
    }
    return std::nullopt;
  }
  if (line.subcommand == "add-tenant" && line.tenants.empty()) return verb + " needs --tenant T (one or more)";
  if (line.subcommand == "rotate" && line.all == !line.tenants.empty()) {
    return verb + " needs --tenant T (one or more) or --all, not both";
  }
  if (line.subcommand == "rewrap" && line.new_key_env.has_value() == line.to_new_provider) {
    return verb + " needs --to-new-provider (the new provider's settings in WEFTKIT_NEW_* variables) or "
                  "--new-key-env VAR (the variable holding a new base64 env master key), not both";
  }
  return std::nullopt;
}

}  // namespace

std::string keys_usage_text() {
  return "usage: weftkit-policyc keys <subcommand> --keyring FILE [options]\n"
         "\n"
         "subcommands:\n"
         "  init [--tenant T]...            create the keyring file (refused if it exists), with\n"
         "                                  these tenants\n"
         "  add-tenant --tenant T...        add tenants, each with a data key version 1\n"
         "  rotate --tenant T... | --all    a new data key version for new pages of these tenants\n"
         "                                  (or of every tenant); older pages stay readable\n"
         "  rewrap --to-new-provider        wrap every data key again under the master key of the\n"
         "                                  provider the WEFTKIT_NEW_* variables describe, read as\n"
         "                                  WEFTKIT_* (WEFTKIT_NEW_KEY_PROVIDER=vault,\n"
         "                                  WEFTKIT_NEW_VAULT_TRANSIT_KEY=..., WEFTKIT_NEW_AWS_*...);\n"
         "                                  nothing is inherited from the current provider.\n"
         "                                  Afterwards only the new provider opens the keyring:\n"
         "                                  move the WEFTKIT_NEW_* values to WEFTKIT_* and unset them\n"
         "  rewrap --new-key-env VAR        the same to a new env master key held (base64) in the\n"
         "                                  environment variable VAR; then set WEFTKIT_KEY to it\n"
         "  status                          the provider, the tenants and their key versions\n"
         "\n"
         "The master key comes from the key provider of WEFTKIT_KEY_PROVIDER (env: WEFTKIT_KEY);\n"
         "no key is ever given on the command line or printed.\n"
         "Prints one JSON object: the result (exit 0) or {\"error\", \"message\"} (exit 1)\n"
         "exit status: 0 done, 1 refused or bad configuration, 2 bad usage\n";
}

std::string page_usage_text() {
  return "usage: weftkit-policyc page encrypt|decrypt --keyring FILE --tenant T --object N --page N\n"
         "                                --version N [--in FILE] [--out FILE]\n"
         "\n"
         "  encrypt                         seal the plaintext page (at most 65536 bytes) for the\n"
         "                                  tenant, at this object, page number and page version\n"
         "  decrypt                         open a sealed page; refused unless it is this tenant's\n"
         "                                  page at this position and version, untouched\n"
         "\n"
         "--in and --out default to stdin and stdout; bytes pass unchanged. --out is written only\n"
         "when the page is accepted (a new file renamed over it). A refusal prints\n"
         "{\"error\", \"message\"} on stderr, with the reason's name (e.g. wrong_tenant), and writes\n"
         "nothing. The master key comes from the WEFTKIT_* variables as for `keys`.\n"
         "exit status: 0 done, 1 refused or bad configuration, 2 bad usage\n";
}

ParsedKeysCommandLine parse_keys_command_line(const std::string& verb, const std::vector<std::string>& arguments) {
  const auto& subcommands = flags_by_subcommand(verb);
  const std::string expected = verb == "keys" ? "init, add-tenant, rotate, rewrap or status" : "encrypt or decrypt";
  if (arguments.empty()) return usage("'" + verb + "' needs a subcommand: " + expected);
  KeysCommandLine line;
  line.verb = verb;
  line.subcommand = arguments[0];
  if (line.subcommand == "--help" || line.subcommand == "-h" || line.subcommand == "help") {
    line.help = true;
    return {line, {}};
  }
  auto found = subcommands.find(line.subcommand);
  if (found == subcommands.end()) {
    return usage("unknown " + verb + " subcommand '" + line.subcommand + "' (expected " + expected + ")");
  }
  const std::string name = "'" + verb + " " + line.subcommand + "'";
  std::set<std::string> given;
  for (size_t index = 1; index < arguments.size(); ++index) {
    const std::string& argument = arguments[index];
    if (argument == "--help" || argument == "-h") {
      line.help = true;
      continue;
    }
    if (!argument.starts_with("--")) return usage(name + " takes no arguments besides its options, not '" + argument + "'");
    std::string flag = argument;
    std::optional<std::string> value;
    if (size_t equals = argument.find('='); equals != std::string::npos) {
      flag = argument.substr(0, equals);
      value = argument.substr(equals + 1);
    }
    if (!found->second.count(flag)) return usage("unknown option '" + flag + "' for " + name);
    if (flag == "--all" || flag == "--to-new-provider") {
      if (value) return usage("option '" + flag + "' takes no value");
      (flag == "--all" ? line.all : line.to_new_provider) = true;
      continue;
    }
    if (!value) {
      if (index + 1 >= arguments.size()) return usage("option '" + flag + "' needs a value");
      value = arguments[++index];
    }
    if (value->empty()) return usage("option '" + flag + "' needs a value");
    if (flag == "--tenant" && verb == "keys") {
      // Twice would rotate twice, or fail half-way through init after the file was created.
      for (const std::string& tenant : line.tenants) {
        if (tenant == *value) return usage("tenant '" + *value + "' given twice");
      }
      line.tenants.push_back(*value);
      continue;
    }
    if (!given.insert(flag).second) return usage("option '" + flag + "' given twice");
    if (flag == "--object" || flag == "--page" || flag == "--version") {
      std::optional<std::uint64_t> number = whole_number(*value);
      if (!number) return usage("option '" + flag + "' takes a whole number from 0 to 2^64-1, not '" + *value + "'");
      (flag == "--object" ? line.object : flag == "--page" ? line.page : line.version) = *number;
    } else if (flag == "--new-key-env") {
      // A name, not a key: refuse anything that is not one, without echoing it (it may be the key).
      if (!is_variable_name(*value)) {
        return usage("option '--new-key-env' takes the NAME of an environment variable holding the new key "
                     "(value not shown), never the key itself");
      }
      line.new_key_env = *value;
    } else if (flag == "--keyring") {
      line.keyring = *value;
    } else if (flag == "--tenant") {
      line.tenants.push_back(*value);
    } else {
      (flag == "--in" ? line.in : line.out) = *value;
    }
  }
  if (line.help) return {line, {}};
  if (std::optional<std::string> missing = check_complete(line, given)) return usage(*missing);
  return {line, {}};
}

}  // namespace weftkit::policy::cli
