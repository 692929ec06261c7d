// A runtime store as the auth backends' user directory: each user's tenants and the role names
// come from the store's serving policy version, read at each login.
#pragma once

#include <functional>
#include <memory>
#include <string_view>

#include <weftkit/auth/login_name.h>
#include <weftkit/policy_runtime.h>

namespace weftkit::auth::c_api {

struct StoreDirectory {
  TenantLookup tenants;  // empty without a store: nobody has tenants beyond their credential's
  // Without a store every role name is taken as given: the context build still refuses roles
  // the store it is built on does not define.
  std::function<bool(std::string_view)> role_exists;
};

StoreDirectory directory_of(const std::shared_ptr<const PolicyStore>& store);

}  // namespace weftkit::auth::c_api
