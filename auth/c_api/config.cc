// The auth C API's configuration handle: the WEFTKIT_* variables checked as a whole.
#include <string>

#include <weftkit/detail/c_api_variables.h>

#include "auth/c_api/handles.h"

using weftkit::c_api::fail;
using weftkit::c_api::guarded;

namespace {

weftkit_status load(const weftkit::config::EnvironmentMap& environment, weftkit_auth_config** out,
                    weftkit_error** error) {
  weftkit::config::ConfigResult loaded = weftkit::config::load_config(environment);
  if (!loaded.ok()) {
    // Every problem at once, as load_config found them: the operator fixes them in one go.
    std::string message = "the WEFTKIT_* configuration is invalid:";
    for (const std::string& problem : loaded.errors) message += "\n" + problem;
    return fail(WEFTKIT_INVALID_ARGUMENT, message, error);
  }
  *out = new weftkit_auth_config{std::move(*loaded.config)};
  return WEFTKIT_OK;
}

}  // namespace

extern "C" {

weftkit_status weftkit_auth_config_from_environment(weftkit_auth_config** out, weftkit_error** error) {
  return guarded(error, [&]() -> weftkit_status {
    if (out == nullptr)
      return fail(WEFTKIT_INVALID_ARGUMENT, "weftkit_auth_config_from_environment: out must not be NULL", error);
    *out = nullptr;
    return load(weftkit::config::process_environment(), out, error);
  });
}

weftkit_status weftkit_auth_config_from_variables(const char* const* variables, size_t count, weftkit_auth_config** out,
                                                  weftkit_error** error) {
  return guarded(error, [&]() -> weftkit_status {
    if (out != nullptr) *out = nullptr;
    if (out == nullptr || (variables == nullptr && count > 0)) {
      return fail(WEFTKIT_INVALID_ARGUMENT, "weftkit_auth_config_from_variables: variables and out must not be NULL",
                  error);
    }
    weftkit::config::EnvironmentMap environment;
    const weftkit_status read = weftkit::c_api::environment_from_variables("weftkit_auth_config_from_variables", variables, count, environment, error);
    if (read != WEFTKIT_OK) return read;
    return load(environment, out, error);
  });
}

void weftkit_auth_config_free(weftkit_auth_config* config) { delete config; }

bool weftkit_auth_config_method(const weftkit_auth_config* config, weftkit_auth_method* method) {
  if (config == nullptr || method == nullptr || !config->config.auth.mode) return false;
  switch (*config->config.auth.mode) {
    case weftkit::config::AuthMode::kPassword:
      *method = WEFTKIT_AUTH_PASSWORD;
      return true;
    case weftkit::config::AuthMode::kJwt:
      *method = WEFTKIT_AUTH_JWT;
      return true;
    case weftkit::config::AuthMode::kMtls:
      *method = WEFTKIT_AUTH_MTLS;
      return true;
  }
  return false;
}

}  // extern "C"
