// The gcp-kms key provider: Google Cloud KMS holds the master key. Data keys are wrapped and
// unwrapped by cryptoKeys.encrypt/decrypt with the tenant and key version as additional
// authenticated data, and the keyring's authentication key is derived from a macSign (a
// separate HMAC_SHA256 key version) of the keyring's salt. Cloud KMS is called when a keyring
// is created, opened, rotated or rewrapped, never per page.
#pragma once

#include <memory>

#include <weftkit/crypto/key_provider.h>

namespace weftkit::crypto {

// Uses settings.gcp_*, and settings.remote. key_provider_error (the provider is not usable as
// configured) for a missing or malformed key or MAC key version name, no credentials, an
// unreadable service-account file, unusable timeouts, or a refused endpoint. Cloud KMS is not
// contacted here.
Result<std::shared_ptr<KeyProvider>> make_gcp_kms_key_provider(const KeyProviderSettings& settings);

}  // namespace weftkit::crypto
