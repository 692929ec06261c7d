// The command line of weftkit-kv: where to listen and which policy files to serve. Everything
// else comes from the WEFTKIT_* variables.
#pragma once

#include <string>
#include <vector>

#include <weftkit/status.h>

namespace weftkit_kv {

struct EngineOptions {
  std::string host = "127.0.0.1";
  int port = 20004;
  std::vector<std::string> policy_files;  // roles.yaml and .sql files, watched for edits
  std::string module_file;                // or: a module of `weftkit-policyc compile --emit=so`, watched
};

// --listen HOST:PORT (default 127.0.0.1:20004), and either --policy FILE (one or more) or
// --module FILE. Errors name the argument and what was expected.
weftkit::StatusOr<EngineOptions> parse_engine_options(int argc, char** argv);

extern const char* const kUsage;

}  // namespace weftkit_kv
