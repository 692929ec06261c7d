// A version's row filter answers for the statement's identity: settings passed with a
// statement are the statement's own even when the principal was resolved with others (an
// engine that keeps one resolved principal per user), and a principal is never used for
// another user or other roles — refused, never answered with the wrong principal's filter.
// Through a JIT-compiled version and an ahead-of-time module alike.
#include <gtest/gtest.h>

#include <string>

#include "tests/runtime/datum_values.h"
#include "tests/runtime/jit_and_module_versions.h"

namespace weftkit {
namespace {

using testing::integer;
using testing::text;

Identity alice_of(const char* tenant) {
  Identity alice;
  alice.user = "alice";
  alice.settings = {{"app.tenant_id", tenant}};
  return alice;
}

TEST(StatementIdentity, SettingsPassedWithAStatementAreItsOwnWhateverThePrincipalWasResolvedWith) {
  testing::JitAndModuleVersions versions = testing::compile_jit_and_module(
      {WEFTKIT_SOURCE_DIR "/examples/roles.yaml", WEFTKIT_SOURCE_DIR "/examples/policies.sql"});
  ASSERT_EQ(versions.error, "");
  // orders (id, tenant_id, customer, amount, status, created): a paid order of each tenant.
  Datum of_001[6] = {integer(1), text("tenant-001"), text("acme"), integer(50), text("paid"), integer(0)};
  Datum of_002[6] = {integer(2), text("tenant-002"), text("acme"), integer(50), text("paid"), integer(0)};
  for (const auto& [kind, version] : versions.both()) {
    SCOPED_TRACE(kind);
    StatusOr<ResolvedPrincipal> principal = version->resolve(alice_of("tenant-001"));
    ASSERT_TRUE(principal.is_ok()) << principal.status().message();
    // Its own settings first (the principal's plan is then remembered bound in the principal's
    // session while this statement binds its own), then the principal's, then its own again.
    for (const char* tenant : {"tenant-002", "tenant-001", "tenant-002", "tenant-001"}) {
      auto filter = version->row_filter(principal.value(), alice_of(tenant), "orders", {Command::kSelect});
      ASSERT_TRUE(filter.is_ok()) << filter.status().message();
      bool first = std::string(tenant) == "tenant-001";
      EXPECT_EQ(filter.value()->check(of_001, nullptr).result, first ? RowResult::kPass : RowResult::kFiltered) << tenant;
      EXPECT_EQ(filter.value()->check(of_002, nullptr).result, first ? RowResult::kFiltered : RowResult::kPass) << tenant;
      EXPECT_EQ(filter.value()->result(of_001, nullptr), first ? RowResult::kPass : RowResult::kFiltered) << tenant;
      EXPECT_EQ(filter.value()->result(of_002, nullptr), first ? RowResult::kFiltered : RowResult::kPass) << tenant;
    }
  }
}

TEST(StatementIdentity, PrincipalOfAnotherUserOrOtherRolesIsRefused) {
  testing::JitAndModuleVersions versions = testing::compile_jit_and_module(
      {WEFTKIT_SOURCE_DIR "/examples/roles.yaml", WEFTKIT_SOURCE_DIR "/examples/policies.sql"});
  ASSERT_EQ(versions.error, "");
  for (const auto& [kind, version] : versions.both()) {
    SCOPED_TRACE(kind);
    StatusOr<ResolvedPrincipal> principal = version->resolve(alice_of("tenant-001"));
    ASSERT_TRUE(principal.is_ok());
    Identity bob = alice_of("tenant-001");
    bob.user = "bob";
    auto filter = version->row_filter(principal.value(), bob, "orders", {Command::kSelect});
    ASSERT_FALSE(filter.is_ok());
    EXPECT_EQ(filter.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(filter.status().message(), "the statement's identity (user \"bob\") is not the one its principal was resolved for");
    Identity more_roles = alice_of("tenant-001");
    more_roles.roles = {"support"};
    EXPECT_EQ(version->row_filter(principal.value(), more_roles, "orders", {Command::kSelect}).status().code(),
              StatusCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace weftkit
