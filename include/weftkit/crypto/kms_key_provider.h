// The kms key provider: AWS KMS holds the master key. Data keys are wrapped and unwrapped by
// KMS Encrypt/Decrypt with the tenant and key version as the encryption context, and the
// keyring's authentication key is derived from a KMS GenerateMac (a separate HMAC_256 key) of
// the keyring's salt. KMS is called when a keyring is created, opened, rotated or rewrapped,
// never per page.
#pragma once

#include <memory>

#include <weftkit/crypto/key_provider.h>

namespace weftkit::crypto {

// Uses settings.kms_*, settings.aws_* and settings.remote. key_provider_error (the provider is
// not usable as configured) for a missing region, key, HMAC key or credential, unusable
// timeouts, or a refused endpoint (not https, and not http to a loopback address, or with a
// path). KMS is not contacted here.
Result<std::shared_ptr<KeyProvider>> make_kms_key_provider(const KeyProviderSettings& settings);

}  // namespace weftkit::crypto
