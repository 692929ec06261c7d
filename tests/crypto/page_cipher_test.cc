// The page cipher's rules: round trips at every engine page size, fresh nonces, the 64 KiB
// limit, rotation (old pages stay readable), retirement, automatic rotation after the per-key
// page limit, and concurrent writers sharing one keyring.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <string>
#include <set>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

#include <weftkit/crypto/page_cipher.h>

#include "tests/crypto/test_support.h"

namespace weftkit::crypto {
namespace {

using testing::TempDir;

struct Fixture {
  explicit Fixture(KeyringSettings settings = {}) {
    settings.path = dir.file("keyring");
    keyring = Keyring::create(settings, testing::env_provider(1)).value();
    tenant = keyring->add_tenant("tenant-001").value();
    other = keyring->add_tenant("tenant-002").value();
  }
  TempDir dir;
  std::shared_ptr<Keyring> keyring;
  TenantId tenant{};
  TenantId other{};
};

TEST(PageCipher, EveryPageSizeUpTo64KiBRoundTrips) {
  Fixture f;
  PageCipher cipher(f.keyring);
  for (std::size_t size : {0u, 1u, 15u, 16u, 17u, 4096u, 8192u, 16384u, 65536u}) {
    SCOPED_TRACE(size);
    auto page = testing::random_bytes(size);
    auto sealed = cipher.encrypt(f.tenant, {7, 3}, 11, page);
    ASSERT_TRUE(sealed.ok()) << sealed.error().to_string();
    EXPECT_EQ(sealed.value().size(), size + kPageOverhead);
    auto opened = cipher.decrypt(f.tenant, {7, 3}, 11, sealed.value());
    ASSERT_TRUE(opened.ok()) << opened.error().to_string();
    EXPECT_EQ(opened.value(), page);
  }
}

TEST(PageCipher, PagesOver64KiBAreRefusedAsTooLarge) {
  Fixture f;
  PageCipher cipher(f.keyring);
  auto sealed = cipher.encrypt(f.tenant, {1, 1}, 1, std::vector<std::uint8_t>(kMaxPageSize + 1));
  ASSERT_FALSE(sealed.ok());
  EXPECT_EQ(sealed.error().name(), "too_large");
}

TEST(PageCipher, TheSamePageEncryptedTwiceGetsDifferentNoncesAndCiphertexts) {
  Fixture f;
  PageCipher cipher(f.keyring);
  std::vector<std::uint8_t> page(4096, 0x42);
  auto first = cipher.encrypt(f.tenant, {1, 1}, 1, page).value();
  auto second = cipher.encrypt(f.tenant, {1, 1}, 1, page).value();
  EXPECT_NE(std::vector(first.begin() + 24, first.begin() + 36), std::vector(second.begin() + 24, second.begin() + 36));
  EXPECT_NE(first, second);
}

TEST(PageCipher, NoncesAreUniqueAcrossBatches) {
  Fixture f;
  PageCipher cipher(f.keyring);
  std::set<std::vector<std::uint8_t>> nonces;
  for (std::uint64_t i = 0; i < 1000; ++i) {  // about four batches of 256
    auto sealed = cipher.encrypt(f.tenant, {1, i}, 1, std::vector<std::uint8_t>(16)).value();
    nonces.emplace(sealed.begin() + 24, sealed.begin() + 36);
  }
  EXPECT_EQ(nonces.size(), 1000u);
}

TEST(PageCipher, AChildProcessAfterForkDoesNotReuseTheParentsNonces) {
  Fixture f;
  PageCipher cipher(f.keyring);
  ASSERT_TRUE(cipher.encrypt(f.tenant, {1, 1}, 1, std::vector<std::uint8_t>(16)).ok());  // a batch is drawn
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto sealed = cipher.encrypt(f.tenant, {1, 2}, 1, std::vector<std::uint8_t>(16));
    std::uint8_t nonce[12] = {};
    if (sealed.ok()) std::memcpy(nonce, sealed.value().data() + 24, 12);
    ssize_t written = ::write(pipe_fds[1], nonce, sizeof nonce);
    ::_exit(written == sizeof nonce ? 0 : 1);
  }
  auto sealed = cipher.encrypt(f.tenant, {1, 2}, 1, std::vector<std::uint8_t>(16)).value();
  std::vector<std::uint8_t> child_nonce(12);
  ASSERT_EQ(::read(pipe_fds[0], child_nonce.data(), 12), 12);
  int status = 0;
  ::waitpid(child, &status, 0);
  ::close(pipe_fds[0]);
  ::close(pipe_fds[1]);
  EXPECT_NE(child_nonce, std::vector<std::uint8_t>(12, 0));
  EXPECT_NE(child_nonce, std::vector<std::uint8_t>(sealed.begin() + 24, sealed.begin() + 36));
}

TEST(PageCipher, CiphertextDoesNotContainThePlaintext) {
  Fixture f;
  PageCipher cipher(f.keyring);
  std::string text(4096, 'A');
  std::vector<std::uint8_t> page(text.begin(), text.end());
  auto sealed = cipher.encrypt(f.tenant, {1, 1}, 1, page).value();
  std::vector<std::uint8_t> run(16, 'A');
  EXPECT_EQ(std::search(sealed.begin(), sealed.end(), run.begin(), run.end()), sealed.end());
}

TEST(PageCipher, OutputBufferTooSmallIsRefusedWithoutWriting) {
  Fixture f;
  PageCipher cipher(f.keyring);
  std::vector<std::uint8_t> page(100, 1);
  std::vector<std::uint8_t> out(100 + kPageOverhead - 1, 0xEE);
  auto size = cipher.encrypt(f.tenant, {1, 1}, 1, page, out);
  ASSERT_FALSE(size.ok());
  EXPECT_EQ(size.error().name(), "buffer_too_small");
  EXPECT_EQ(out, std::vector<std::uint8_t>(out.size(), 0xEE));
}

TEST(PageCipher, UnknownTenantIsRefused) {
  Fixture f;
  PageCipher cipher(f.keyring);
  auto sealed = cipher.encrypt(static_cast<TenantId>(99), {1, 1}, 1, std::vector<std::uint8_t>(10));
  ASSERT_FALSE(sealed.ok());
  EXPECT_EQ(sealed.error().name(), "unknown_tenant");
}

TEST(PageCipher, InspectReportsTheHeaderFields) {
  Fixture f;
  PageCipher cipher(f.keyring);
  auto sealed = cipher.encrypt(f.other, {5, 6}, 77, std::vector<std::uint8_t>(300)).value();
  auto info = PageCipher::inspect(sealed);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info.value().format_version, 1);
  EXPECT_EQ(info.value().tenant, f.other);
  EXPECT_EQ(info.value().key_version, 1u);
  EXPECT_EQ(info.value().page_version, 77u);
  EXPECT_EQ(info.value().plaintext_size, 300u);
}

TEST(PageCipher, AfterRotationNewPagesUseTheNewVersionAndOldPagesStillDecrypt) {
  Fixture f;
  PageCipher cipher(f.keyring);
  auto page = testing::random_bytes(8192);
  auto old_sealed = cipher.encrypt(f.tenant, {1, 1}, 1, page).value();
  auto rotated = f.keyring->rotate(f.tenant);
  ASSERT_TRUE(rotated.ok());
  EXPECT_EQ(rotated.value(), 2u);
  auto new_sealed = cipher.encrypt(f.tenant, {1, 2}, 1, page).value();
  EXPECT_EQ(PageCipher::inspect(old_sealed).value().key_version, 1u);
  EXPECT_EQ(PageCipher::inspect(new_sealed).value().key_version, 2u);
  EXPECT_EQ(cipher.decrypt(f.tenant, {1, 1}, 1, old_sealed).value(), page);
  EXPECT_EQ(cipher.decrypt(f.tenant, {1, 2}, 1, new_sealed).value(), page);
  // The other tenant's key did not move.
  EXPECT_EQ(PageCipher::inspect(cipher.encrypt(f.other, {1, 1}, 1, page).value()).value().key_version, 1u);
}

TEST(PageCipher, PagesOfARetiredVersionAreRefusedAsUnknownKeyVersion) {
  Fixture f;
  PageCipher cipher(f.keyring);
  auto page = testing::random_bytes(512);
  auto old_sealed = cipher.encrypt(f.tenant, {1, 1}, 1, page).value();
  ASSERT_TRUE(f.keyring->rotate(f.tenant).ok());
  ASSERT_TRUE(f.keyring->retire(f.tenant, 1).ok());
  std::vector<std::uint8_t> out(512, 0xEE);
  auto opened = cipher.decrypt(f.tenant, {1, 1}, 1, old_sealed, out);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().name(), "unknown_key_version");
  EXPECT_EQ(out, std::vector<std::uint8_t>(512, 0xEE));
}

TEST(PageCipher, RetiringTheCurrentVersionIsRefusedAsVersionInUse) {
  Fixture f;
  auto retired = f.keyring->retire(f.tenant, 1);
  ASSERT_FALSE(retired.ok());
  EXPECT_EQ(retired.error().name(), "version_in_use");
  auto unknown = f.keyring->retire(f.tenant, 9);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().name(), "unknown_key_version");
}

TEST(PageCipher, AKeyEncryptsAtMostMaxPagesThenWritesRotateToANewVersion) {
  KeyringSettings settings;
  settings.max_pages_per_key = 5;
  settings.page_count_reservation = 2;
  Fixture f(settings);
  PageCipher cipher(f.keyring);
  std::vector<std::uint32_t> versions;
  for (int i = 0; i < 12; ++i) {
    auto sealed = cipher.encrypt(f.tenant, {1, static_cast<std::uint64_t>(i)}, 1, std::vector<std::uint8_t>(64));
    ASSERT_TRUE(sealed.ok()) << sealed.error().to_string();
    versions.push_back(PageCipher::inspect(sealed.value()).value().key_version);
  }
  EXPECT_EQ(versions, (std::vector<std::uint32_t>{1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3}));
  EXPECT_EQ(f.keyring->status().tenants[0].current_version, 3u);
}

TEST(PageCipher, PageCountsArePersistedSoAReopenedKeyringNeverExceedsTheLimit) {
  KeyringSettings settings;
  settings.max_pages_per_key = 5;
  settings.page_count_reservation = 4;
  TempDir dir;
  settings.path = dir.file("keyring");
  {
    auto keyring = Keyring::create(settings, testing::env_provider(1)).value();
    TenantId tenant = keyring->add_tenant("t").value();
    PageCipher cipher(keyring);
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(cipher.encrypt(tenant, {1, 1}, 1, std::vector<std::uint8_t>(8)).ok());
  }
  // Three pages used, four reserved: a new process must count all four as used.
  auto keyring = Keyring::open(settings, testing::env_provider(1)).value();
  EXPECT_EQ(keyring->status().tenants[0].versions[0].pages_reserved, 4u);
  PageCipher cipher(keyring);
  TenantId tenant = keyring->find_tenant("t").value();
  auto fifth = cipher.encrypt(tenant, {1, 1}, 1, std::vector<std::uint8_t>(8)).value();
  auto sixth = cipher.encrypt(tenant, {1, 1}, 1, std::vector<std::uint8_t>(8)).value();
  EXPECT_EQ(PageCipher::inspect(fifth).value().key_version, 1u);
  EXPECT_EQ(PageCipher::inspect(sixth).value().key_version, 2u);
}

TEST(PageCipher, AfterReopeningOneFileWriteReservesPagesForEveryTenant) {
  TempDir dir;
  KeyringSettings settings;
  settings.path = dir.file("keyring");
  std::vector<std::string> names{"a", "b", "c"};
  {
    auto keyring = Keyring::create(settings, testing::env_provider(1)).value();
    ASSERT_TRUE(keyring->add_tenants(names).ok());
  }
  auto keyring = Keyring::open(settings, testing::env_provider(1)).value();
  std::uint64_t opened_at = keyring->status().generation;
  PageCipher cipher(keyring);
  for (const std::string& name : names) {
    ASSERT_TRUE(cipher.encrypt(keyring->find_tenant(name).value(), {1, 1}, 1, std::vector<std::uint8_t>(8)).ok());
  }
  EXPECT_EQ(keyring->status().generation, opened_at + 1);
  for (const TenantStatus& tenant : keyring->status().tenants) {
    EXPECT_EQ(tenant.versions[0].pages_reserved, 2 * settings.page_count_reservation) << tenant.name;
  }
}

TEST(PageCipher, ConcurrentWritersNeverPassTheLimitAndEveryPageDecrypts) {
  KeyringSettings settings;
  settings.max_pages_per_key = 50;
  settings.page_count_reservation = 7;
  Fixture f(settings);
  constexpr int kThreads = 4;
  constexpr int kPagesPerThread = 100;
  std::vector<std::vector<std::vector<std::uint8_t>>> sealed(kThreads);
  std::vector<std::string> failures(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      PageCipher cipher(f.keyring);
      for (int i = 0; i < kPagesPerThread; ++i) {
        std::vector<std::uint8_t> page(256, static_cast<std::uint8_t>(t));
        auto result = cipher.encrypt(f.tenant, {static_cast<std::uint64_t>(t), static_cast<std::uint64_t>(i)}, 1, page);
        if (result.ok()) {
          sealed[t].push_back(std::move(result).value());
        } else if (failures[t].empty()) {
          failures[t] = result.error().to_string();
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(failures[t], "") << "writer " << t;
  std::map<std::uint32_t, int> pages_per_version;
  PageCipher reader(f.keyring);
  for (int t = 0; t < kThreads; ++t) {
    ASSERT_EQ(sealed[t].size(), static_cast<std::size_t>(kPagesPerThread));
    for (int i = 0; i < kPagesPerThread; ++i) {
      ++pages_per_version[PageCipher::inspect(sealed[t][i]).value().key_version];
      auto opened = reader.decrypt(f.tenant, {static_cast<std::uint64_t>(t), static_cast<std::uint64_t>(i)}, 1, sealed[t][i]);
      ASSERT_TRUE(opened.ok()) << opened.error().to_string();
      EXPECT_EQ(opened.value(), std::vector<std::uint8_t>(256, static_cast<std::uint8_t>(t)));
    }
  }
  for (const auto& [version, count] : pages_per_version) EXPECT_LE(count, 50) << "version " << version;
  EXPECT_GE(pages_per_version.size(), 8u);  // 400 pages, at most 50 per key
}

TEST(PageCipher, TheKeyProviderIsNotCalledPerPage) {
  TempDir dir;
  auto provider = std::make_shared<testing::CountingProvider>(1);
  KeyringSettings settings;
  settings.path = dir.file("keyring");
  auto keyring = Keyring::create(settings, provider).value();
  TenantId tenant = keyring->add_tenant("t").value();
  int calls_after_setup = provider->calls;
  PageCipher cipher(keyring);
  for (std::uint64_t i = 0; i < 1000; ++i) {
    auto sealed = cipher.encrypt(tenant, {1, i}, 1, std::vector<std::uint8_t>(64)).value();
    ASSERT_TRUE(cipher.decrypt(tenant, {1, i}, 1, sealed).ok());
  }
  EXPECT_EQ(provider->calls, calls_after_setup);
}

}  // namespace
}  // namespace weftkit::crypto
