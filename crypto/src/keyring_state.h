// The keyring's shared state, and what the page cipher asks of it on its fast path.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include <weftkit/crypto/keyring.h>
#include <weftkit/crypto/secret_key.h>

#include "crypto/src/gcm_context.h"
#include "crypto/src/keyring_format.h"

namespace weftkit::crypto {

// One unwrapped data key. Its address is stable for the keyring's lifetime (retired versions
// are parked, not freed), so page ciphers may keep a pointer between pages.
struct DataKeyVersion {
  DataKeyVersion(std::uint32_t v, SecretKey k, std::uint64_t used, std::uint64_t reserved)
      : version(v), key(std::move(k)), pages_used(used), pages_reserved(reserved) {}
  std::uint32_t version;
  std::optional<SecretKey> key;              // reset (wiped) on retire, under the keyring mutex
  std::atomic<std::uint64_t> pages_used;     // pages handed out (starts at what was reserved)
  std::atomic<std::uint64_t> pages_reserved; // persisted bound; pages_used may not pass it
};

struct TenantKeys {
  std::string name;
  std::uint32_t current_version = 0;
  std::map<std::uint32_t, std::unique_ptr<DataKeyVersion>> versions;
};

struct KeyringState {
  KeyringSettings settings;
  std::shared_ptr<KeyProvider> provider;
  std::optional<SecretKey> auth_key;  // always set once the keyring exists
  detail::KeyringImage image;  // exactly what the file holds

  mutable std::shared_mutex mutex;         // guards everything above and below but epoch
  std::vector<TenantKeys> tenants;         // index = TenantId - 1
  std::unordered_map<std::string, std::uint32_t> ids_by_name;
  std::vector<std::unique_ptr<DataKeyVersion>> retired;
  // Bumped when a key a page cipher may have cached changes meaning (rotate, retire): a cipher
  // that sees a new epoch drops its cache.
  std::atomic<std::uint64_t> epoch{0};
};

namespace detail {


// A data key with a GCM context made from it while the keyring was locked (so a concurrent
// retire cannot wipe the key half-way through).
struct KeyHandle {
  DataKeyVersion* key = nullptr;
  GcmContext gcm;
};

// unknown_tenant, or the tenant's current key.
Result<KeyHandle> acquire_current_key(KeyringState& state, TenantId tenant);
// unknown_tenant / unknown_key_version (retired versions are unknown), or that key.
Result<KeyHandle> acquire_key_version(KeyringState& state, TenantId tenant, std::uint32_t version);

enum class Reservation { kUseKey, kLookUpAgain };
// Called when page_index (a value of pages_used) reached pages_reserved: persists a larger
// reservation, or rotates the tenant when the key reached max_pages_per_key.
Result<Reservation> reserve_pages(KeyringState& state, TenantId tenant, DataKeyVersion& key, std::uint64_t page_index);

}  // namespace detail
}  // namespace weftkit::crypto
