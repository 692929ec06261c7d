// The login backends' user directory taken from a policy store: each login reads the store's
// serving version, so a roles.yaml reload changes who may connect to which tenant (and which
// role names a token may carry) at once, without rebuilding any authenticator.
//
// Header-only on purpose: the auth library never links the runtime; an engine that passes its
// PolicyStore links it anyway.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>

#include <weftkit/policy_runtime.h>
#include "weftkit/auth/login_name.h"

namespace weftkit::auth {

// The tenants of roles.yaml's users: entries: 'tenant:' is the default, 'tenants:' the others.
inline TenantLookup tenant_lookup_from(std::shared_ptr<const PolicyStore> store) {
  return [store = std::move(store)](std::string_view user) -> std::optional<UserTenants> {
    std::optional<DirectoryUser> entry = store->current()->find_user(user);
    if (!entry) return std::nullopt;
    return UserTenants{.default_tenant = std::move(entry->default_tenant), .allowed = std::move(entry->other_tenants)};
  };
}

// Whether the serving version defines a role (for JwtOptions::role_exists).
inline std::function<bool(std::string_view)> role_exists_in(std::shared_ptr<const PolicyStore> store) {
  return [store = std::move(store)](std::string_view role) { return store->current()->role_exists(role); };
}

}  // namespace weftkit::auth
