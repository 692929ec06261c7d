// Shared helpers of the module integrity and watcher tests (see module_test_files.h).
#include "tests/runtime/module_test_files.h"

#include <openssl/evp.h>
#include <stdlib.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <weftkit/policy_module_abi.h>

namespace weftkit::testing {

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path);
}

ScratchDirectory::ScratchDirectory() {
  std::string pattern = (std::filesystem::temp_directory_path() / "weftkit-module-test-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  directory_ = pattern;
}

ScratchDirectory::~ScratchDirectory() {
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
}

std::string with_forged_seal(const std::string& contents) {
  weftkit_module_seal_v1 record{};
  std::memcpy(record.magic, WEFTKIT_MODULE_SEAL_MAGIC, 8);
  record.version = WEFTKIT_MODULE_SEAL_VERSION;
  record.size = WEFTKIT_MODULE_SEAL_SIZE;
  record.file_length = contents.size() + WEFTKIT_MODULE_SEAL_SIZE;
  std::memcpy(record.end_magic, WEFTKIT_MODULE_SEAL_END_MAGIC, 8);
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  unsigned int length = 0;
  EVP_DigestInit_ex(context, EVP_sha256(), nullptr);
  EVP_DigestUpdate(context, contents.data(), contents.size());
  EVP_DigestUpdate(context, &record, WEFTKIT_MODULE_SEAL_DIGESTED_BYTES);
  EVP_DigestFinal_ex(context, record.sha256, &length);
  EVP_MD_CTX_free(context);
  return contents + std::string(reinterpret_cast<const char*>(&record), sizeof record);
}

std::string without_seal(const std::string& module) { return module.substr(0, module.size() - WEFTKIT_MODULE_SEAL_SIZE); }

bool alice_may_insert(PolicyStore& store) {
  Identity alice;
  alice.user = "alice";
  alice.settings = {{"app.tenant_id", "tenant-001"}};
  StatusOr<SecurityContext> context = SecurityContext::build(store, alice);
  if (!context.is_ok()) throw std::runtime_error("alice's context: " + context.status().message());
  return context.value().allowed(Operation::kInsert, "orders");
}

}  // namespace weftkit::testing
