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

namespace {

bool lists(const UserTenants& known, const std::string& tenant) {
  return known.default_tenant == tenant ||
         std::find(known.allowed.begin(), known.allowed.end(), tenant) != known.allowed.end();
}

AuthFailure tenant_not_allowed(std::string_view user, const std::string& tenant) {
  return AuthFailure{AuthFailureKind::kTenantNotAllowed,
                     "user \"" + std::string(user) + "\" may not connect to tenant \"" + tenant + "\""};
}

}  // namespace

std::variant<std::optional<std::string>, AuthFailure> resolve_tenant(const CredentialChoice& choice,
                                                                     const TenantLookup& tenants) {
  if (choice.tenant_scoped) return choice.login.tenant;
  const std::optional<UserTenants> known = tenants ? tenants(choice.login.user) : std::nullopt;
  if (!choice.login.tenant) return known ? known->default_tenant : std::nullopt;
  const std::string& wanted = *choice.login.tenant;
  if (known && lists(*known, wanted)) return wanted;
  return tenant_not_allowed(choice.login.user, wanted);
}

std::variant<std::optional<std::string>, AuthFailure> resolve_asserted_tenant(std::string_view user,
                                                                              std::optional<std::string> asserted,
                                                                              const TenantLookup& tenants) {
  const std::optional<UserTenants> known = tenants ? tenants(user) : std::nullopt;
  if (!known) return asserted;
  if (!asserted) return known->default_tenant;
  if (lists(*known, *asserted)) return asserted;
  return tenant_not_allowed(user, *asserted);
}

AuthFailure bad_credentials(const LoginName& login) {
  return AuthFailure{AuthFailureKind::kBadCredentials, "authentication failed for user \"" + login.user + "\""};
}

}  // namespace weftkit::auth
