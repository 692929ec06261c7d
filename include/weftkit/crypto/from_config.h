// The key provider settings of the checked WEFTKIT_* configuration (WEFTKIT_KEY_PROVIDER and
// the provider's variables), so tools and engines do not repeat which variable feeds which
// setting. The configuration library has already validated every value.
#pragma once

#include <weftkit/config.h>
#include <weftkit/crypto/key_provider.h>

namespace weftkit::crypto {

// env: the master key of WEFTKIT_KEY. vault, kms, gcp-kms: the provider's name (and whatever
// remote settings KeyProviderSettings holds); make_key_provider decides whether it is built.
// Does not look at WEFTKIT_ENCRYPTION: whether to encrypt is the caller's decision.
KeyProviderSettings key_provider_settings_from_config(const config::EncryptionConfig& encryption);

}  // namespace weftkit::crypto
