// Encrypted tenant storage (see encrypted_page_storage.h). A table file:
//   "WKE1" | u64 write version | u32 page count | per page: u32 sealed size, sealed page
// Each page holds up to 16 KiB of the table's encoded rows, sealed by the connection's
// TenantPages under PageId{object = hash of the table name, page_number = index} and the file's
// write version, so pages cannot be swapped between tables, positions or tenants unnoticed.
#include "encrypted_page_storage.h"

#include <sys/stat.h>

#include <cstring>
#include <mutex>

#include <weftkit/crypto/context_pages.h>
#include <weftkit/crypto/from_config.h>
#include <weftkit/crypto/keyring.h>
#include <weftkit/crypto/page_cipher.h>
#include <weftkit/crypto/tenant_violation_audit.h>

#include "file_io.h"

namespace relational {
namespace {

namespace crypto = weftkit::crypto;

constexpr size_t kPagePlaintext = 16 * 1024;

uint64_t object_id(const std::string& table) {
  uint64_t hash = 1469598103934665603ull;  // FNV-1a: stable across runs and builds
  for (unsigned char c : table) hash = (hash ^ c) * 1099511628211ull;
  return hash;
}

SqlError storage_error(const crypto::Error& error) {
  if (error.code() == crypto::ErrorCode::kWrongTenant) {
    return permission_denied("this connection may not read or write these pages: " + error.message());
  }
  return internal_error("encrypted storage: " + error.to_string());
}

template <class T>
void put(std::string& out, T value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}
template <class T>
bool take(std::string_view& in, T& value) {
  if (in.size() < sizeof value) return false;
  std::memcpy(&value, in.data(), sizeof value);
  in.remove_prefix(sizeof value);
  return true;
}

class EncryptedTenantStorage final : public TenantStorage {
 public:
  EncryptedTenantStorage(std::shared_ptr<crypto::Keyring> keyring, const weftkit::SecurityContext& context,
                         crypto::TenantViolationSink violations, std::string directory)
      : keyring_(keyring),
        cipher_(std::make_unique<crypto::PageCipher>(keyring)),
        pages_(crypto::tenant_pages_for(*cipher_, *keyring_, context, std::move(violations))),
        directory_(std::move(directory)) {}

  SqlResult<std::optional<std::string>> load(const std::string& table) override {
    std::optional<std::string> file = read_whole_file(path_of(table));
    if (!file) return std::optional<std::string>();
    std::string_view in(*file);
    uint64_t version = 0;
    uint32_t count = 0;
    const SqlError damaged = internal_error("stored pages of table \"" + table + "\" are damaged");
    if (in.substr(0, 4) != "WKE1") return damaged;
    in.remove_prefix(4);
    if (!take(in, version) || !take(in, count)) return damaged;
    std::string plaintext;
    std::vector<uint8_t> buffer(crypto::kMaxPageSize);
    for (uint32_t page = 0; page < count; ++page) {
      uint32_t size = 0;
      if (!take(in, size) || in.size() < size) return damaged;
      std::span<const uint8_t> sealed(reinterpret_cast<const uint8_t*>(in.data()), size);
      crypto::Result<size_t> opened = pages_.decrypt({object_id(table), page}, version, sealed, buffer);
      if (!opened.ok()) return storage_error(opened.error());
      plaintext.append(reinterpret_cast<const char*>(buffer.data()), opened.value());
      in.remove_prefix(size);
    }
    if (!in.empty()) return damaged;
    return std::optional<std::string>(std::move(plaintext));
  }

  SqlStatus save(const std::string& table, std::string_view bytes) override {
    uint64_t version = 1;
    if (std::optional<std::string> old = read_whole_file(path_of(table)); old && old->size() >= 12) {
      std::memcpy(&version, old->data() + 4, sizeof version);
      ++version;
    }
    std::string out = "WKE1";
    put(out, version);
    const uint32_t count = static_cast<uint32_t>(bytes.empty() ? 1 : (bytes.size() + kPagePlaintext - 1) / kPagePlaintext);
    put(out, count);
    std::vector<uint8_t> sealed(crypto::sealed_page_size(kPagePlaintext));
    for (uint32_t page = 0; page < count; ++page) {
      std::string_view chunk = bytes.substr(std::min(bytes.size(), size_t{page} * kPagePlaintext), kPagePlaintext);
      std::span<const uint8_t> plaintext(reinterpret_cast<const uint8_t*>(chunk.data()), chunk.size());
      crypto::Result<size_t> written = pages_.encrypt({object_id(table), page}, version, plaintext, sealed);
      if (!written.ok()) return storage_error(written.error());
      put(out, static_cast<uint32_t>(written.value()));
      out.append(reinterpret_cast<const char*>(sealed.data()), written.value());
    }
    if (!make_private_directories(directory_)) return internal_error("could not create the tenant's data directory");
    if (!write_file_atomically(path_of(table), out)) return internal_error("could not write table \"" + table + "\"");
    return std::nullopt;
  }

  const std::string& tenant_key() const override { return directory_; }

 private:
  std::string path_of(const std::string& table) const { return directory_ + "/" + table_file_name(table); }

  std::shared_ptr<crypto::Keyring> keyring_;
  std::unique_ptr<crypto::PageCipher> cipher_;  // one per connection: a cipher is used by one thread
  crypto::TenantPages pages_;                  // bound to the connection's tenant, refers to cipher_
  const std::string directory_;
};

class EncryptedStorage final : public StorageBackend {
 public:
  EncryptedStorage(std::shared_ptr<crypto::Keyring> keyring, std::string data_dir,
                   std::shared_ptr<weftkit::audit::AuditSink> audit_sink)
      : keyring_(std::move(keyring)), data_dir_(std::move(data_dir)), audit_sink_(std::move(audit_sink)) {}

  SqlResult<std::unique_ptr<TenantStorage>> open_for(const weftkit::SecurityContext& context) override {
    const std::optional<std::string>& tenant = context.identity().tenant;
    if (tenant) {
      // A tenant's data key is made on its first connection (the login already proved the
      // tenant is the user's); one adder at a time so two first connections do not race.
      std::lock_guard lock(add_tenant_mutex_);
      if (!keyring_->find_tenant(*tenant).ok()) {
        crypto::Result<crypto::TenantId> added = keyring_->add_tenant(*tenant);
        if (!added.ok() && added.code() != crypto::ErrorCode::kAlreadyExists) return storage_error(added.error());
      }
    }
    return std::unique_ptr<TenantStorage>(std::make_unique<EncryptedTenantStorage>(
        keyring_, context, crypto::tenant_violation_sink(audit_sink_), tenant_directory(data_dir_, tenant)));
  }

 private:
  std::shared_ptr<crypto::Keyring> keyring_;
  const std::string data_dir_;
  std::shared_ptr<weftkit::audit::AuditSink> audit_sink_;
  std::mutex add_tenant_mutex_;
};

}  // namespace

weftkit::StatusOr<std::unique_ptr<StorageBackend>> make_encrypted_storage(const weftkit::config::EncryptionConfig& encryption,
                                                                          const std::string& data_dir,
                                                                          std::shared_ptr<weftkit::audit::AuditSink> audit_sink) {
  auto fail = [](const crypto::Error& error) {
    return weftkit::Status(weftkit::StatusCode::kInvalidArgument, error.to_string());
  };
  crypto::Result<std::shared_ptr<crypto::KeyProvider>> provider =
      crypto::make_key_provider(crypto::key_provider_settings_from_config(encryption));
  if (!provider.ok()) return fail(provider.error());
  crypto::KeyringSettings settings{.path = data_dir + "/keyring", .audit_sink = audit_sink,
                                   .audit_identity = "weftkit-relational"};
  struct stat existing {};
  const bool exists = ::stat(settings.path.c_str(), &existing) == 0;
  crypto::Result<std::shared_ptr<crypto::Keyring>> keyring =
      exists ? crypto::Keyring::open(settings, provider.value()) : crypto::Keyring::create(settings, provider.value());
  if (!keyring.ok()) return fail(keyring.error());
  return std::unique_ptr<StorageBackend>(std::make_unique<EncryptedStorage>(std::move(keyring).value(), data_dir, audit_sink));
}

}  // namespace relational
