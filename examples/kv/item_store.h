// The items of each tenant: held in memory, and after every change written to the data
// directory as one file per tenant of AES-256-GCM pages sealed with the tenant's own key
// (weftkit/crypto), replaced atomically (a crash leaves the old or the new file).
//
// The tenant is always the SecurityContext's: no call takes a tenant name, so no request can
// name another tenant's items. Pages are read through TenantPages, which refuses (and audits
// as tenant_violation) a page sealed for another tenant even if its file were swapped in.
//
// Every change rewrites the tenant's whole file: simple and crash-safe, and fine for an
// example; a real engine writes only the pages that changed.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <weftkit/audit/sink.h>
#include <weftkit/crypto/keyring.h>
#include <weftkit/crypto/page_cipher.h>
#include <weftkit/policy_runtime.h>

namespace weftkit_kv {

class ItemStore {
 public:
  // `keyring` null: pages are stored unencrypted (WEFTKIT_ENCRYPTION unset).
  ItemStore(std::string data_dir, std::shared_ptr<weftkit::crypto::Keyring> keyring,
            std::shared_ptr<weftkit::audit::AuditSink> audit);

  // Errors: kPermissionDenied for a context without a usable tenant or a page of another
  // tenant, kInternal for a file that cannot be read, written or authenticated.
  weftkit::StatusOr<std::optional<std::string>> get(const weftkit::SecurityContext& context, const std::string& key);
  // Whether a write may go ahead, asked with the key's existence under the tenant's lock, so
  // that a key created by another request in between cannot turn an allowed INSERT into an
  // unallowed UPDATE.
  enum class PutOutcome { kCreated, kReplaced, kDenied };
  weftkit::StatusOr<PutOutcome> put(const weftkit::SecurityContext& context, const std::string& key, std::string value,
                                    const std::function<bool(bool key_exists)>& may_write);
  // True when the key was there.
  weftkit::StatusOr<bool> erase(const weftkit::SecurityContext& context, const std::string& key);
  // Keys starting with `prefix`, in order, with their values' sizes.
  weftkit::StatusOr<std::vector<std::pair<std::string, size_t>>> list(const weftkit::SecurityContext& context,
                                                                      const std::string& prefix);

 private:
  struct TenantItems {
    std::mutex mutex;  // one request of the tenant at a time reads or changes these
    bool loaded = false;
    uint64_t generation = 0;  // of the file on disk: every page's version
    std::map<std::string, std::string> items;
    std::unique_ptr<weftkit::crypto::PageCipher> cipher;  // per tenant: used under `mutex` only
  };
  // The tenant's items, loaded on first use; the lock is held by the caller's `lock`.
  weftkit::StatusOr<TenantItems*> open(const weftkit::SecurityContext& context, std::unique_lock<std::mutex>& lock);
  weftkit::Status load(const weftkit::SecurityContext& context, TenantItems& tenant);
  weftkit::Status save(const weftkit::SecurityContext& context, TenantItems& tenant);
  std::string file_of(const std::string& tenant) const;

  std::string directory_;
  std::shared_ptr<weftkit::crypto::Keyring> keyring_;
  std::shared_ptr<weftkit::audit::AuditSink> audit_;
  std::mutex tenants_mutex_;
  std::map<std::string, std::unique_ptr<TenantItems>> tenants_;
};

}  // namespace weftkit_kv
