// Pages read through a statement's SecurityContext (context_pages.h), with the contexts made by
// the runtime from a real policy store compiled from a roles file: the tenant and user are the
// context's, a superuser is refused another tenant's pages like anyone else, and every refusal
// reaches the audit sink as a tenant_violation before anything is decrypted.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include <weftkit/crypto/context_pages.h>
#include <weftkit/crypto/tenant_violation_audit.h>
#include <weftkit/policy_compiler.h>

#include "tests/audit/recording_sink.h"
#include "tests/crypto/test_support.h"

namespace weftkit::crypto {
namespace {

// root has the built-in superuser role and reader the built-in read_only; both live in
// tenant-001.
constexpr const char* kRoles =
    "users:\n"
    "  - name: root\n"
    "    roles: [superuser]\n"
    "    tenant: tenant-001\n"
    "  - name: reader\n"
    "    roles: [read_only]\n"
    "    tenant: tenant-001\n";
constexpr const char* kPolicies = "CREATE TABLE orders (id int, tenant_id text);\n";

class ContextPagesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<std::uint8_t> roles(kRoles, kRoles + std::string(kRoles).size());
    std::vector<std::uint8_t> policies(kPolicies, kPolicies + std::string(kPolicies).size());
    testing::write_file(dir_.file("roles.yaml"), roles);
    testing::write_file(dir_.file("policies.sql"), policies);
    StatusOr<PolicyCompiler> compiler = PolicyCompiler::create();
    ASSERT_TRUE(compiler.is_ok()) << compiler.status().message();
    auto version = compiler.value().compile({dir_.file("roles.yaml"), dir_.file("policies.sql")});
    ASSERT_TRUE(version.is_ok()) << version.status().message();
    store_ = std::make_shared<PolicyStore>(version.value());

    KeyringSettings settings;
    settings.path = dir_.file("keyring");
    keyring_ = Keyring::create(settings, testing::env_provider(1)).value();
    ASSERT_TRUE(keyring_->add_tenant("tenant-001").ok());
    ASSERT_TRUE(keyring_->add_tenant("tenant-002").ok());
    cipher_ = std::make_unique<PageCipher>(keyring_);
    plaintext_ = testing::random_bytes(4096);
    // Pages written by the engine for each tenant (object 5, page 1 and page 2).
    for (const char* tenant : {"tenant-001", "tenant-002"}) {
      TenantPages writer(*cipher_, *keyring_, tenant, "writer");
      std::vector<std::uint8_t> sealed(sealed_page_size(plaintext_.size()));
      ASSERT_TRUE(writer.encrypt(page_of(tenant), 1, plaintext_, sealed).ok());
      sealed_.push_back(sealed);
    }
  }

  static PageId page_of(const std::string& tenant) { return PageId{5, tenant == "tenant-001" ? 1u : 2u}; }
  const std::vector<std::uint8_t>& sealed_of(const std::string& tenant) const {
    return sealed_[tenant == "tenant-001" ? 0 : 1];
  }

  SecurityContext context(const std::string& user, std::optional<std::string> tenant) {
    Identity identity;
    identity.user = user;
    identity.tenant = std::move(tenant);
    StatusOr<SecurityContext> built = SecurityContext::build(*store_, identity);
    EXPECT_TRUE(built.is_ok()) << built.status().message();
    return std::move(built).value();
  }

  // The page's plaintext, or the error's code name; `out` must stay untouched on refusal.
  std::string read(const SecurityContext& context, const std::string& tenant) {
    TenantPages pages = tenant_pages_for(*cipher_, *keyring_, context, tenant_violation_sink(sink_));
    std::vector<std::uint8_t> out(plaintext_.size(), 0xEE);
    auto result = pages.decrypt(page_of(tenant), 1, sealed_of(tenant), out);
    if (result.ok()) return out == plaintext_ ? "plaintext" : "garbled";
    EXPECT_EQ(out, std::vector<std::uint8_t>(out.size(), 0xEE)) << "nothing decrypted";
    return std::string(result.error().name());
  }

  testing::TempDir dir_;
  std::shared_ptr<PolicyStore> store_;
  std::shared_ptr<Keyring> keyring_;
  std::unique_ptr<PageCipher> cipher_;
  std::vector<std::uint8_t> plaintext_;
  std::vector<std::vector<std::uint8_t>> sealed_;
  std::shared_ptr<audit::testing::RecordingSink> sink_ = std::make_shared<audit::testing::RecordingSink>();
};

TEST_F(ContextPagesTest, EachContextIsRefusedAnotherTenantsPageAndItIsAudited) {
  for (const char* user : {"root", "reader"}) {
    SCOPED_TRACE(user);
    SecurityContext statement = context(user, "tenant-001");
    std::size_t before = sink_->events().size();
    EXPECT_EQ(read(statement, "tenant-002"), "wrong_tenant");
    std::vector<audit::AuditEvent> events = sink_->events();
    ASSERT_EQ(events.size(), before + 1);
    const audit::AuditEvent& event = events.back();
    EXPECT_EQ(event.kind, audit::EventKind::kTenantViolation);
    EXPECT_EQ(event.identity, user);
    EXPECT_EQ(event.tenant, "tenant-001");
    EXPECT_EQ(event.resource, "tenant-002/5/2");
    EXPECT_EQ(event.result, "denied");
  }
}

TEST_F(ContextPagesTest, EachContextReadsItsOwnTenantsPageWithoutAnEvent) {
  for (const char* user : {"root", "reader"}) {
    SCOPED_TRACE(user);
    EXPECT_EQ(read(context(user, "tenant-001"), "tenant-001"), "plaintext");
  }
  EXPECT_TRUE(sink_->events().empty());
}

TEST_F(ContextPagesTest, AContextWithoutATenantReadsNothing) {
  SecurityContext statement = context("root", std::nullopt);
  EXPECT_EQ(read(statement, "tenant-001"), "wrong_tenant");
  EXPECT_EQ(read(statement, "tenant-002"), "wrong_tenant");
  std::vector<audit::AuditEvent> events = sink_->events();
  ASSERT_EQ(events.size(), 2u);
  for (const audit::AuditEvent& event : events) {
    EXPECT_EQ(event.identity, "root");
    EXPECT_EQ(event.tenant, "");
  }
}

TEST_F(ContextPagesTest, WritesGoToTheContextsTenant) {
  SecurityContext statement = context("reader", "tenant-001");
  TenantPages pages = tenant_pages_for(*cipher_, *keyring_, statement);
  std::vector<std::uint8_t> sealed(sealed_page_size(plaintext_.size()));
  ASSERT_TRUE(pages.encrypt(PageId{6, 1}, 1, plaintext_, sealed).ok());
  auto header = PageCipher::inspect(sealed);
  ASSERT_TRUE(header.ok());
  EXPECT_EQ(header.value().tenant, keyring_->find_tenant("tenant-001").value());
}

}  // namespace
}  // namespace weftkit::crypto
