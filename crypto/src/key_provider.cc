// Chooses the key provider named by the settings.
#include <weftkit/crypto/key_provider.h>

#include <weftkit/crypto/env_key_provider.h>
#include <weftkit/crypto/gcp_kms_key_provider.h>
#include <weftkit/crypto/kms_key_provider.h>
#include <weftkit/crypto/vault_key_provider.h>

namespace weftkit::crypto {

Result<std::shared_ptr<KeyProvider>> make_key_provider(const KeyProviderSettings& settings) {
  if (settings.provider == "env") return make_env_key_provider(settings.env_key_base64);
  if (settings.provider == "vault") return make_vault_key_provider(settings);
  if (settings.provider == "kms") return make_kms_key_provider(settings);
  if (settings.provider == "gcp-kms") return make_gcp_kms_key_provider(settings);
  return Error(ErrorCode::kInvalidArgument,
               "unknown key provider '" + settings.provider + "'; expected env, vault, kms or gcp-kms");
}

}  // namespace weftkit::crypto
