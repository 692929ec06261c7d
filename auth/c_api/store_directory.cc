// The store as a user directory, through the auth library's policy_directory.h.
#include "auth/c_api/store_directory.h"

#include <weftkit/auth/policy_directory.h>

namespace weftkit::auth::c_api {

StoreDirectory directory_of(const std::shared_ptr<const PolicyStore>& store) {
  if (!store) return StoreDirectory{.tenants = {}, .role_exists = [](std::string_view) { return true; }};
  return StoreDirectory{.tenants = tenant_lookup_from(store), .role_exists = role_exists_in(store)};
}

}  // namespace weftkit::auth::c_api
