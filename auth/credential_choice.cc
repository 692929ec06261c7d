// Tenant rules of login names: tenant-scoped entries decide themselves; plain entries ask the
// caller's tenant directory.
#include "auth/credential_choice.h"

#include <algorithm>

namespace weftkit::auth {

CredentialChoice choose_credential(const PasswordFile& users, LoginName login) {
  CredentialChoice choice;
  if (login.tenant) {
    if (const PasswordEntry* scoped = users.find(login.user + "@" + *login.tenant)) {
      choice.entry = scoped;
      choice.tenant_scoped = true;
    }
  }
  if (choice.entry == nullptr) choice.entry = users.find(login.user);
  choice.login = std::move(login);
  return choice;
}

std::variant<std::optional<std::string>, AuthFailure> resolve_tenant(const CredentialChoice& choice,
                                                                     const TenantLookup& tenants) {
  if (choice.tenant_scoped) return choice.login.tenant;
  const std::optional<UserTenants> known = tenants ? tenants(choice.login.user) : std::nullopt;
  if (!choice.login.tenant) return known ? known->default_tenant : std::nullopt;
  const std::string& wanted = *choice.login.tenant;
  if (known && (known->default_tenant == wanted ||
                std::find(known->allowed.begin(), known->allowed.end(), wanted) != known->allowed.end())) {
    return wanted;
  }
  return AuthFailure{AuthFailureKind::kTenantNotAllowed,
                     "user \"" + choice.login.user + "\" may not connect to tenant \"" + wanted + "\""};
}

AuthFailure bad_credentials(const LoginName& login) {
  return AuthFailure{AuthFailureKind::kBadCredentials, "authentication failed for user \"" + login.user + "\""};
}

}  // namespace weftkit::auth
