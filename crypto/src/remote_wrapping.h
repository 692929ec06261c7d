// What the remote key providers (vault, kms, gcp-kms) share around their services' calls: the
// stored form of a wrapped data key, the tenant-and-version binding, and the keyring
// authentication key derived from a deterministic MAC the service computes. Each provider
// keeps only its protocol.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string_view>
#include <vector>

#include <weftkit/crypto/error.h>
#include <weftkit/crypto/key_provider.h>
#include <weftkit/crypto/secret_key.h>

#include "crypto/src/wiped_bytes.h"

namespace weftkit::crypto::detail {

// A wrapped data key as the keyring stores it: one format byte (1), then the service's own
// ciphertext, so that a later format can be told apart.
std::vector<std::uint8_t> with_wrap_format(std::span<const std::uint8_t> service_ciphertext);

// The service's ciphertext inside `wrapped`, or unsupported_format naming the provider.
Result<std::span<const std::uint8_t>> service_ciphertext(std::span<const std::uint8_t> wrapped,
                                                         std::string_view provider);

// The 32-byte data key the service decrypted; any other length is key_provider_error, saying
// which call answered it ("kms: Decrypt").
Result<SecretKey> data_key_from(const WipedBytes& plaintext, std::string_view call);

// label | u32 tenant length | tenant | u32 key version: what ties a wrapped key to its place.
std::size_t binding_size(std::string_view label, const KeyContext& context);
void write_binding(std::string_view label, const KeyContext& context, std::uint8_t* out);

// HKDF-SHA256(mac(label | salt), salt, label): the same on every open with this salt and the
// service's MAC key, different under any other, and the MAC key never leaves the service.
using ServiceMac = std::function<Result<WipedBytes>(std::span<const std::uint8_t> message)>;
Result<SecretKey> keyring_auth_key_from_mac(std::string_view label, std::span<const std::uint8_t> salt,
                                            const ServiceMac& mac);

}  // namespace weftkit::crypto::detail
