// The command line: where to listen, the policy files, and the development flag. Everything
// else comes from the WEFTKIT_* variables (weftkit/config.h).
#pragma once

#include <string>
#include <vector>

namespace relational {

struct EngineOptions {
  std::string listen_host = "127.0.0.1";
  int listen_port = 20000;  // 0: any free port (printed on start)
  std::vector<std::string> policy_files;  // roles.yaml and .sql files
  // Accept cleartext passwords and tokens without TLS. Only with a loopback listen address:
  // for a developer's machine, never a network.
  bool dev_cleartext_without_tls = false;
  bool help = false;
};

// Every problem of the command line, not just the first.
struct ParsedOptions {
  EngineOptions options;
  std::vector<std::string> errors;
};

ParsedOptions parse_options(int argc, char** argv);
const char* usage_text();
bool is_loopback_host(const std::string& host);

}  // namespace relational
