// Command-line parsing (see engine_options.h).
#include "engine_options.h"

#include <charconv>
#include <string_view>

namespace relational {

const char* usage_text() {
  return "usage: weftkit-relational --policy roles.yaml --policy policies.sql [--listen HOST:PORT]\n"
         "                          [--dev-allow-cleartext-without-tls]\n"
         "  --listen HOST:PORT   where to accept PostgreSQL clients (default 127.0.0.1:20000; port 0: any)\n"
         "  --policy FILE        a roles file (.yaml) or policy file (.sql); repeat; reloaded when edited\n"
         "  --dev-allow-cleartext-without-tls\n"
         "                       accept cleartext passwords and tokens without TLS (loopback only)\n"
         "Configuration: WEFTKIT_AUTH, WEFTKIT_AUTH_USERS_FILE, WEFTKIT_JWT_*, WEFTKIT_MTLS_*, WEFTKIT_TLS_*,\n"
         "WEFTKIT_ENCRYPTION, WEFTKIT_KEY_PROVIDER, WEFTKIT_KEY, WEFTKIT_AUDIT*, WEFTKIT_DATA_DIR (default ./data).\n";
}

bool is_loopback_host(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

ParsedOptions parse_options(int argc, char** argv) {
  ParsedOptions parsed;
  EngineOptions& options = parsed.options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view argument = argv[i];
    auto value = [&](std::string_view flag) -> std::string {
      if (i + 1 >= argc) {
        parsed.errors.push_back(std::string(flag) + " needs a value");
        return {};
      }
      return argv[++i];
    };
    if (argument == "--help" || argument == "-h") {
      options.help = true;
    } else if (argument == "--listen") {
      const std::string address = value(argument);
      const size_t colon = address.rfind(':');
      int port = -1;
      if (colon != std::string::npos) {
        const std::string_view digits = std::string_view(address).substr(colon + 1);
        auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
        if (error != std::errc() || end != digits.data() + digits.size()) port = -1;
      }
      if (colon == std::string::npos || colon == 0 || port < 0 || port > 65535) {
        parsed.errors.push_back("--listen " + address + ": expected HOST:PORT, e.g. 127.0.0.1:20000");
      } else {
        options.listen_host = address.substr(0, colon);
        if (options.listen_host.size() > 2 && options.listen_host.front() == '[') {
          options.listen_host = options.listen_host.substr(1, options.listen_host.size() - 2);
        }
        options.listen_port = port;
      }
    } else if (argument == "--policy") {
      std::string file = value(argument);
      if (!file.empty()) options.policy_files.push_back(file);
    } else if (argument == "--dev-allow-cleartext-without-tls") {
      options.dev_cleartext_without_tls = true;
    } else {
      parsed.errors.push_back("unknown argument: " + std::string(argument));
    }
  }
  if (!options.help && options.policy_files.empty()) {
    parsed.errors.push_back("no policy files: give --policy roles.yaml --policy policies.sql");
  }
  if (options.dev_cleartext_without_tls && !is_loopback_host(options.listen_host)) {
    parsed.errors.push_back("--dev-allow-cleartext-without-tls is only allowed with a loopback --listen address, not " +
                            options.listen_host);
  }
  return parsed;
}

}  // namespace relational
