// The options of `weftkit-policyc auth hash|password|jwt|cert`. Bad usage is a value with a
// message, printed with exit status 2, like the other verbs'.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace weftkit::policy::cli {

struct AuthCommandLine {
  std::string subcommand;           // hash, password, jwt or cert
  std::vector<std::string> files;   // roles files (.yaml, .yml)
  bool help = false;
  // hash
  bool scram = false;
  uint32_t iterations = 4096;
  // password
  std::optional<std::string> users_file;
  std::optional<std::string> login;
  // jwt
  std::optional<std::string> jwks;
  std::optional<std::string> issuer;
  std::optional<std::string> audience;
  std::optional<std::string> token;
  // cert
  std::optional<std::string> ca;
  std::optional<std::string> crl;
  std::optional<std::string> chain;
  // jwt and cert: Unix seconds; unset means the clock's
  std::optional<int64_t> now;
};

struct ParsedAuthCommandLine {
  std::optional<AuthCommandLine> command_line;
  std::string usage_error;  // set when command_line is empty
};

// The arguments after `auth`.
ParsedAuthCommandLine parse_auth_command_line(const std::vector<std::string>& arguments);

std::string auth_usage_text();

}  // namespace weftkit::policy::cli
