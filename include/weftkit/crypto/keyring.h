// The keyring: each tenant's data keys (random 256-bit, versioned) wrapped by the key provider's
// master key, in one authenticated file written atomically (a crash leaves the old or the new
// file), readable by its owner only. Unwrapped keys live in locked memory for the keyring's
// lifetime. Thread-safe: page ciphers on many threads share one keyring.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <weftkit/audit/sink.h>
#include <weftkit/crypto/error.h>
#include <weftkit/crypto/key_provider.h>

namespace weftkit::crypto {

// A tenant's number in this keyring (carried in every page header), assigned by add_tenant.
enum class TenantId : std::uint32_t {};

struct KeyringSettings {
  std::string path;  // the keyring file, e.g. <data directory>/keyring
  // NIST SP 800-38D: at most 2^32 encryptions with random 96-bit nonces under one key. New
  // writes past it rotate the tenant to a new key version. Lower only in tests.
  std::uint64_t max_pages_per_key = std::uint64_t{1} << 32;
  // Page counts are persisted as reservations of this many pages: a crash loses at most one
  // unused reservation (counted as used), and the file is rewritten once per reservation.
  std::uint64_t page_count_reservation = std::uint64_t{1} << 20;
  // Given: rotate(), rewrap() and retire() each record a key_rotation event (the tenant, the
  // file, the key versions; never a key). Rotations the page cipher makes by itself when a key
  // reaches max_pages_per_key are not recorded: they happen under the keyring's lock on the
  // write path. Only the sink interface is used: the audit library need not be linked.
  std::shared_ptr<audit::AuditSink> audit_sink = {};
  std::string audit_identity = {};  // the events' identity: who makes the changes (an operator)
};

struct KeyVersionStatus {
  std::uint32_t version = 0;
  bool current = false;
  std::uint64_t pages_reserved = 0;  // persisted upper bound of pages encrypted under it
};

struct TenantStatus {
  TenantId id{};
  std::string name;
  std::uint32_t current_version = 0;
  std::vector<KeyVersionStatus> versions;  // ascending
};

struct KeyringStatus {
  std::string provider;
  std::uint64_t generation = 0;  // counts the file's writes
  std::vector<TenantStatus> tenants;  // by id
};

struct KeyringState;  // private

class Keyring {
 public:
  // A new, empty keyring file; already_exists if the file is there.
  static Result<std::shared_ptr<Keyring>> create(KeyringSettings settings, std::shared_ptr<KeyProvider> provider);
  // Verifies the file (wrong_master_key, keyring_tampered, insecure_permissions, ...) and
  // unwraps every data key through the provider.
  static Result<std::shared_ptr<Keyring>> open(KeyringSettings settings, std::shared_ptr<KeyProvider> provider);

  ~Keyring();
  Keyring(const Keyring&) = delete;
  Keyring& operator=(const Keyring&) = delete;

  // A tenant with a fresh data key, version 1; already_exists for a known name.
  Result<TenantId> add_tenant(std::string_view name);
  // Many tenants in one file write (provisioning); all or none are added.
  Result<std::vector<TenantId>> add_tenants(std::span<const std::string> names);
  Result<TenantId> find_tenant(std::string_view name) const;
  Result<std::string> tenant_name(TenantId tenant) const;
  // A new data key version for new writes; pages under older versions stay readable.
  Result<std::uint32_t> rotate(TenantId tenant);
  // Wraps every data key again under new_provider's master key (and a new keyring auth key);
  // pages are untouched. Afterwards the keyring uses new_provider.
  Result<void> rewrap(std::shared_ptr<KeyProvider> new_provider);
  // Forgets a version no page uses any more (the engine knows; PageCipher::inspect tells a
  // page's version). version_in_use for the current version.
  Result<void> retire(TenantId tenant, std::uint32_t version);
  KeyringStatus status() const;

 private:
  friend class PageCipher;
  explicit Keyring(std::unique_ptr<KeyringState> state);
  // rewrap() and retire() without their audit events.
  Result<void> rewrap_keys(std::shared_ptr<KeyProvider> new_provider);
  Result<void> retire_version(TenantId tenant, std::uint32_t version);
  std::unique_ptr<KeyringState> state_;
};

}  // namespace weftkit::crypto
