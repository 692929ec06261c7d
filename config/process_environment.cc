// The process's WEFTKIT_* variables (and the clouds' own credential variables), copied out of environ once so that the loader (and its
// tests) work on a plain map.
#include <unistd.h>

#include <string_view>
#include <vector>

#include "weftkit/config.h"

namespace weftkit::config {

EnvironmentMap process_environment() {
  EnvironmentMap variables;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const size_t equals = text.find('=');
    if (equals == std::string_view::npos) continue;
    bool wanted = text.starts_with("WEFTKIT_");
    for (std::string_view name : provider_credential_variables()) wanted = wanted || text.substr(0, equals) == name;
    if (!wanted) continue;
    variables.emplace(std::string(text.substr(0, equals)), std::string(text.substr(equals + 1)));
  }
  return variables;
}

}  // namespace weftkit::config
