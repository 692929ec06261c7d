// Which users-file entry a login name is checked against, and (once the secret was proven)
// which tenant the identity gets. Shared by plain password checks and SCRAM.
#pragma once

#include <optional>
#include <string>
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

// The same message for an unknown user and a wrong secret, so the two cannot be told apart.
AuthFailure bad_credentials(const LoginName& login);

}  // namespace weftkit::auth
