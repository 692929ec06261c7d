// The auth C API's SCRAM-SHA-256 exchanges, driven one wire message at a time.
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <string>

#include <weftkit/auth/scram.h>

#include "auth/c_api/handles.h"

using weftkit::c_api::duplicate;
using weftkit::c_api::fail;
using weftkit::c_api::guarded;
using weftkit::c_api::report;

struct weftkit_scram {
  std::shared_ptr<weftkit::auth::c_api::Backend> backend;  // the server points at its throttle
  weftkit::auth::ScramServer server;
};

namespace {

// The mechanisms as static strings, in ScramServer::mechanisms' order (a test compares them).
const char* const kWithBinding[] = {"SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"};
const char* const kWithoutBinding[] = {"SCRAM-SHA-256"};

}  // namespace

extern "C" {

size_t weftkit_scram_mechanism_count(bool channel_binding_available) {
  return channel_binding_available ? std::size(kWithBinding) : std::size(kWithoutBinding);
}

const char* weftkit_scram_mechanism_at(bool channel_binding_available, size_t index) {
  if (index >= weftkit_scram_mechanism_count(channel_binding_available)) return nullptr;
  return channel_binding_available ? kWithBinding[index] : kWithoutBinding[index];
}

weftkit_status weftkit_scram_channel_binding(const uint8_t* certificate_der, size_t certificate_size, uint8_t* out,
                                             size_t capacity, size_t* length, weftkit_error** error) {
  return guarded(error, [&]() -> weftkit_status {
    if (certificate_der == nullptr || (out == nullptr && capacity > 0) || length == nullptr) {
      return fail(WEFTKIT_INVALID_ARGUMENT,
                  "weftkit_scram_channel_binding: certificate_der, out and length must not be NULL", error);
    }
    weftkit::StatusOr<std::string> binding = weftkit::auth::tls_server_end_point(
        std::string_view(reinterpret_cast<const char*>(certificate_der), certificate_size));
    if (!binding.is_ok()) return report(binding.status(), error);
    *length = binding.value().size();
    if (binding.value().size() > capacity) {
      return fail(WEFTKIT_BUFFER_TOO_SMALL,
                  "the channel binding takes " + std::to_string(binding.value().size()) + " bytes", error);
    }
    std::memcpy(out, binding.value().data(), binding.value().size());
    return WEFTKIT_OK;
  });
}

weftkit_status weftkit_scram_begin(weftkit_authenticator* authenticator, const char* login, const char* source_address,
                                   const char* mechanism, const uint8_t* channel_binding, size_t channel_binding_size,
                                   weftkit_scram** out, weftkit_error** error) {
  return guarded(error, [&]() -> weftkit_status {
    if (out != nullptr) *out = nullptr;
    if (authenticator == nullptr || mechanism == nullptr || out == nullptr) {
      return fail(WEFTKIT_INVALID_ARGUMENT, "weftkit_scram_begin: authenticator, mechanism and out must not be NULL",
                  error);
    }
    const std::shared_ptr<weftkit::auth::c_api::Backend>& backend = authenticator->backend;
    if (!backend->password) return weftkit::auth::c_api::wrong_backend(*backend, weftkit::AuthMethod::kPassword, error);
    weftkit::auth::ScramServerOptions options;
    options.users = backend->password->users();
    options.tenants = backend->password->tenants();
    options.login_name = weftkit::auth::c_api::view_of(login);
    options.source_address = weftkit::auth::c_api::view_of(source_address);
    options.mechanism = mechanism;
    if (channel_binding != nullptr) {
      options.channel_binding = std::string(reinterpret_cast<const char*>(channel_binding), channel_binding_size);
    }
    // Failures here count against the same user and address as password logins do.
    options.throttle = &backend->password->throttle();
    options.audit_sink = backend->audit_sink;
    *out = new weftkit_scram{backend, weftkit::auth::ScramServer(std::move(options))};
    return WEFTKIT_OK;
  });
}

weftkit_status weftkit_scram_step(weftkit_scram* scram, const char* client_message, size_t length,
                                  char** server_message, size_t* server_length, weftkit_auth_result** result,
                                  weftkit_error** error) {
  return guarded(error, [&]() -> weftkit_status {
    if (server_message != nullptr) *server_message = nullptr;
    if (result != nullptr) *result = nullptr;
    if (scram == nullptr || (client_message == nullptr && length > 0) || server_message == nullptr ||
        server_length == nullptr || result == nullptr) {
      return fail(
          WEFTKIT_INVALID_ARGUMENT,
          "weftkit_scram_step: scram, client_message, server_message, server_length and result must not be NULL",
          error);
    }
    const std::string_view message = length == 0 ? std::string_view() : std::string_view(client_message, length);
    weftkit::auth::ScramStep step = scram->server.step(message);
    char* text = duplicate(step.server_message);
    if (step.outcome) {
      try {
        *result = weftkit::auth::c_api::make_result(std::move(*step.outcome), weftkit::AuthMethod::kPassword);
      } catch (...) {
        std::free(text);
        throw;
      }
    }
    *server_message = text;
    *server_length = step.server_message.size();
    return WEFTKIT_OK;
  });
}

void weftkit_scram_free(weftkit_scram* scram) { delete scram; }

}  // extern "C"
