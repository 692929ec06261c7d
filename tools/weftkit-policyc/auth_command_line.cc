// Option parsing for the auth verbs: '--flag value' and '--flag=value' alike; roles files are
// told from a token or chain by their extension.
#include "tools/weftkit-policyc/auth_command_line.h"

#include <charconv>
#include <set>

namespace weftkit::policy::cli {
namespace {

ParsedAuthCommandLine usage(std::string message) { return {std::nullopt, std::move(message)}; }

// Which flags each subcommand accepts; anything else is a usage error, not silently ignored.
const std::set<std::string>& flags_of(const std::string& subcommand) {
  static const std::set<std::string> kHash = {"--scram", "--iterations"};
  static const std::set<std::string> kPassword = {"--users-file", "--login"};
  static const std::set<std::string> kJwt = {"--jwks", "--issuer", "--audience", "--now"};
  static const std::set<std::string> kCert = {"--ca", "--crl", "--now"};
  if (subcommand == "hash") return kHash;
  if (subcommand == "password") return kPassword;
  if (subcommand == "jwt") return kJwt;
  return kCert;
}

bool is_roles_file(const std::string& path) { return path.ends_with(".yaml") || path.ends_with(".yml"); }

template <class Number>
std::optional<Number> whole_number(const std::string& text) {
  Number number{};
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return number;
}

}  // namespace

std::string auth_usage_text() {
  return "usage: weftkit-policyc auth <subcommand> [options]\n"
         "\n"
         "subcommands:\n"
         "  hash --scram [--iterations N]   read a password line on stdin, print a SCRAM-SHA-256\n"
         "                                  verifier for a users file (4096 iterations by default)\n"
         "  password [ROLES.yaml...] --users-file F --login NAME\n"
         "                                  check NAME (user or user@tenant) and the password line on stdin\n"
         "  jwt [ROLES.yaml...] --jwks JWKS.json|file://URI [--issuer I] [--audience A] [--now SECONDS] TOKEN\n"
         "                                  verify a JWT (TOKEN '-': read it from stdin)\n"
         "  cert [ROLES.yaml...] --ca CA.pem [--crl CRL.pem] [--now SECONDS] CHAIN.pem\n"
         "                                  verify a client certificate chain (client first)\n"
         "\n"
         "Options not given come from WEFTKIT_AUTH_USERS_FILE, WEFTKIT_JWT_JWKS_URI, WEFTKIT_JWT_ISSUER,\n"
         "WEFTKIT_JWT_AUDIENCE, WEFTKIT_MTLS_CA and WEFTKIT_MTLS_CRL.\n"
         "password, jwt, cert print one JSON object: the identity (exit 0) or {\"error\", \"message\"} (exit 1)\n"
         "exit status: 0 accepted, 1 refused or bad configuration, 2 bad usage\n";
}

ParsedAuthCommandLine parse_auth_command_line(const std::vector<std::string>& arguments) {
  if (arguments.empty()) return usage("'auth' needs a subcommand: hash, password, jwt or cert");
  AuthCommandLine line;
  line.subcommand = arguments[0];
  if (line.subcommand == "--help" || line.subcommand == "-h" || line.subcommand == "help") {
    line.help = true;
    return {line, {}};
  }
  if (line.subcommand != "hash" && line.subcommand != "password" && line.subcommand != "jwt" &&
      line.subcommand != "cert") {
    return usage("unknown auth subcommand '" + line.subcommand + "' (expected hash, password, jwt or cert)");
  }
  const std::string verb = "'auth " + line.subcommand + "'";
  const std::set<std::string>& allowed = flags_of(line.subcommand);
  std::vector<std::string> positional;
  for (size_t index = 1; index < arguments.size(); ++index) {
    const std::string& argument = arguments[index];
    if (argument == "--help" || argument == "-h") {
      line.help = true;
      continue;
    }
    // A lone '-' is "read it from stdin", not an option.
    if (argument.size() < 2 || argument[0] != '-') {
      positional.push_back(argument);
      continue;
    }
    std::string flag = argument;
    std::optional<std::string> value;
    if (size_t equals = argument.find('='); equals != std::string::npos && argument.starts_with("--")) {
      flag = argument.substr(0, equals);
      value = argument.substr(equals + 1);
    }
    if (!allowed.count(flag)) return usage("unknown option '" + flag + "' for " + verb);
    if (flag == "--scram") {
      if (value) return usage("option '--scram' takes no value");
      line.scram = true;
      continue;
    }
    if (!value) {
      if (index + 1 >= arguments.size()) return usage("option '" + flag + "' needs a value");
      value = arguments[++index];
    }
    if (flag == "--iterations") {
      std::optional<uint32_t> iterations = whole_number<uint32_t>(*value);
      if (!iterations || *iterations == 0 || *iterations > 0x7fffffffu) {
        return usage("option '--iterations' takes a whole number from 1 to 2147483647, not '" + *value + "'");
      }
      line.iterations = *iterations;
      continue;
    }
    if (flag == "--now") {
      std::optional<int64_t> now = whole_number<int64_t>(*value);
      if (!now || *now < 0) return usage("option '--now' takes Unix seconds (a whole number), not '" + *value + "'");
      line.now = *now;
      continue;
    }
    std::optional<std::string>* target = flag == "--users-file" ? &line.users_file
                                         : flag == "--login"    ? &line.login
                                         : flag == "--jwks"     ? &line.jwks
                                         : flag == "--issuer"   ? &line.issuer
                                         : flag == "--audience" ? &line.audience
                                         : flag == "--ca"       ? &line.ca
                                                                : &line.crl;
    if (*target) return usage("option '" + flag + "' given twice");
    if (value->empty()) return usage("option '" + flag + "' needs a value");
    *target = *value;
  }
  if (line.help) return {line, {}};

  std::vector<std::string> others;
  for (std::string& argument : positional) {
    if (is_roles_file(argument) && line.subcommand != "hash") {
      line.files.push_back(std::move(argument));
    } else {
      others.push_back(std::move(argument));
    }
  }
  if (line.subcommand == "hash") {
    if (!line.scram) return usage("'auth hash' needs --scram (the only verifier it makes)");
    if (!others.empty()) return usage("'auth hash' takes no arguments: it reads the password on stdin");
    return {line, {}};
  }
  if (line.subcommand == "password") {
    // Never echo the argument: a password typed where the login was expected is still a secret.
    if (!others.empty()) return usage("'auth password' takes only roles files (.yaml, .yml) besides its options; "
                                      "the password is read on stdin");
    if (!line.login) return usage("'auth password' needs --login NAME");
    return {line, {}};
  }
  const std::string what = line.subcommand == "jwt" ? "TOKEN" : "CHAIN.pem";
  if (others.empty()) return usage(verb + " needs " + what);
  if (others.size() > 1) return usage(verb + " takes one " + what + " (besides roles files .yaml, .yml)");
  (line.subcommand == "jwt" ? line.token : line.chain) = std::move(others[0]);
  return {line, {}};
}

}  // namespace weftkit::policy::cli
