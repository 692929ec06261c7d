// Where a tenant's tables live on disk. Storage is opened per connection for the connection's
// tenant only: nothing a connection holds can name another tenant's files, and with encryption
// the tenant's pages are sealed under its own data key, so even a path mix-up could not reveal
// another tenant's rows (the page cipher refuses it before decrypting).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <weftkit/policy_runtime.h>

#include "sql_error.h"

namespace relational {

// One connection's view of its tenant's stored tables.
class TenantStorage {
 public:
  virtual ~TenantStorage() = default;
  // The table's bytes as last saved; nullopt when it was never written.
  virtual SqlResult<std::optional<std::string>> load(const std::string& table) = 0;
  virtual SqlStatus save(const std::string& table, std::string_view bytes) = 0;
  // The key that serialises writers of the same tenant's table across connections.
  virtual const std::string& tenant_key() const = 0;
};

class StorageBackend {
 public:
  virtual ~StorageBackend() = default;
  virtual SqlResult<std::unique_ptr<TenantStorage>> open_for(const weftkit::SecurityContext& context) = 0;
};

// Plain files: <data dir>/tenants/<hex of tenant>/<hex of table>.table.
std::unique_ptr<StorageBackend> make_plain_storage(std::string data_dir);

// The directory of a tenant's files (hex of the name, so no tenant name can climb out of the
// data directory); "shared" for connections without a tenant.
std::string tenant_directory(const std::string& data_dir, const std::optional<std::string>& tenant);
std::string table_file_name(const std::string& table);

}  // namespace relational
