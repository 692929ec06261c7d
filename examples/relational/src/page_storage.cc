// Plain (unencrypted) tenant storage (see page_storage.h).
#include "page_storage.h"

#include "file_io.h"

namespace relational {
namespace {

std::string hex(std::string_view text) {
  static const char* const kDigits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : text) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

class PlainTenantStorage final : public TenantStorage {
 public:
  explicit PlainTenantStorage(std::string directory) : directory_(std::move(directory)) {}

  SqlResult<std::optional<std::string>> load(const std::string& table) override {
    return read_whole_file(directory_ + "/" + table_file_name(table));
  }
  SqlStatus save(const std::string& table, std::string_view bytes) override {
    if (!make_private_directories(directory_)) return internal_error("could not create the tenant's data directory");
    if (!write_file_atomically(directory_ + "/" + table_file_name(table), bytes)) {
      return internal_error("could not write table \"" + table + "\"");
    }
    return std::nullopt;
  }
  const std::string& tenant_key() const override { return directory_; }

 private:
  const std::string directory_;
};

class PlainStorage final : public StorageBackend {
 public:
  explicit PlainStorage(std::string data_dir) : data_dir_(std::move(data_dir)) {}
  SqlResult<std::unique_ptr<TenantStorage>> open_for(const weftkit::SecurityContext& context) override {
    return std::unique_ptr<TenantStorage>(
        std::make_unique<PlainTenantStorage>(tenant_directory(data_dir_, context.identity().tenant)));
  }

 private:
  const std::string data_dir_;
};

}  // namespace

std::string tenant_directory(const std::string& data_dir, const std::optional<std::string>& tenant) {
  return data_dir + "/tenants/" + (tenant ? "t-" + hex(*tenant) : std::string("shared"));
}

std::string table_file_name(const std::string& table) { return hex(table) + ".table"; }

std::unique_ptr<StorageBackend> make_plain_storage(std::string data_dir) {
  return std::make_unique<PlainStorage>(std::move(data_dir));
}

}  // namespace relational
