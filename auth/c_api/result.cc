// The auth C API's results: what a login answered, and the weftkit_identity it fills.
#include <string_view>

#include "auth/c_api/handles.h"

using weftkit::c_api::fail;
using weftkit::c_api::guarded;

namespace weftkit::auth::c_api {

// The setting policies read the tenant from, as current_setting('app.tenant_id').
constexpr std::string_view kTenantSetting = "app.tenant_id";

weftkit_auth_result* make_result(AuthResult outcome, AuthMethod method) {
  auto* result = new weftkit_auth_result{std::move(outcome), method, {}, {}};
  if (!result->outcome.ok()) return result;
  try {
    // Pointers into the result's own strings: the result is never moved once made.
    const Identity& identity = result->outcome.identity();
    for (const std::string& role : identity.roles) result->roles.push_back(role.c_str());
    bool tenant_setting_given = false;
    for (const auto& [name, value] : identity.settings) {
      result->settings.push_back(weftkit_setting{name.c_str(), value.c_str()});
      tenant_setting_given = tenant_setting_given || name == kTenantSetting;
    }
    if (identity.tenant && !tenant_setting_given) {
      result->settings.push_back(weftkit_setting{kTenantSetting.data(), identity.tenant->c_str()});
    }
  } catch (...) {
    delete result;
    throw;
  }
  return result;
}

}  // namespace weftkit::auth::c_api

namespace {

const weftkit::Identity* identity_of(const weftkit_auth_result* result) {
  return result != nullptr && result->outcome.ok() ? &result->outcome.identity() : nullptr;
}

weftkit_auth_method c_method(weftkit::AuthMethod method) { return static_cast<weftkit_auth_method>(method); }

static_assert(WEFTKIT_AUTH_PASSWORD == static_cast<int>(weftkit::AuthMethod::kPassword));
static_assert(WEFTKIT_AUTH_JWT == static_cast<int>(weftkit::AuthMethod::kJwt));
static_assert(WEFTKIT_AUTH_MTLS == static_cast<int>(weftkit::AuthMethod::kMtls));

}  // namespace

extern "C" {

uint32_t weftkit_auth_api_version(void) { return WEFTKIT_AUTH_API_VERSION; }

bool weftkit_auth_result_ok(const weftkit_auth_result* result) { return identity_of(result) != nullptr; }

const char* weftkit_auth_result_failure(const weftkit_auth_result* result) {
  if (result == nullptr) return "internal";  // a result that does not exist accepts nobody
  if (result->outcome.ok()) return nullptr;
  // failure_name returns views of string literals, so data() is NUL-terminated.
  return weftkit::auth::failure_name(result->outcome.failure().kind).data();
}

const char* weftkit_auth_result_message(const weftkit_auth_result* result) {
  if (result == nullptr) return "no result";
  return result->outcome.ok() ? "" : result->outcome.failure().message.c_str();
}

const char* weftkit_auth_result_user(const weftkit_auth_result* result) {
  const weftkit::Identity* identity = identity_of(result);
  return identity != nullptr ? identity->user.c_str() : nullptr;
}

const char* weftkit_auth_result_tenant(const weftkit_auth_result* result) {
  const weftkit::Identity* identity = identity_of(result);
  return identity != nullptr && identity->tenant ? identity->tenant->c_str() : nullptr;
}

size_t weftkit_auth_result_role_count(const weftkit_auth_result* result) {
  return identity_of(result) != nullptr ? result->roles.size() : 0;
}

const char* weftkit_auth_result_role_at(const weftkit_auth_result* result, size_t index) {
  if (identity_of(result) == nullptr || index >= result->roles.size()) return nullptr;
  return result->roles[index];
}

weftkit_auth_method weftkit_auth_result_method(const weftkit_auth_result* result) {
  return result != nullptr ? c_method(result->method) : WEFTKIT_AUTH_PASSWORD;
}

weftkit_status weftkit_auth_result_identity(const weftkit_auth_result* result, weftkit_identity* identity,
                                            weftkit_error** error) {
  return guarded(error, [&]() -> weftkit_status {
    if (result == nullptr || identity == nullptr) {
      return fail(WEFTKIT_INVALID_ARGUMENT, "weftkit_auth_result_identity: result and identity must not be NULL",
                  error);
    }
    const weftkit::Identity* accepted = identity_of(result);
    if (accepted == nullptr) {
      return fail(WEFTKIT_INVALID_ARGUMENT, "the login was refused: a refused result has no identity", error);
    }
    identity->user = accepted->user.c_str();
    identity->tenant = accepted->tenant ? accepted->tenant->c_str() : nullptr;
    identity->roles = result->roles.empty() ? nullptr : result->roles.data();
    identity->role_count = result->roles.size();
    identity->settings = result->settings.empty() ? nullptr : result->settings.data();
    identity->setting_count = result->settings.size();
    identity->source_address = accepted->source_address.empty() ? nullptr : accepted->source_address.c_str();
    identity->auth_method = c_method(accepted->auth_method);
    return WEFTKIT_OK;
  });
}

void weftkit_auth_result_free(weftkit_auth_result* result) { delete result; }

}  // extern "C"
