// The crypto module's audit events: refused cross-tenant reads through TenantPages become
// tenant_violation events, and the keyring's rotate, rewrap and retire key_rotation events.
#include <gtest/gtest.h>

#include <weftkit/crypto/tenant_pages.h>
#include <weftkit/crypto/tenant_violation_audit.h>

#include "tests/audit/recording_sink.h"
#include "tests/crypto/test_support.h"

namespace weftkit::crypto {
namespace {

using audit::AuditEvent;
using audit::EventKind;
using audit::testing::RecordingSink;

std::string summary(const AuditEvent& event) {
  return event.operation + " " + (event.tenant.empty() ? "-" : event.tenant) + " " + event.result + " " +
         event.reason.value_or("-");
}

class KeyEvents : public ::testing::Test {
 protected:
  void SetUp() override {
    KeyringSettings settings;
    settings.path = dir_.file("keyring");
    settings.audit_sink = sink_;
    settings.audit_identity = "operator";
    keyring_ = Keyring::create(settings, testing::env_provider(1)).value();
    ASSERT_TRUE(keyring_->add_tenant("tenant-001").ok());
    ASSERT_TRUE(keyring_->add_tenant("tenant-002").ok());
  }
  testing::TempDir dir_;
  std::shared_ptr<RecordingSink> sink_ = std::make_shared<RecordingSink>();
  std::shared_ptr<Keyring> keyring_;
};

TEST_F(KeyEvents, CrossTenantReadIsATenantViolationEvent) {
  PageCipher cipher(keyring_);
  const std::vector<std::uint8_t> plaintext = testing::random_bytes(512);
  std::vector<std::uint8_t> sealed(sealed_page_size(plaintext.size()));
  TenantPages owner(cipher, *keyring_, "tenant-002", "bob", tenant_violation_sink(sink_));
  ASSERT_TRUE(owner.encrypt(PageId{17, 3}, 1, plaintext, sealed).ok());
  std::vector<std::uint8_t> out(plaintext.size());
  ASSERT_TRUE(owner.decrypt(PageId{17, 3}, 1, sealed, out).ok());
  EXPECT_TRUE(sink_->events().empty()) << "a tenant's own page reports nothing";

  TenantPages other(cipher, *keyring_, "tenant-001", "alice", tenant_violation_sink(sink_));
  EXPECT_FALSE(other.decrypt(PageId{17, 3}, 1, sealed, out).ok());
  TenantPages none(cipher, *keyring_, std::nullopt, "carol", tenant_violation_sink(sink_));
  EXPECT_FALSE(none.decrypt(PageId{17, 3}, 1, sealed, out).ok());
  const std::vector<AuditEvent> events = sink_->events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].kind, EventKind::kTenantViolation);
  EXPECT_EQ(events[0].identity, "alice");
  EXPECT_EQ(events[0].tenant, "tenant-001");
  EXPECT_EQ(events[0].operation, "READ_PAGE");
  EXPECT_EQ(events[0].resource, "tenant-002/17/3");
  EXPECT_EQ(events[0].result, "denied");
  EXPECT_EQ(events[0].reason, "a page of tenant 'tenant-002' asked for by tenant 'tenant-001'");
  EXPECT_EQ(events[1].identity, "carol");
  EXPECT_EQ(events[1].tenant, "");
  EXPECT_EQ(events[1].reason, "a page of tenant 'tenant-002' asked for without a tenant");
}

TEST_F(KeyEvents, NoTenantViolationSinkWithoutAnAuditSinkOrTheKind) {
  EXPECT_FALSE(static_cast<bool>(tenant_violation_sink(nullptr)));
  auto auth_only = std::make_shared<RecordingSink>(std::set<EventKind>{EventKind::kAuth});
  EXPECT_FALSE(static_cast<bool>(tenant_violation_sink(auth_only)));
}

TEST_F(KeyEvents, RotateRewrapAndRetireAreRecordedWithTheirVersions) {
  const TenantId first = keyring_->find_tenant("tenant-001").value();
  ASSERT_EQ(keyring_->rotate(first).value(), 2u);
  ASSERT_TRUE(keyring_->rewrap(testing::env_provider(2)).ok());
  ASSERT_TRUE(keyring_->retire(first, 1).ok());
  EXPECT_FALSE(keyring_->retire(first, 2).ok());   // the current version
  EXPECT_FALSE(keyring_->retire(first, 9).ok());   // no such version
  EXPECT_FALSE(keyring_->rotate(static_cast<TenantId>(42)).ok());
  const std::vector<AuditEvent> events = sink_->events();
  ASSERT_EQ(events.size(), 6u);
  EXPECT_EQ(summary(events[0]), "ROTATE tenant-001 success key version 1 -> 2");
  EXPECT_EQ(summary(events[1]), "REWRAP - success 3 key versions, provider env -> env");
  EXPECT_EQ(summary(events[2]), "RETIRE tenant-001 success key version 1");
  EXPECT_EQ(summary(events[3]), "RETIRE tenant-001 failure version_in_use: key version 2");
  EXPECT_EQ(summary(events[4]), "RETIRE tenant-001 failure unknown_key_version: key version 9");
  EXPECT_EQ(summary(events[5]), "ROTATE #42 failure unknown_tenant: key version 0");
  for (const AuditEvent& event : events) {
    EXPECT_EQ(event.kind, EventKind::kKeyRotation);
    EXPECT_EQ(event.identity, "operator");
    EXPECT_EQ(event.resource, dir_.file("keyring"));
  }
}

TEST(KeyEventsAutomatic, AKeyReachingItsPageLimitRecordsTheRotationTheWritePathMade) {
  testing::TempDir dir;
  KeyringSettings settings;
  settings.path = dir.file("keyring");
  settings.max_pages_per_key = 3;
  settings.page_count_reservation = 2;
  auto sink = std::make_shared<RecordingSink>();
  settings.audit_sink = sink;
  settings.audit_identity = "engine-7";
  std::shared_ptr<Keyring> keyring = Keyring::create(settings, testing::env_provider(1)).value();
  const TenantId tenant = keyring->add_tenant("tenant-001").value();
  PageCipher cipher(keyring);
  for (std::uint64_t page = 0; page < 7; ++page) {
    ASSERT_TRUE(cipher.encrypt(tenant, PageId{1, page}, 1, std::vector<std::uint8_t>(32)).ok());
  }
  // Pages 0-2 under version 1, 3-5 under 2, 6 under 3: two rotations, each recorded once.
  const std::vector<AuditEvent> events = sink->events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(summary(events[0]),
            "ROTATE tenant-001 success key version 1 -> 2, automatic: the key reached max_pages_per_key (3 pages)");
  EXPECT_EQ(summary(events[1]),
            "ROTATE tenant-001 success key version 2 -> 3, automatic: the key reached max_pages_per_key (3 pages)");
  for (const AuditEvent& event : events) {
    EXPECT_EQ(event.kind, EventKind::kKeyRotation);
    EXPECT_EQ(event.identity, "engine-7");
    EXPECT_EQ(event.resource, dir.file("keyring"));
  }
  EXPECT_EQ(keyring->status().tenants[0].current_version, 3u);
}

TEST_F(KeyEvents, NothingIsRecordedWithoutTheKind) {
  KeyringSettings settings;
  settings.path = dir_.file("keyring2");
  auto auth_only = std::make_shared<RecordingSink>(std::set<EventKind>{EventKind::kAuth});
  settings.audit_sink = auth_only;
  std::shared_ptr<Keyring> keyring = Keyring::create(settings, testing::env_provider(1)).value();
  const TenantId tenant = keyring->add_tenant("tenant-001").value();
  ASSERT_TRUE(keyring->rotate(tenant).ok());
  EXPECT_TRUE(auth_only->events().empty());
}

}  // namespace
}  // namespace weftkit::crypto
