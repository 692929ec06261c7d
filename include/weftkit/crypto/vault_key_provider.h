// The vault key provider: HashiCorp Vault's transit secrets engine holds the master key and
// never hands it out. Data keys are wrapped and unwrapped by transit's encrypt/decrypt
// endpoints, and the keyring's authentication key is derived from a transit HMAC of the
// keyring's salt. Vault is called when a keyring is created, opened, rotated or rewrapped,
// never per page.
#pragma once

#include <memory>

#include <weftkit/crypto/key_provider.h>

namespace weftkit::crypto {

// Uses settings.vault_* and settings.remote. key_provider_error (the provider is not usable as
// configured) for a missing address, token or key name, a mount/key name that is not a plain
// path, unusable timeouts, or a refused address (not https, and not http to a loopback
// address). Vault is not contacted here.
Result<std::shared_ptr<KeyProvider>> make_vault_key_provider(const KeyProviderSettings& settings);

}  // namespace weftkit::crypto
