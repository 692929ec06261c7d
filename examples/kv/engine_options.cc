#include "engine_options.h"

#include <charconv>
#include <string_view>

namespace weftkit_kv {

const char* const kUsage =
    "usage: weftkit-kv --policy roles.yaml --policy items.sql [--listen 127.0.0.1:20004]\n"
    "       weftkit-kv --module policy.so [--listen 127.0.0.1:20004]   (weftkit-policyc compile --emit=so)\n"
    "Configured by the WEFTKIT_* variables: WEFTKIT_TLS_CERT and WEFTKIT_TLS_KEY (required: HTTPS only),\n"
    "WEFTKIT_AUTH=jwt|mtls, WEFTKIT_ENCRYPTION, WEFTKIT_KEY_PROVIDER, WEFTKIT_AUDIT, WEFTKIT_DATA_DIR (./data).\n";

namespace {

weftkit::Status bad(std::string message) {
  return weftkit::Status(weftkit::StatusCode::kInvalidArgument, std::move(message));
}

}  // namespace

weftkit::StatusOr<EngineOptions> parse_engine_options(int argc, char** argv) {
  EngineOptions options;
  for (int index = 1; index < argc; ++index) {
    std::string_view argument = argv[index];
    auto value = [&]() -> const char* { return index + 1 < argc ? argv[++index] : nullptr; };
    if (argument == "--listen") {
      const char* text = value();
      if (text == nullptr) return bad("--listen needs HOST:PORT");
      std::string_view listen = text;
      size_t colon = listen.rfind(':');
      int port = 0;
      if (colon == std::string_view::npos || colon == 0) return bad("--listen " + std::string(listen) + ": expected HOST:PORT");
      auto [end, error] = std::from_chars(listen.data() + colon + 1, listen.data() + listen.size(), port);
      if (error != std::errc() || end != listen.data() + listen.size() || port < 1 || port > 65535) {
        return bad("--listen " + std::string(listen) + ": the port must be a number from 1 to 65535");
      }
      options.host = std::string(listen.substr(0, colon));
      options.port = port;
    } else if (argument == "--policy") {
      const char* file = value();
      if (file == nullptr) return bad("--policy needs a file (roles.yaml or a .sql file)");
      options.policy_files.emplace_back(file);
    } else if (argument == "--module") {
      const char* file = value();
      if (file == nullptr) return bad("--module needs a file (a module of weftkit-policyc compile --emit=so)");
      options.module_file = file;
    } else {
      return bad("unknown argument '" + std::string(argument) + "'");
    }
  }
  if (!options.module_file.empty() && !options.policy_files.empty()) {
    return bad("--module and --policy are alternatives: serve either a compiled module or the policy files");
  }
  if (options.policy_files.empty() && options.module_file.empty()) {
    return bad("no --policy file and no --module: the engine serves nobody without roles.yaml");
  }
  return options;
}

}  // namespace weftkit_kv
