// The store as a user directory, through the auth library's policy_directory.h.
#include "auth/c_api/store_directory.h"

// TODO(policy-directory): the only place that waits for include/weftkit/auth/policy_directory.h
// (tenant_lookup_from, role_exists_in) and MtlsOptions::tenants. Until they are merged, a store
// given as the directory lends no tenants and every role name is taken as given.
#if __has_include(<weftkit/auth/policy_directory.h>)
#include <weftkit/auth/policy_directory.h>
#define WEFTKIT_AUTH_C_HAS_POLICY_DIRECTORY 1
#else
#define WEFTKIT_AUTH_C_HAS_POLICY_DIRECTORY 0
#endif

namespace weftkit::auth::c_api {

StoreDirectory directory_of(const std::shared_ptr<const PolicyStore>& store) {
  StoreDirectory directory;
  directory.role_exists = [](std::string_view) { return true; };
#if WEFTKIT_AUTH_C_HAS_POLICY_DIRECTORY
  if (store) {
    directory.tenants = tenant_lookup_from(store);
    directory.role_exists = role_exists_in(store);
  }
#else
  (void)store;
#endif
  return directory;
}

namespace {
// MtlsOptions::tenants when it exists (see the TODO above).
template <class Options>
void set_tenants(Options& options, const TenantLookup& tenants) {
  if constexpr (requires { options.tenants; }) options.tenants = tenants;
}
}  // namespace

void use_directory(MtlsOptions& options, const StoreDirectory& directory) { set_tenants(options, directory.tenants); }

}  // namespace weftkit::auth::c_api
