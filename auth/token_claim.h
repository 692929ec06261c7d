// Who a JWT claims to be, read for the audit event of a refused token (private to weftkit_auth).
#pragma once

#include <cstddef>
#include <string_view>

#include "auth/login_audit.h"

namespace weftkit::auth {

// The payload's sub and tenant_id when they are strings, whether or not the token verified:
// for the record of who a refused token named. Nothing else of the token is kept. Empty for a
// token over `max_token_bytes` or one that does not decode.
LoginClaim claim_of_token(std::string_view token, std::size_t max_token_bytes);

}  // namespace weftkit::auth
