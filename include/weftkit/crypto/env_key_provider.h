// The env key provider: the master key is given as base64 text (as `base64 master.key` prints
// it). Data keys are wrapped locally with AES-256-GCM under a key derived from the master key.
#pragma once

#include <memory>
#include <string_view>

#include <weftkit/crypto/key_provider.h>

namespace weftkit::crypto {

// invalid_master_key when the text is not base64 of exactly 32 bytes; the message says what
// was found (characters, decoded length), never the value.
Result<std::shared_ptr<KeyProvider>> make_env_key_provider(std::string_view base64_text);
// From raw key bytes already in locked memory (tests, tools).
Result<std::shared_ptr<KeyProvider>> make_env_key_provider(const SecretKey& master_key);

}  // namespace weftkit::crypto
