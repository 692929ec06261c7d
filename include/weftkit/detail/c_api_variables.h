// The NAME=value list the C APIs' *_from_variables functions take, read into the
// configuration's environment map, shared so that every C entry point refuses the same
// malformed lists with the same messages.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <weftkit/config.h>
#include <weftkit/detail/c_api_bridge.h>

namespace weftkit::c_api {

// WEFTKIT_OK with `environment` filled, or WEFTKIT_INVALID_ARGUMENT naming `function` and the
// entry's position. A malformed entry is named by position only, never by its text: its value
// may be a secret. `variables` may be null only when `count` is 0. Throws std::bad_alloc, to
// be caught by guarded().
inline weftkit_status environment_from_variables(std::string_view function, const char* const* variables,
                                                 size_t count, config::EnvironmentMap& environment,
                                                 weftkit_error** error) {
  for (size_t i = 0; i < count; ++i) {
    if (variables[i] == nullptr) {
      return fail(WEFTKIT_INVALID_ARGUMENT,
                  std::string(function) + ": variables[" + std::to_string(i) + "] is NULL", error);
    }
    const std::string_view entry(variables[i]);
    const size_t equals = entry.find('=');
    if (equals == std::string_view::npos) {
      return fail(WEFTKIT_INVALID_ARGUMENT, "variable " + std::to_string(i) + " is not NAME=value", error);
    }
    environment.insert_or_assign(std::string(entry.substr(0, equals)), std::string(entry.substr(equals + 1)));
  }
  return WEFTKIT_OK;
}

}  // namespace weftkit::c_api
