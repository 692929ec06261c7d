// Keyring rules: create/open, tenants, rotation, rewrap under a new master key without touching
// pages, retirement, status; the file is owner-only and authenticated (wrong master key and
// tampering are typed errors), and a failed change leaves file and memory as they were.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include <weftkit/crypto/page_cipher.h>

#include "tests/crypto/test_support.h"

namespace weftkit::crypto {
namespace {

using testing::TempDir;

KeyringSettings settings_in(const TempDir& dir) {
  KeyringSettings settings;
  settings.path = dir.file("keyring");
  return settings;
}

std::string open_refusal(const KeyringSettings& settings, int seed = 1) {
  auto keyring = Keyring::open(settings, testing::env_provider(seed));
  return keyring.ok() ? "opened" : std::string(keyring.error().name());
}

unsigned file_mode(const std::string& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0);
  return info.st_mode & 07777;
}

TEST(Keyring, CreateWritesAnOwnerOnlyFileAndRefusesToOverwriteIt) {
  TempDir dir;
  auto created = Keyring::create(settings_in(dir), testing::env_provider(1));
  ASSERT_TRUE(created.ok()) << created.error().to_string();
  EXPECT_EQ(file_mode(dir.file("keyring")), 0600u);
  auto again = Keyring::create(settings_in(dir), testing::env_provider(1));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().name(), "already_exists");
  EXPECT_EQ(open_refusal(settings_in(dir)), "opened");
}

TEST(Keyring, TenantsKeysAndPagesSurviveReopening) {
  TempDir dir;
  auto page = testing::random_bytes(4096);
  std::vector<std::uint8_t> sealed_old, sealed_new;
  {
    auto keyring = Keyring::create(settings_in(dir), testing::env_provider(1)).value();
    TenantId tenant = keyring->add_tenant("tenant-001").value();
    EXPECT_EQ(static_cast<std::uint32_t>(tenant), 1u);
    EXPECT_EQ(static_cast<std::uint32_t>(keyring->add_tenant("tenant-002").value()), 2u);
    PageCipher cipher(keyring);
    sealed_old = cipher.encrypt(tenant, {1, 1}, 1, page).value();
    ASSERT_EQ(keyring->rotate(tenant).value(), 2u);
    sealed_new = cipher.encrypt(tenant, {1, 2}, 1, page).value();
  }
  auto keyring = Keyring::open(settings_in(dir), testing::env_provider(1)).value();
  TenantId tenant = keyring->find_tenant("tenant-001").value();
  PageCipher cipher(keyring);
  EXPECT_EQ(cipher.decrypt(tenant, {1, 1}, 1, sealed_old).value(), page);
  EXPECT_EQ(cipher.decrypt(tenant, {1, 2}, 1, sealed_new).value(), page);
  EXPECT_EQ(keyring->find_tenant("nobody").error().name(), "unknown_tenant");
}

TEST(Keyring, AddingAKnownTenantOrAnEmptyNameIsRefused) {
  TempDir dir;
  auto keyring = Keyring::create(settings_in(dir), testing::env_provider(1)).value();
  ASSERT_TRUE(keyring->add_tenant("a").ok());
  EXPECT_EQ(keyring->add_tenant("a").error().name(), "already_exists");
  EXPECT_EQ(keyring->add_tenant("").error().name(), "invalid_argument");
  EXPECT_EQ(keyring->add_tenant(std::string(256, 'x')).error().name(), "invalid_argument");
  EXPECT_EQ(keyring->rotate(static_cast<TenantId>(5)).error().name(), "unknown_tenant");
  // A batch is added whole or not at all.
  std::vector<std::string> batch{"b", "c", "a"};
  EXPECT_EQ(keyring->add_tenants(batch).error().name(), "already_exists");
  std::vector<std::string> twice{"d", "d"};
  EXPECT_EQ(keyring->add_tenants(twice).error().name(), "already_exists");
  EXPECT_EQ(keyring->status().tenants.size(), 1u);
  EXPECT_EQ(keyring->find_tenant("b").error().name(), "unknown_tenant");
}

TEST(Keyring, StatusListsTenantsVersionsAndReservedPageCounts) {
  TempDir dir;
  KeyringSettings settings = settings_in(dir);
  settings.page_count_reservation = 100;
  auto keyring = Keyring::create(settings, testing::env_provider(1)).value();
  TenantId a = keyring->add_tenant("a").value();
  keyring->add_tenant("b").value();
  ASSERT_TRUE(keyring->rotate(a).ok());
  ASSERT_TRUE(keyring->rotate(a).ok());
  ASSERT_TRUE(keyring->retire(a, 1).ok());
  KeyringStatus status = keyring->status();
  EXPECT_EQ(status.provider, "env");
  EXPECT_EQ(status.generation, 6u);  // create, two tenants, two rotations, one retirement
  ASSERT_EQ(status.tenants.size(), 2u);
  EXPECT_EQ(status.tenants[0].name, "a");
  EXPECT_EQ(status.tenants[0].current_version, 3u);
  ASSERT_EQ(status.tenants[0].versions.size(), 2u);
  EXPECT_EQ(status.tenants[0].versions[0].version, 2u);
  EXPECT_FALSE(status.tenants[0].versions[0].current);
  EXPECT_EQ(status.tenants[0].versions[1].version, 3u);
  EXPECT_TRUE(status.tenants[0].versions[1].current);
  EXPECT_EQ(status.tenants[0].versions[1].pages_reserved, 100u);
  EXPECT_EQ(status.tenants[1].name, "b");
  EXPECT_EQ(status.tenants[1].current_version, 1u);
}

TEST(Keyring, RewrapMovesEveryKeyUnderTheNewMasterKeyWithoutTouchingPages) {
  TempDir dir;
  auto page = testing::random_bytes(8192);
  std::vector<std::uint8_t> sealed;
  std::vector<std::uint8_t> file_before;
  {
    auto keyring = Keyring::create(settings_in(dir), testing::env_provider(1)).value();
    TenantId tenant = keyring->add_tenant("t").value();
    ASSERT_TRUE(keyring->rotate(tenant).ok());
    PageCipher cipher(keyring);
    sealed = cipher.encrypt(tenant, {3, 4}, 9, page).value();
    file_before = testing::read_file(dir.file("keyring"));
    ASSERT_TRUE(keyring->rewrap(testing::env_provider(2)).ok());
    // The keyring in memory keeps working, and rotates under the new master key.
    ASSERT_TRUE(keyring->rotate(tenant).ok());
    EXPECT_EQ(cipher.decrypt(tenant, {3, 4}, 9, sealed).value(), page);
  }
  EXPECT_NE(testing::read_file(dir.file("keyring")), file_before);
  EXPECT_EQ(open_refusal(settings_in(dir), 1), "wrong_master_key");
  auto keyring = Keyring::open(settings_in(dir), testing::env_provider(2));
  ASSERT_TRUE(keyring.ok()) << keyring.error().to_string();
  PageCipher cipher(keyring.value());
  EXPECT_EQ(cipher.decrypt(keyring.value()->find_tenant("t").value(), {3, 4}, 9, sealed).value(), page);
}

TEST(Keyring, AProviderFailureDuringRotateOrRewrapLeavesFileAndKeyringUnchanged) {
  TempDir dir;
  auto provider = std::make_shared<testing::CountingProvider>(1);
  auto keyring = Keyring::create(settings_in(dir), provider).value();
  TenantId tenant = keyring->add_tenant("t").value();
  auto file_before = testing::read_file(dir.file("keyring"));
  provider->fail_wraps = true;
  EXPECT_EQ(keyring->rotate(tenant).error().to_string(), "key_provider_error: test provider: wrapping refused");
  EXPECT_EQ(keyring->add_tenant("u").error().name(), "key_provider_error");
  auto failing_target = std::make_shared<testing::CountingProvider>(2);
  failing_target->fail_wraps = true;
  EXPECT_EQ(keyring->rewrap(failing_target).error().name(), "key_provider_error");
  EXPECT_EQ(testing::read_file(dir.file("keyring")), file_before);
  EXPECT_EQ(keyring->status().tenants.size(), 1u);
  EXPECT_EQ(keyring->status().tenants[0].current_version, 1u);
  provider->fail_wraps = false;
  EXPECT_EQ(keyring->rotate(tenant).value(), 2u);
}

TEST(Keyring, AWriteFailureLeavesTheKeyringInMemoryUnchanged) {
  TempDir dir;
  ASSERT_EQ(::mkdir(dir.file("data").c_str(), 0700), 0);
  KeyringSettings settings;
  settings.path = dir.file("data/keyring");
  auto keyring = Keyring::create(settings, testing::env_provider(1)).value();
  TenantId tenant = keyring->add_tenant("t").value();
  // The data directory gone (root can write anywhere, so permissions would not do).
  ASSERT_EQ(::rename(dir.file("data").c_str(), dir.file("moved").c_str()), 0);
  auto rotated = keyring->rotate(tenant);
  ASSERT_EQ(::rename(dir.file("moved").c_str(), dir.file("data").c_str()), 0);
  ASSERT_FALSE(rotated.ok());
  EXPECT_EQ(rotated.error().name(), "io_error");
  EXPECT_EQ(keyring->status().tenants[0].current_version, 1u);
  EXPECT_EQ(keyring->status().generation, 2u);
  EXPECT_EQ(keyring->rotate(tenant).value(), 2u);
  auto reopened = Keyring::open(settings, testing::env_provider(1)).value();
  EXPECT_EQ(reopened->status().tenants[0].current_version, 2u);
  EXPECT_EQ(reopened->status().generation, 3u);
}

TEST(Keyring, AKeyringOthersCanReadIsRefused) {
  TempDir dir;
  ASSERT_TRUE(Keyring::create(settings_in(dir), testing::env_provider(1)).ok());
  for (unsigned mode : {0640u, 0604u, 0660u, 0644u}) {
    ASSERT_EQ(::chmod(dir.file("keyring").c_str(), mode), 0);
    auto keyring = Keyring::open(settings_in(dir), testing::env_provider(1));
    ASSERT_FALSE(keyring.ok());
    char text[8];
    std::snprintf(text, sizeof text, "%04o", mode);
    EXPECT_EQ(keyring.error().to_string(), "insecure_permissions: '" + dir.file("keyring") + "' has mode " + text +
                                               ": others may read it; it must be 0600 (chmod 600)");
  }
  ASSERT_EQ(::chmod(dir.file("keyring").c_str(), 0400), 0);
  EXPECT_EQ(open_refusal(settings_in(dir)), "opened");
}

TEST(Keyring, ASymbolicLinkToAKeyringIsRefused) {
  TempDir dir;
  ASSERT_TRUE(Keyring::create(settings_in(dir), testing::env_provider(1)).ok());
  ASSERT_EQ(::symlink(dir.file("keyring").c_str(), dir.file("link").c_str()), 0);
  KeyringSettings settings;
  settings.path = dir.file("link");
  EXPECT_EQ(open_refusal(settings), "insecure_permissions");
}

TEST(Keyring, AWrongMasterKeyIsRefusedAsWrongMasterKey) {
  TempDir dir;
  auto keyring = Keyring::create(settings_in(dir), testing::env_provider(1)).value();
  ASSERT_TRUE(keyring->add_tenant("t").ok());
  EXPECT_EQ(open_refusal(settings_in(dir), 2), "wrong_master_key");
}

TEST(Keyring, EveryByteOfTheKeyringFileTamperedWithIsRefused) {
  TempDir dir;
  {
    auto keyring = Keyring::create(settings_in(dir), testing::env_provider(1)).value();
    TenantId tenant = keyring->add_tenant("tenant-001").value();
    ASSERT_TRUE(keyring->add_tenant("tenant-002").ok());
    ASSERT_TRUE(keyring->rotate(tenant).ok());
  }
  const auto original = testing::read_file(dir.file("keyring"));
  std::map<std::string, int> reasons;
  for (std::size_t byte = 0; byte < original.size(); ++byte) {
    auto tampered = original;
    tampered[byte] ^= static_cast<std::uint8_t>(1u << (byte % 8));
    testing::write_file(dir.file("keyring"), tampered);
    std::string reason = open_refusal(settings_in(dir));
    // Magic and format: not a keyring of ours; salt and key check: the key check no longer
    // matches (as with another master key); body size: sizes disagree; the rest: the MAC.
    std::string expected = byte < 8    ? "unsupported_format"
                           : byte < 56 ? "wrong_master_key"
                                       : "keyring_tampered";
    ASSERT_EQ(reason, expected) << "byte " << byte;
    ++reasons[reason];
  }
  EXPECT_EQ(reasons["unsupported_format"], 8);
  EXPECT_EQ(reasons["wrong_master_key"], 48);
  testing::write_file(dir.file("keyring"), std::span(original).first(original.size() - 1));
  EXPECT_EQ(open_refusal(settings_in(dir)), "keyring_tampered");
  testing::write_file(dir.file("keyring"), original);
  EXPECT_EQ(open_refusal(settings_in(dir)), "opened");
}

TEST(Keyring, AChangeByAnotherWriterIsRefusedInsteadOfOverwritten) {
  TempDir dir;
  auto first = Keyring::create(settings_in(dir), testing::env_provider(1)).value();
  TenantId a = first->add_tenant("a").value();
  TenantId b = first->add_tenant("b").value();
  auto second = Keyring::open(settings_in(dir), testing::env_provider(1)).value();
  ASSERT_EQ(first->rotate(a).value(), 2u);
  // The second keyring has not seen version 2 of "a": writing its image would drop it.
  auto refused = second->rotate(b);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().to_string(), "keyring_changed: the keyring file is at generation 4, this keyring wrote 3: "
                                         "another process changed it; open it again");
  EXPECT_EQ(second->status().tenants[1].current_version, 1u);
  ASSERT_TRUE(first->rewrap(testing::env_provider(2)).ok());
  EXPECT_EQ(first->rotate(b).value(), 2u);
  auto reopened = Keyring::open(settings_in(dir), testing::env_provider(2)).value();
  EXPECT_EQ(reopened->status().tenants[0].current_version, 2u);
  EXPECT_EQ(reopened->status().tenants[1].current_version, 2u);
  // A keyring opened before a rewrap by another writer cannot write either.
  ASSERT_TRUE(reopened->rewrap(testing::env_provider(3)).ok());
  EXPECT_EQ(first->rotate(a).error().to_string(),
            "keyring_changed: the keyring file was rewrapped by another process; open it again");
}

TEST(Keyring, ANextWriteRemovesTemporaryFilesAKilledWriterLeft) {
  TempDir dir;
  auto keyring = Keyring::create(settings_in(dir), testing::env_provider(1)).value();
  testing::write_file(dir.file(".keyring.tmp-0123456789abcdef01234567"), std::vector<std::uint8_t>(10, 1));
  testing::write_file(dir.file(".other.tmp-0123"), std::vector<std::uint8_t>(10, 1));
  ASSERT_TRUE(keyring->add_tenant("a").ok());
  EXPECT_FALSE(std::filesystem::exists(dir.file(".keyring.tmp-0123456789abcdef01234567")));
  EXPECT_TRUE(std::filesystem::exists(dir.file(".other.tmp-0123")));
}

TEST(Keyring, AKeyringTamperedWithAfterOpeningIsNotOverwritten) {
  TempDir dir;
  auto keyring = Keyring::create(settings_in(dir), testing::env_provider(1)).value();
  TenantId a = keyring->add_tenant("a").value();
  auto file = testing::read_file(dir.file("keyring"));
  file[70] ^= 1;
  testing::write_file(dir.file("keyring"), file);
  EXPECT_EQ(keyring->rotate(a).error().name(), "keyring_tampered");
  EXPECT_EQ(testing::read_file(dir.file("keyring")), file);
}

TEST(Keyring, TenThousandTenantsOpenWithEveryKey) {
  TempDir dir;
  {
    auto keyring = Keyring::create(settings_in(dir), testing::env_provider(1)).value();
    std::vector<std::string> names;
    for (int i = 0; i < 10000; ++i) names.push_back("tenant-" + std::to_string(i));
    auto ids = keyring->add_tenants(names);
    ASSERT_TRUE(ids.ok()) << ids.error().to_string();
    EXPECT_EQ(static_cast<std::uint32_t>(ids.value().back()), 10000u);
  }
  auto keyring = Keyring::open(settings_in(dir), testing::env_provider(1));
  ASSERT_TRUE(keyring.ok()) << keyring.error().to_string();
  EXPECT_EQ(keyring.value()->status().tenants.size(), 10000u);
  PageCipher cipher(keyring.value());
  TenantId last = keyring.value()->find_tenant("tenant-9999").value();
  auto sealed = cipher.encrypt(last, {1, 1}, 1, std::vector<std::uint8_t>(100, 3)).value();
  EXPECT_EQ(cipher.decrypt(last, {1, 1}, 1, sealed).value(), std::vector<std::uint8_t>(100, 3));
}

}  // namespace
}  // namespace weftkit::crypto
