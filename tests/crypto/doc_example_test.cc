// The example in docs/crypto.md, compiled and run here; a test checks that the document shows
// exactly this code, so the two cannot drift apart.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "tests/crypto/test_support.h"

// BEGIN docs/crypto.md example
#include <weftkit/crypto/env_key_provider.h>
#include <weftkit/crypto/page_cipher.h>

#include <string>
#include <vector>

using namespace weftkit::crypto;

// Seals one 8 KiB page of tenant-001 and reads it back: "ok" or the error that stopped it.
std::string seal_and_open(const std::string& data_directory, const std::string& master_key_base64) {
  auto provider = make_env_key_provider(master_key_base64);
  if (!provider.ok()) return provider.error().to_string();  // says what was wrong, never the key
  KeyringSettings settings;
  settings.path = data_directory + "/keyring";
  auto keyring = Keyring::create(settings, provider.value());
  if (!keyring.ok()) return keyring.error().to_string();
  auto tenant = keyring.value()->add_tenant("tenant-001");
  if (!tenant.ok()) return tenant.error().to_string();

  PageCipher cipher(keyring.value());  // one per thread
  std::vector<std::uint8_t> page(8192, 0x2a);
  std::vector<std::uint8_t> sealed(sealed_page_size(page.size()));
  std::vector<std::uint8_t> read_back(page.size());
  PageId id{.object = 42, .page_number = 7};
  auto written = cipher.encrypt(tenant.value(), id, /*page_version=*/1, page, sealed);
  if (!written.ok()) return written.error().to_string();
  auto read = cipher.decrypt(tenant.value(), id, /*expected_version=*/1, sealed, read_back);
  if (!read.ok()) return read.error().to_string();  // e.g. "wrong_tenant: ..."
  return read_back == page ? "ok" : "mismatch";
}
// END docs/crypto.md example

namespace {

std::string text_between(const std::string& text, const std::string& begin, const std::string& end) {
  std::size_t from = text.find(begin);
  if (from == std::string::npos) return {};
  from += begin.size();
  std::size_t to = text.find(end, from);
  return to == std::string::npos ? std::string() : text.substr(from, to - from);
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(DocExample, SealsAndOpensAPage) {
  weftkit::crypto::testing::TempDir dir;
  EXPECT_EQ(seal_and_open(dir.path(), weftkit::crypto::testing::master_key_base64(1)), "ok");
}

TEST(DocExample, ReportsABadMasterKeyWithoutShowingIt) {
  weftkit::crypto::testing::TempDir dir;
  EXPECT_EQ(seal_and_open(dir.path(), "c2VjcmV0"),
            "invalid_master_key: the env provider's master key (WEFTKIT_KEY) decodes to 6 bytes; it must be exactly 32 "
            "(base64 of 32 bytes is 44 characters)");
}

TEST(DocExample, TheDocumentShowsExactlyTheCompiledCode) {
  std::string doc = read_text(std::string(WEFTKIT_SOURCE_DIR) + "/docs/crypto.md");
  std::string test = read_text(std::string(WEFTKIT_SOURCE_DIR) + "/tests/crypto/doc_example_test.cc");
  std::string shown = text_between(doc, "```cpp\n", "```\n");
  ASSERT_FALSE(shown.empty());
  EXPECT_EQ(shown, text_between(test, "// BEGIN docs/crypto.md example\n", "// END docs/crypto.md example"));
}

}  // namespace
