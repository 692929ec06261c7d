// The key_rotation events of the keyring's changes (private to weftkit_crypto): what changed,
// for which tenant, in which file; never key material.
#pragma once

#include <string>
#include <string_view>

#include <weftkit/crypto/error.h>
#include <weftkit/crypto/keyring.h>

namespace weftkit::crypto::detail {

// Whether the settings' sink takes key_rotation events: asked before anything is gathered.
bool audits_key_changes(const KeyringSettings& settings);

// One event: `operation` ROTATE, REWRAP or RETIRE; `tenant` empty for the whole keyring;
// `detail` the key versions concerned; a failure adds its error's name to the reason.
void report_key_change(const KeyringSettings& settings, std::string_view operation, std::string tenant,
                       const Error* failure, std::string detail);

}  // namespace weftkit::crypto::detail
