#include "item_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <span>

#include <weftkit/crypto/context_pages.h>
#include <weftkit/crypto/tenant_violation_audit.h>

namespace weftkit_kv {
namespace {

using weftkit::Status;
using weftkit::StatusCode;

// File layout: "WKKV" | format 1 (1 byte) | encrypted 0/1 (1 byte) | generation (8, LE) |
// page count (4, LE) | pages, each: length (4, LE) | the page (sealed, or plain bytes).
constexpr char kMagic[4] = {'W', 'K', 'K', 'V'};
constexpr size_t kHeaderSize = 4 + 1 + 1 + 8 + 4;
constexpr size_t kPagePlaintext = 60 * 1024;  // under the cipher's 64 KiB page limit
constexpr uint64_t kItemsObject = 1;           // the PageId object of every items page

void put_le(std::string& out, uint64_t value, int bytes) {
  for (int index = 0; index < bytes; ++index) out += static_cast<char>((value >> (8 * index)) & 0xff);
}

bool get_le(std::string_view& in, int bytes, uint64_t& value) {
  if (in.size() < static_cast<size_t>(bytes)) return false;
  value = 0;
  for (int index = 0; index < bytes; ++index) value |= uint64_t{static_cast<unsigned char>(in[index])} << (8 * index);
  in.remove_prefix(bytes);
  return true;
}

// Items as length-prefixed key and value pairs.
std::string serialize_items(const std::map<std::string, std::string>& items) {
  std::string out;
  for (const auto& [key, value] : items) {
    put_le(out, key.size(), 4);
    out += key;
    put_le(out, value.size(), 4);
    out += value;
  }
  return out;
}

bool parse_items(std::string_view in, std::map<std::string, std::string>& items) {
  while (!in.empty()) {
    uint64_t key_size = 0, value_size = 0;
    if (!get_le(in, 4, key_size) || in.size() < key_size) return false;
    std::string key(in.substr(0, key_size));
    in.remove_prefix(key_size);
    if (!get_le(in, 4, value_size) || in.size() < value_size) return false;
    items[std::move(key)] = std::string(in.substr(0, value_size));
    in.remove_prefix(value_size);
  }
  return true;
}

bool usable_tenant_name(const std::string& tenant) {
  if (tenant.empty() || tenant.size() > 128 || tenant.front() == '.') return false;
  for (unsigned char c : tenant) {
    if (!std::isalnum(c) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

Status internal(std::string message) { return Status(StatusCode::kInternal, std::move(message)); }

// Writes `bytes` to `path` through a temporary file, fsync and rename, then fsyncs the directory.
Status replace_file(const std::string& path, const std::string& bytes) {
  std::string temporary = path + ".new";
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return internal("cannot write " + temporary + ": " + std::strerror(errno));
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t written = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) {
      ::close(fd);
      return internal("cannot write " + temporary + ": " + std::strerror(errno));
    }
    done += static_cast<size_t>(written);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) return internal("cannot flush " + temporary + ": " + std::strerror(errno));
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    return internal("cannot replace " + path + ": " + std::strerror(errno));
  }
  std::string directory = std::filesystem::path(path).parent_path().string();
  int directory_fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (directory_fd >= 0) {
    ::fsync(directory_fd);
    ::close(directory_fd);
  }
  return Status::ok();
}

}  // namespace

ItemStore::ItemStore(std::string data_dir, std::shared_ptr<weftkit::crypto::Keyring> keyring,
                     std::shared_ptr<weftkit::audit::AuditSink> audit)
    : directory_(std::move(data_dir) + "/items"), keyring_(std::move(keyring)), audit_(std::move(audit)) {
  std::filesystem::create_directories(directory_);
  ::chmod(directory_.c_str(), 0700);
}

std::string ItemStore::file_of(const std::string& tenant) const { return directory_ + "/" + tenant + ".kv"; }

weftkit::StatusOr<ItemStore::TenantItems*> ItemStore::open(const weftkit::SecurityContext& context,
                                                           std::unique_lock<std::mutex>& lock) {
  const std::optional<std::string>& tenant = context.identity().tenant;
  if (!tenant) return Status(StatusCode::kPermissionDenied, "the connection has no tenant, and items belong to tenants");
  if (!usable_tenant_name(*tenant)) {
    return Status(StatusCode::kPermissionDenied, "tenant names are letters, digits, '-', '_' and '.' (at most 128)");
  }
  TenantItems* items = nullptr;
  {
    std::lock_guard<std::mutex> guard(tenants_mutex_);
    std::unique_ptr<TenantItems>& slot = tenants_[*tenant];
    if (!slot) slot = std::make_unique<TenantItems>();
    items = slot.get();
  }
  lock = std::unique_lock<std::mutex>(items->mutex);
  if (!items->loaded) {
    if (Status loaded = load(context, *items); !loaded.is_ok()) return loaded;
    items->loaded = true;
  }
  return items;
}

Status ItemStore::load(const weftkit::SecurityContext& context, TenantItems& tenant) {
  const std::string path = file_of(*context.identity().tenant);
  std::ifstream file(path, std::ios::binary);
  if (!file) return Status::ok();  // nothing stored yet
  std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  std::string_view in = bytes;
  uint64_t format = 0, encrypted = 0, generation = 0, pages = 0;
  if (in.size() < kHeaderSize || std::memcmp(in.data(), kMagic, 4) != 0) return internal(path + " is not an items file");
  in.remove_prefix(4);
  if (!get_le(in, 1, format) || format != 1 || !get_le(in, 1, encrypted) || !get_le(in, 8, generation) ||
      !get_le(in, 4, pages)) {
    return internal(path + " has an unknown format");
  }
  if ((encrypted != 0) != (keyring_ != nullptr)) {
    return internal(path + (encrypted != 0 ? " is encrypted but WEFTKIT_ENCRYPTION is off"
                                           : " is not encrypted but WEFTKIT_ENCRYPTION is on"));
  }
  std::string plain;
  // Resolves the tenant against the keyring once for all the file's pages.
  std::optional<weftkit::crypto::TenantPages> tenant_pages;
  if (keyring_) {
    if (!tenant.cipher) tenant.cipher = std::make_unique<weftkit::crypto::PageCipher>(keyring_);
    tenant_pages.emplace(weftkit::crypto::tenant_pages_for(*tenant.cipher, *keyring_, context,
                                                           weftkit::crypto::tenant_violation_sink(audit_)));
  }
  for (uint64_t page = 0; page < pages; ++page) {
    uint64_t size = 0;
    if (!get_le(in, 4, size) || in.size() < size) return internal(path + " is cut short");
    std::string_view stored = in.substr(0, size);
    in.remove_prefix(size);
    if (!keyring_) {
      plain += stored;
      continue;
    }
    std::vector<uint8_t> out(size);
    auto opened = tenant_pages->decrypt(weftkit::crypto::PageId{kItemsObject, page}, generation,
                                       std::span(reinterpret_cast<const uint8_t*>(stored.data()), stored.size()), out);
    if (!opened) {
      StatusCode code = opened.code() == weftkit::crypto::ErrorCode::kWrongTenant ? StatusCode::kPermissionDenied
                                                                                  : StatusCode::kInternal;
      return Status(code, "page " + std::to_string(page) + " of " + path + ": " + opened.error().to_string());
    }
    plain.append(reinterpret_cast<const char*>(out.data()), opened.value());
  }
  if (!parse_items(plain, tenant.items)) return internal(path + " holds malformed items");
  tenant.generation = generation;
  return Status::ok();
}

Status ItemStore::save(const weftkit::SecurityContext& context, TenantItems& tenant) {
  const std::string& name = *context.identity().tenant;
  const uint64_t generation = tenant.generation + 1;
  std::string plain = serialize_items(tenant.items);
  std::string out(kMagic, 4);
  put_le(out, 1, 1);
  put_le(out, keyring_ ? 1 : 0, 1);
  put_le(out, generation, 8);
  const uint64_t pages = (plain.size() + kPagePlaintext - 1) / kPagePlaintext;
  put_le(out, pages, 4);
  if (keyring_ && !keyring_->find_tenant(name)) {
    // The tenant's first write gives it a data key of its own.
    auto added = keyring_->add_tenant(name);
    if (!added && added.code() != weftkit::crypto::ErrorCode::kAlreadyExists) {
      return internal("keyring: " + added.error().to_string());
    }
  }
  std::optional<weftkit::crypto::TenantPages> tenant_pages;
  if (keyring_) {
    if (!tenant.cipher) tenant.cipher = std::make_unique<weftkit::crypto::PageCipher>(keyring_);
    tenant_pages.emplace(weftkit::crypto::tenant_pages_for(*tenant.cipher, *keyring_, context,
                                                           weftkit::crypto::tenant_violation_sink(audit_)));
  }
  for (uint64_t page = 0; page < pages; ++page) {
    std::string_view chunk = std::string_view(plain).substr(page * kPagePlaintext, kPagePlaintext);
    if (!keyring_) {
      put_le(out, chunk.size(), 4);
      out += chunk;
      continue;
    }
    std::vector<uint8_t> sealed(weftkit::crypto::sealed_page_size(chunk.size()));
    auto written = tenant_pages->encrypt(weftkit::crypto::PageId{kItemsObject, page}, generation,
                                        std::span(reinterpret_cast<const uint8_t*>(chunk.data()), chunk.size()), sealed);
    if (!written) return internal("sealing page " + std::to_string(page) + ": " + written.error().to_string());
    put_le(out, written.value(), 4);
    out.append(reinterpret_cast<const char*>(sealed.data()), written.value());
  }
  if (Status replaced = replace_file(file_of(name), out); !replaced.is_ok()) return replaced;
  tenant.generation = generation;
  return Status::ok();
}

weftkit::StatusOr<std::optional<std::string>> ItemStore::get(const weftkit::SecurityContext& context,
                                                             const std::string& key) {
  std::unique_lock<std::mutex> lock;
  auto tenant = open(context, lock);
  if (!tenant.is_ok()) return tenant.status();
  auto found = tenant.value()->items.find(key);
  if (found == tenant.value()->items.end()) return std::optional<std::string>();
  return std::optional<std::string>(found->second);
}

weftkit::StatusOr<ItemStore::PutOutcome> ItemStore::put(const weftkit::SecurityContext& context, const std::string& key,
                                                         std::string value,
                                                         const std::function<bool(bool key_exists)>& may_write) {
  std::unique_lock<std::mutex> lock;
  auto tenant = open(context, lock);
  if (!tenant.is_ok()) return tenant.status();
  std::map<std::string, std::string>& items = tenant.value()->items;
  auto previous = items.find(key);
  const bool created = previous == items.end();
  if (!may_write(!created)) return PutOutcome::kDenied;
  std::optional<std::string> old_value;
  if (!created) old_value = previous->second;
  items[key] = std::move(value);
  if (Status saved = save(context, *tenant.value()); !saved.is_ok()) {
    // Not stored: memory goes back to what the file holds.
    if (created) {
      items.erase(key);
    } else {
      items[key] = std::move(*old_value);
    }
    return saved;
  }
  return created ? PutOutcome::kCreated : PutOutcome::kReplaced;
}

weftkit::StatusOr<bool> ItemStore::erase(const weftkit::SecurityContext& context, const std::string& key) {
  std::unique_lock<std::mutex> lock;
  auto tenant = open(context, lock);
  if (!tenant.is_ok()) return tenant.status();
  std::map<std::string, std::string>& items = tenant.value()->items;
  auto found = items.find(key);
  if (found == items.end()) return false;
  std::string old_value = std::move(found->second);
  items.erase(found);
  if (Status saved = save(context, *tenant.value()); !saved.is_ok()) {
    items[key] = std::move(old_value);
    return saved;
  }
  return true;
}

weftkit::StatusOr<std::vector<std::pair<std::string, size_t>>> ItemStore::list(
    const weftkit::SecurityContext& context, const std::string& prefix) {
  std::unique_lock<std::mutex> lock;
  auto tenant = open(context, lock);
  if (!tenant.is_ok()) return tenant.status();
  std::vector<std::pair<std::string, size_t>> found;
  const std::map<std::string, std::string>& items = tenant.value()->items;
  for (auto entry = items.lower_bound(prefix); entry != items.end() && entry->first.starts_with(prefix); ++entry) {
    found.emplace_back(entry->first, entry->second.size());
  }
  return found;
}

}  // namespace weftkit_kv
