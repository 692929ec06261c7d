// Cross-tenant reads through a statement's tenant: refused before decryption and reported to
// the audit sink; a context without a tenant (or with one the keyring does not know) reads
// nothing; the statement's own pages read normally and report nothing.
#include <gtest/gtest.h>

#include <weftkit/crypto/tenant_pages.h>

#include "tests/crypto/test_support.h"

namespace weftkit::crypto {
namespace {

class TenantPagesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    KeyringSettings settings;
    settings.path = dir_.file("keyring");
    keyring_ = Keyring::create(settings, testing::env_provider(1)).value();
    ASSERT_TRUE(keyring_->add_tenant("tenant-001").ok());
    ASSERT_TRUE(keyring_->add_tenant("tenant-002").ok());
    cipher_ = std::make_unique<PageCipher>(keyring_);
    plaintext_ = testing::random_bytes(4096);
    TenantPages owner(*cipher_, *keyring_, "tenant-002", "bob");
    sealed_.resize(sealed_page_size(plaintext_.size()));
    ASSERT_TRUE(owner.encrypt(kPage, 1, plaintext_, sealed_).ok());
  }

  TenantPages pages_for(std::optional<std::string_view> tenant) {
    return TenantPages(*cipher_, *keyring_, tenant, "alice", [this](const TenantViolation& v) { events_.push_back(v); });
  }

  std::string refusal(TenantPages& pages) {
    std::vector<std::uint8_t> out(plaintext_.size(), 0xEE);
    auto result = pages.decrypt(kPage, 1, sealed_, out);
    EXPECT_EQ(out, std::vector<std::uint8_t>(out.size(), 0xEE)) << "refused before any decryption";
    return result.ok() ? "read" : result.error().to_string();
  }

  static constexpr PageId kPage{9, 4};
  testing::TempDir dir_;
  std::shared_ptr<Keyring> keyring_;
  std::unique_ptr<PageCipher> cipher_;
  std::vector<std::uint8_t> plaintext_;
  std::vector<std::uint8_t> sealed_;
  std::vector<TenantViolation> events_;
};

TEST_F(TenantPagesTest, AStatementOfAnotherTenantIsRefusedAndReported) {
  TenantPages pages = pages_for("tenant-001");
  EXPECT_EQ(refusal(pages), "wrong_tenant: a statement of tenant 'tenant-001' may not read a page of tenant 'tenant-002'");
  ASSERT_EQ(events_.size(), 1u);
  EXPECT_EQ(events_[0].user, "alice");
  EXPECT_EQ(events_[0].context_tenant, std::optional<std::string>("tenant-001"));
  EXPECT_EQ(events_[0].page_tenant, "tenant-002");
  EXPECT_EQ(events_[0].page.object, 9u);
  EXPECT_EQ(events_[0].page.page_number, 4u);
}

TEST_F(TenantPagesTest, AContextWithoutATenantReadsNoTenantsPages) {
  TenantPages pages = pages_for(std::nullopt);
  EXPECT_EQ(refusal(pages), "wrong_tenant: a statement of a context without a tenant may not read a page of tenant 'tenant-002'");
  ASSERT_EQ(events_.size(), 1u);
  EXPECT_EQ(events_[0].context_tenant, std::nullopt);
  std::vector<std::uint8_t> out(sealed_page_size(10));
  EXPECT_EQ(pages.encrypt(kPage, 1, std::vector<std::uint8_t>(10), out).error().to_string(),
            "wrong_tenant: a context without a tenant may not write tenant pages");
}

TEST_F(TenantPagesTest, AContextOfATenantTheKeyringDoesNotKnowReadsNothing) {
  TenantPages pages = pages_for("tenant-999");
  EXPECT_EQ(refusal(pages),
            "wrong_tenant: a statement of tenant 'tenant-999' (not in the keyring) may not read a page of tenant 'tenant-002'");
  EXPECT_EQ(events_.size(), 1u);
}

TEST_F(TenantPagesTest, TheOwnTenantsPagesReadAndNothingIsReported) {
  TenantPages pages = pages_for("tenant-002");
  std::vector<std::uint8_t> out(plaintext_.size());
  auto read = pages.decrypt(kPage, 1, sealed_, out);
  ASSERT_TRUE(read.ok()) << read.error().to_string();
  EXPECT_EQ(out, plaintext_);
  EXPECT_TRUE(events_.empty());
  // Other refusals (here a replayed version) are not tenant violations.
  EXPECT_EQ(pages.decrypt(kPage, 2, sealed_, out).error().name(), "stale_version");
  EXPECT_TRUE(events_.empty());
}

TEST_F(TenantPagesTest, WithoutASinkCrossTenantReadsAreStillRefused) {
  TenantPages pages(*cipher_, *keyring_, "tenant-001", "alice");
  EXPECT_EQ(refusal(pages).substr(0, 13), "wrong_tenant:");
}

}  // namespace
}  // namespace weftkit::crypto
