// Keyring operations: create, open, add tenant, rotate, rewrap, retire, status, and the page
// cipher's key look-ups and page reservations. Every change is written to the file first and
// applied in memory only once the write succeeded.
#include <weftkit/crypto/keyring.h>

#include <openssl/rand.h>

#include <algorithm>
#include <iterator>
#include <mutex>
#include <set>

#include "crypto/src/keyring_audit.h"
#include "crypto/src/keyring_state.h"
#include "crypto/src/private_file.h"

namespace weftkit::crypto {
namespace {

constexpr std::size_t kMaxTenantNameSize = 255;

std::uint32_t index_of(TenantId tenant) { return static_cast<std::uint32_t>(tenant) - 1; }
TenantId tenant_at(std::size_t index) { return static_cast<TenantId>(static_cast<std::uint32_t>(index + 1)); }

Error unknown_tenant(TenantId tenant) {
  return Error(ErrorCode::kUnknownTenant, "the keyring has no tenant " + std::to_string(static_cast<std::uint32_t>(tenant)));
}

bool known(const KeyringState& state, TenantId tenant) {
  return static_cast<std::uint32_t>(tenant) >= 1 && index_of(tenant) < state.tenants.size();
}

// Writes the image as it is now, one generation on; the caller holds the mutex exclusively.
// Under the file lock, a replacement first checks that the file is still the one this keyring
// last wrote: another process's changes are refused (keyring_changed), never overwritten.
// file_key: the key the file on disk is authenticated under, when it is not (yet) the
// keyring's own (rewrap).
Result<void> persist(KeyringState& state, detail::ReplaceMode mode = detail::ReplaceMode::kReplace,
                     const SecretKey* file_key = nullptr) {
  Result<detail::FileLock> lock = detail::FileLock::acquire(state.settings.path + ".lock");
  if (!lock.ok()) return lock.error();
  if (mode == detail::ReplaceMode::kReplace) {
    Result<std::vector<std::uint8_t>> on_disk = detail::read_private_file(state.settings.path);
    if (!on_disk.ok()) return on_disk.error();
    Result<std::uint64_t> generation = detail::verify_keyring_generation(on_disk.value(), file_key != nullptr ? *file_key : *state.auth_key);
    if (!generation.ok() && generation.code() == ErrorCode::kWrongMasterKey) {
      return Error(ErrorCode::kKeyringChanged, "the keyring file was rewrapped by another process; open it again");
    }
    if (!generation.ok()) return generation.error();
    if (generation.value() != state.image.generation) {
      return Error(ErrorCode::kKeyringChanged, "the keyring file is at generation " + std::to_string(generation.value()) +
                                                   ", this keyring wrote " + std::to_string(state.image.generation) +
                                                   ": another process changed it; open it again");
    }
  }
  detail::remove_stale_temporaries(state.settings.path);
  ++state.image.generation;
  Result<std::vector<std::uint8_t>> bytes = detail::serialize_keyring(state.image, *state.auth_key);
  Result<void> written = bytes.ok() ? detail::write_private_file(state.settings.path, bytes.value(), mode)
                                    : Result<void>(bytes.error());
  if (!written.ok()) --state.image.generation;
  return written;
}

std::uint64_t first_reservation(const KeyringSettings& settings) {
  return std::min(settings.page_count_reservation, settings.max_pages_per_key);
}

Result<void> check_settings(const KeyringSettings& settings, const std::shared_ptr<KeyProvider>& provider) {
  if (!provider) return Error(ErrorCode::kInvalidArgument, "a keyring needs a key provider");
  if (settings.path.empty()) return Error(ErrorCode::kInvalidArgument, "a keyring needs a file path");
  if (settings.max_pages_per_key == 0 || settings.max_pages_per_key > (std::uint64_t{1} << 32) ||
      settings.page_count_reservation == 0) {
    return Error(ErrorCode::kInvalidArgument, "max_pages_per_key must be 1..2^32 and page_count_reservation positive");
  }
  return {};
}

// A new data key version for the tenant at index, persisted; the caller holds the mutex
// exclusively. On failure nothing changed.
Result<std::uint32_t> add_version_locked(KeyringState& state, std::size_t index) {
  TenantKeys& tenant = state.tenants[index];
  detail::TenantRecord& record = state.image.tenants[index];
  std::uint32_t version = record.versions.back().version + 1;
  if (version == 0) return Error(ErrorCode::kInvalidArgument, "tenant '" + tenant.name + "' has no key versions left");
  Result<SecretKey> key = SecretKey::random();
  if (!key.ok()) return key.error();
  Result<std::vector<std::uint8_t>> wrapped = state.provider->wrap_data_key({tenant.name, version}, key.value());
  if (!wrapped.ok()) return wrapped.error();
  std::uint64_t reserved = first_reservation(state.settings);
  std::uint32_t previous = record.current_version;
  record.versions.push_back({version, reserved, std::move(wrapped).value()});
  record.current_version = version;
  if (Result<void> written = persist(state); !written.ok()) {
    record.versions.pop_back();
    record.current_version = previous;
    return written.error();
  }
  tenant.versions.emplace(version, std::make_unique<DataKeyVersion>(version, std::move(key).value(), 0, reserved));
  tenant.current_version = version;
  state.epoch.fetch_add(1, std::memory_order_release);
  return version;
}

Result<detail::KeyHandle> handle_for(DataKeyVersion& key) {
  Result<detail::GcmContext> gcm = detail::GcmContext::create(key.key->bytes());
  if (!gcm.ok()) return gcm.error();
  return detail::KeyHandle{&key, std::move(gcm).value()};
}

}  // namespace

Keyring::Keyring(std::unique_ptr<KeyringState> state) : state_(std::move(state)) {}
Keyring::~Keyring() = default;

Result<std::shared_ptr<Keyring>> Keyring::create(KeyringSettings settings, std::shared_ptr<KeyProvider> provider) {
  if (Result<void> checked = check_settings(settings, provider); !checked.ok()) return checked.error();
  auto state = std::make_unique<KeyringState>();
  state->image.provider = std::string(provider->kind());
  if (RAND_bytes(state->image.salt.data(), static_cast<int>(state->image.salt.size())) != 1) {
    return Error(ErrorCode::kInternal, "RAND_bytes failed");
  }
  Result<SecretKey> auth_key = provider->keyring_auth_key(state->image.salt);
  if (!auth_key.ok()) return auth_key.error();
  state->auth_key = std::move(auth_key).value();
  state->settings = std::move(settings);
  state->provider = std::move(provider);
  if (Result<void> written = persist(*state, detail::ReplaceMode::kCreateOnly); !written.ok()) return written.error();
  return std::shared_ptr<Keyring>(new Keyring(std::move(state)));
}

Result<std::shared_ptr<Keyring>> Keyring::open(KeyringSettings settings, std::shared_ptr<KeyProvider> provider) {
  if (Result<void> checked = check_settings(settings, provider); !checked.ok()) return checked.error();
  Result<std::vector<std::uint8_t>> file = detail::read_private_file(settings.path);
  if (!file.ok()) return file.error();
  Result<std::array<std::uint8_t, detail::kKeyringSaltSize>> salt = detail::read_keyring_salt(file.value());
  if (!salt.ok()) return salt.error();
  Result<SecretKey> auth_key = provider->keyring_auth_key(salt.value());
  if (!auth_key.ok()) return auth_key.error();
  Result<detail::KeyringImage> image = detail::verify_and_parse_keyring(file.value(), auth_key.value());
  if (!image.ok()) return image.error();
  if (image.value().provider != provider->kind()) {
    return Error(ErrorCode::kWrongMasterKey, "the keyring was written with the '" + image.value().provider +
                                                 "' key provider, not '" + std::string(provider->kind()) + "'");
  }

  auto state = std::make_unique<KeyringState>();
  state->tenants.reserve(image.value().tenants.size());
  state->ids_by_name.reserve(image.value().tenants.size());
  for (const detail::TenantRecord& record : image.value().tenants) {
    TenantKeys tenant;
    tenant.name = record.name;
    tenant.current_version = record.current_version;
    for (const detail::VersionRecord& version : record.versions) {
      Result<SecretKey> key = provider->unwrap_data_key({record.name, version.version}, version.wrapped_key);
      if (!key.ok()) {
        if (key.code() == ErrorCode::kMemoryLockFailed || key.code() == ErrorCode::kKeyProviderError) return key.error();
        return Error(ErrorCode::kKeyringTampered, "the data key of tenant '" + record.name + "' version " +
                                                      std::to_string(version.version) + " does not unwrap: " +
                                                      key.error().to_string());
      }
      // Pages reserved before are counted as used: the process that reserved them may have
      // used them all before it stopped.
      tenant.versions.emplace(version.version, std::make_unique<DataKeyVersion>(version.version, std::move(key).value(),
                                                                                version.pages_reserved,
                                                                                version.pages_reserved));
    }
    state->ids_by_name.emplace(record.name, static_cast<std::uint32_t>(state->tenants.size() + 1));
    state->tenants.push_back(std::move(tenant));
  }
  state->image = std::move(image).value();
  state->auth_key = std::move(auth_key).value();
  state->settings = std::move(settings);
  state->provider = std::move(provider);
  return std::shared_ptr<Keyring>(new Keyring(std::move(state)));
}

Result<TenantId> Keyring::add_tenant(std::string_view name) {
  std::string owned(name);
  Result<std::vector<TenantId>> added = add_tenants(std::span(&owned, 1));
  if (!added.ok()) return added.error();
  return added.value().front();
}

Result<std::vector<TenantId>> Keyring::add_tenants(std::span<const std::string> names) {
  if (names.empty()) return std::vector<TenantId>{};
  KeyringState& state = *state_;
  std::unique_lock lock(state.mutex);
  std::set<std::string_view> batch;
  for (const std::string& name : names) {
    if (name.empty() || name.size() > kMaxTenantNameSize) {
      return Error(ErrorCode::kInvalidArgument, "a tenant name is 1 to 255 bytes, not " + std::to_string(name.size()));
    }
    if (state.ids_by_name.contains(name) || !batch.insert(name).second) {
      return Error(ErrorCode::kAlreadyExists, "tenant '" + name + "' is already in the keyring");
    }
  }
  std::uint64_t reserved = first_reservation(state.settings);
  std::vector<SecretKey> keys;
  keys.reserve(names.size());
  std::vector<detail::TenantRecord> records;
  for (const std::string& name : names) {
    Result<SecretKey> key = SecretKey::random();
    if (!key.ok()) return key.error();
    Result<std::vector<std::uint8_t>> wrapped = state.provider->wrap_data_key({name, 1}, key.value());
    if (!wrapped.ok()) return wrapped.error();
    detail::TenantRecord record;
    record.name = name;
    record.current_version = 1;
    record.versions.push_back({1, reserved, std::move(wrapped).value()});
    records.push_back(std::move(record));
    keys.push_back(std::move(key).value());
  }
  std::size_t first_new = state.image.tenants.size();
  std::move(records.begin(), records.end(), std::back_inserter(state.image.tenants));
  if (Result<void> written = persist(state); !written.ok()) {
    state.image.tenants.resize(first_new);
    return written.error();
  }
  std::vector<TenantId> ids;
  for (std::size_t i = 0; i < names.size(); ++i) {
    TenantKeys tenant;
    tenant.name = names[i];
    tenant.current_version = 1;
    tenant.versions.emplace(1, std::make_unique<DataKeyVersion>(1, std::move(keys[i]), 0, reserved));
    state.tenants.push_back(std::move(tenant));
    ids.push_back(tenant_at(state.tenants.size() - 1));
    state.ids_by_name.emplace(names[i], static_cast<std::uint32_t>(ids.back()));
  }
  return ids;
}

Result<TenantId> Keyring::find_tenant(std::string_view name) const {
  std::shared_lock lock(state_->mutex);
  auto found = state_->ids_by_name.find(std::string(name));
  if (found == state_->ids_by_name.end()) {
    return Error(ErrorCode::kUnknownTenant, "the keyring has no tenant '" + std::string(name) + "'");
  }
  return static_cast<TenantId>(found->second);
}

Result<std::string> Keyring::tenant_name(TenantId tenant) const {
  std::shared_lock lock(state_->mutex);
  if (!known(*state_, tenant)) return unknown_tenant(tenant);
  return state_->tenants[index_of(tenant)].name;
}

Result<std::uint32_t> Keyring::rotate(TenantId tenant) {
  std::string name = "#" + std::to_string(static_cast<std::uint32_t>(tenant));
  std::uint32_t previous = 0;
  Result<std::uint32_t> rotated = [&]() -> Result<std::uint32_t> {
    std::unique_lock lock(state_->mutex);
    if (!known(*state_, tenant)) return unknown_tenant(tenant);
    name = state_->tenants[index_of(tenant)].name;
    previous = state_->tenants[index_of(tenant)].current_version;
    return add_version_locked(*state_, index_of(tenant));
  }();
  // Reported after the lock is released: a sink may wait (a full queue in block mode).
  if (detail::audits_key_changes(state_->settings)) {
    std::string versions = rotated.ok() ? "key version " + std::to_string(previous) + " -> " +
                                              std::to_string(rotated.value())
                                        : "key version " + std::to_string(previous);
    detail::report_key_change(state_->settings, "ROTATE", name, rotated.ok() ? nullptr : &rotated.error(),
                              std::move(versions));
  }
  return rotated;
}

Result<void> Keyring::rewrap(std::shared_ptr<KeyProvider> new_provider) {
  const bool audited = detail::audits_key_changes(state_->settings);
  const std::string from = audited ? status().provider : std::string();
  const std::string to = new_provider ? std::string(new_provider->kind()) : "none";
  Result<void> rewrapped = rewrap_keys(std::move(new_provider));
  if (audited) {
    std::size_t versions = 0;
    for (const TenantStatus& tenant : status().tenants) versions += tenant.versions.size();
    detail::report_key_change(state_->settings, "REWRAP", "", rewrapped.ok() ? nullptr : &rewrapped.error(),
                              std::to_string(versions) + " key versions, provider " + from + " -> " + to);
  }
  return rewrapped;
}

Result<void> Keyring::rewrap_keys(std::shared_ptr<KeyProvider> new_provider) {
  if (!new_provider) return Error(ErrorCode::kInvalidArgument, "rewrap needs a key provider");
  KeyringState& state = *state_;
  std::unique_lock lock(state.mutex);
  std::array<std::uint8_t, detail::kKeyringSaltSize> salt{};
  if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1) return Error(ErrorCode::kInternal, "RAND_bytes failed");
  Result<SecretKey> auth_key = new_provider->keyring_auth_key(salt);
  if (!auth_key.ok()) return auth_key.error();
  // Everything is wrapped anew before anything changes, so a provider failure half-way leaves
  // the keyring as it was.
  std::vector<std::vector<std::vector<std::uint8_t>>> wrapped(state.tenants.size());
  for (std::size_t t = 0; t < state.tenants.size(); ++t) {
    for (const detail::VersionRecord& version : state.image.tenants[t].versions) {
      const DataKeyVersion& key = *state.tenants[t].versions.at(version.version);
      Result<std::vector<std::uint8_t>> rewrapped =
          new_provider->wrap_data_key({state.tenants[t].name, version.version}, *key.key);
      if (!rewrapped.ok()) return rewrapped.error();
      wrapped[t].push_back(std::move(rewrapped).value());
    }
  }
  auto swap_in = [&] {
    for (std::size_t t = 0; t < wrapped.size(); ++t) {
      for (std::size_t v = 0; v < wrapped[t].size(); ++v) std::swap(state.image.tenants[t].versions[v].wrapped_key, wrapped[t][v]);
    }
    std::swap(state.image.salt, salt);
    std::swap(*state.auth_key, auth_key.value());
  };
  std::string previous_provider = state.image.provider;
  swap_in();  // auth_key now holds the key the file on disk is still under
  state.image.provider = std::string(new_provider->kind());
  if (Result<void> written = persist(state, detail::ReplaceMode::kReplace, &auth_key.value()); !written.ok()) {
    swap_in();  // swapping again restores the old wrapped keys, salt and key
    state.image.provider = previous_provider;
    return written.error();
  }
  state.provider = std::move(new_provider);
  return {};
}

Result<void> Keyring::retire(TenantId tenant, std::uint32_t version) {
  Result<void> retired = retire_version(tenant, version);
  if (detail::audits_key_changes(state_->settings)) {
    Result<std::string> name = tenant_name(tenant);
    detail::report_key_change(state_->settings, "RETIRE",
                              name.ok() ? name.value() : "#" + std::to_string(static_cast<std::uint32_t>(tenant)),
                              retired.ok() ? nullptr : &retired.error(), "key version " + std::to_string(version));
  }
  return retired;
}

Result<void> Keyring::retire_version(TenantId tenant, std::uint32_t version) {
  KeyringState& state = *state_;
  std::unique_lock lock(state.mutex);
  if (!known(state, tenant)) return unknown_tenant(tenant);
  TenantKeys& keys = state.tenants[index_of(tenant)];
  if (version == keys.current_version) {
    return Error(ErrorCode::kVersionInUse, "version " + std::to_string(version) + " is the current key of tenant '" +
                                               keys.name + "'; rotate before retiring it");
  }
  auto found = keys.versions.find(version);
  if (found == keys.versions.end()) {
    return Error(ErrorCode::kUnknownKeyVersion,
                 "tenant '" + keys.name + "' has no key version " + std::to_string(version));
  }
  std::vector<detail::VersionRecord>& records = state.image.tenants[index_of(tenant)].versions;
  auto record = std::find_if(records.begin(), records.end(), [&](const auto& r) { return r.version == version; });
  std::ptrdiff_t position = record - records.begin();
  detail::VersionRecord removed = std::move(*record);
  records.erase(record);
  if (Result<void> written = persist(state); !written.ok()) {
    records.insert(records.begin() + position, std::move(removed));
    return written.error();
  }
  // Parked, not freed: a page cipher may still hold its address (it re-checks the epoch).
  found->second->key.reset();
  state.retired.push_back(std::move(found->second));
  keys.versions.erase(found);
  state.epoch.fetch_add(1, std::memory_order_release);
  return {};
}

KeyringStatus Keyring::status() const {
  std::shared_lock lock(state_->mutex);
  KeyringStatus status;
  status.provider = state_->image.provider;
  status.generation = state_->image.generation;
  for (std::size_t t = 0; t < state_->image.tenants.size(); ++t) {
    const detail::TenantRecord& record = state_->image.tenants[t];
    TenantStatus tenant;
    tenant.id = tenant_at(t);
    tenant.name = record.name;
    tenant.current_version = record.current_version;
    for (const detail::VersionRecord& version : record.versions) {
      tenant.versions.push_back({version.version, version.version == record.current_version, version.pages_reserved});
    }
    status.tenants.push_back(std::move(tenant));
  }
  return status;
}

namespace detail {

Result<KeyHandle> acquire_current_key(KeyringState& state, TenantId tenant) {
  std::shared_lock lock(state.mutex);
  if (!known(state, tenant)) return unknown_tenant(tenant);
  TenantKeys& keys = state.tenants[index_of(tenant)];
  return handle_for(*keys.versions.at(keys.current_version));
}

Result<KeyHandle> acquire_key_version(KeyringState& state, TenantId tenant, std::uint32_t version) {
  std::shared_lock lock(state.mutex);
  if (!known(state, tenant)) return unknown_tenant(tenant);
  TenantKeys& keys = state.tenants[index_of(tenant)];
  auto found = keys.versions.find(version);
  if (found == keys.versions.end()) {
    return Error(ErrorCode::kUnknownKeyVersion, "tenant " + std::to_string(static_cast<std::uint32_t>(tenant)) +
                                                    " has no key version " + std::to_string(version) +
                                                    " (never created, or retired)");
  }
  return handle_for(*found->second);
}

Result<Reservation> reserve_pages(KeyringState& state, TenantId tenant, DataKeyVersion& key, std::uint64_t page_index) {
  std::unique_lock lock(state.mutex);
  if (!known(state, tenant)) return unknown_tenant(tenant);
  std::size_t index = index_of(tenant);
  if (state.tenants[index].current_version != key.version) return Reservation::kLookUpAgain;
  if (page_index >= state.settings.max_pages_per_key) {
    // The key has encrypted all the pages it may: new writes go to a new version.
    const std::uint32_t previous = state.tenants[index].current_version;
    const std::string name = state.tenants[index].name;
    Result<std::uint32_t> rotated = add_version_locked(state, index);
    // Reported after the lock is released, as Keyring::rotate does: a sink may wait.
    lock.unlock();
    if (detail::audits_key_changes(state.settings)) {
      std::string versions = "key version " + std::to_string(previous) +
                             (rotated.ok() ? " -> " + std::to_string(rotated.value()) : std::string()) +
                             ", automatic: the key reached max_pages_per_key (" +
                             std::to_string(state.settings.max_pages_per_key) + " pages)";
      detail::report_key_change(state.settings, "ROTATE", name, rotated.ok() ? nullptr : &rotated.error(),
                                std::move(versions));
    }
    if (!rotated.ok()) return rotated.error();
    return Reservation::kLookUpAgain;
  }
  if (page_index < key.pages_reserved.load(std::memory_order_acquire)) return Reservation::kUseKey;
  // One write extends this key and every other current key without headroom: after a keyring
  // is opened all reservations count as used, and 10,000 tenants must not cost 10,000 rewrites
  // of the file on their first writes.
  struct Extension {
    VersionRecord* record;
    DataKeyVersion* key;
    std::uint64_t previous;
  };
  std::vector<Extension> extensions;
  std::uint64_t max = state.settings.max_pages_per_key;
  std::uint64_t block = state.settings.page_count_reservation;
  for (std::size_t t = 0; t < state.tenants.size(); ++t) {
    DataKeyVersion& current = *state.tenants[t].versions.at(state.tenants[t].current_version);
    std::uint64_t used = &current == &key ? page_index : current.pages_used.load(std::memory_order_relaxed);
    std::uint64_t reserved = current.pages_reserved.load(std::memory_order_relaxed);
    if (used < reserved || reserved >= max) continue;
    auto& versions = state.image.tenants[t].versions;
    VersionRecord& record = *std::find_if(versions.begin(), versions.end(),
                                          [&](const VersionRecord& r) { return r.version == current.version; });
    extensions.push_back({&record, &current, record.pages_reserved});
    record.pages_reserved = std::min(max, used + block);
  }
  if (Result<void> written = persist(state); !written.ok()) {
    for (const Extension& extension : extensions) extension.record->pages_reserved = extension.previous;
    return written.error();
  }
  for (const Extension& extension : extensions) {
    extension.key->pages_reserved.store(extension.record->pages_reserved, std::memory_order_release);
  }
  return Reservation::kUseKey;
}

}  // namespace detail
}  // namespace weftkit::crypto
