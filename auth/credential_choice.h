// Which users-file entry a login name is checked against, and (once the secret was proven)
// which tenant the identity gets. Shared by plain password checks and SCRAM.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "weftkit/auth/auth_result.h"
#include "weftkit/auth/login_name.h"
#include "weftkit/auth/password_file.h"

namespace weftkit::auth {

struct CredentialChoice {
  LoginName login;
  const PasswordEntry* entry = nullptr;  // null: unknown user (check against a dummy instead)
  bool tenant_scoped = false;            // the entry is "user@tenant": valid for that tenant only
};

// "alice@t" uses an entry named "alice@t" when there is one, else "alice"'s; "alice" uses "alice".
CredentialChoice choose_credential(const PasswordFile& users, LoginName login);

// The identity's tenant after a proven secret, or kTenantNotAllowed.
std::variant<std::optional<std::string>, AuthFailure> resolve_tenant(const CredentialChoice& choice,
                                                                     const TenantLookup& tenants);

// The tenant of a credential that asserts one itself (a token's tenant_id, a certificate's
// tenant attribute): when the directory knows the user, the tenant must be the user's default
// or one of the others listed (else kTenantNotAllowed); a user it does not know keeps the
// asserted tenant, the issuer being trusted for it. Nothing asserted: the user's default.
std::variant<std::optional<std::string>, AuthFailure> resolve_asserted_tenant(std::string_view user,
                                                                              std::optional<std::string> asserted,
                                                                              const TenantLookup& tenants);

// The same message for an unknown user and a wrong secret, so the two cannot be told apart.
AuthFailure bad_credentials(const LoginName& login);

}  // namespace weftkit::auth
