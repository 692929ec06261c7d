// How PostgreSQL combines policies, matches TO lists against the principal and reads its
// settings: the rules of issue 3's "Semantics", asserted as the oracle reports them.
#include <gtest/gtest.h>

#include "tests/pg/oracle_test_support.h"

namespace weftkit::policy::pgtest {
namespace {

using enum PolicyCommand;

TEST(RlsCombine, NoPolicyAtAllDeniesEveryRowAndEveryWrite) {
  PolicyCase select = docs_case(Command::kSelect);
  select.rows = {docs_row("alice", 1)};
  EXPECT_EQ(postgres_outcomes(select), (std::vector<RowOutcome>{filtered(1)}));
  PolicyCase insert = docs_case(Command::kInsert);
  insert.rows = {docs_row("alice", 1)};
  EXPECT_EQ(postgres_outcomes(insert), (std::vector<RowOutcome>{violation(1, docs_violation())}));
}

TEST(RlsCombine, RestrictiveWithoutPermissiveDeniesAll) {
  PolicyCase c = docs_case(Command::kSelect);
  c.policies = {restrictive("only_positive", kSelect, "level > 0")};
  c.rows = {docs_row("alice", 1)};
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{filtered(1)}));
}

TEST(RlsCombine, PermissivePoliciesAreOredAndRestrictiveOnesAnded) {
  PolicyCase c = docs_case(Command::kSelect);
  c.policies = {permissive("own", kSelect, "owner = current_user"), permissive("public_level", kSelect, "level = 0"),
                restrictive("not_secret", kSelect, "level < 100"), restrictive("not_negative", kSelect, "level >= 0")};
  c.rows = {docs_row("alice", 5), docs_row("bob", 0), docs_row("bob", 5), docs_row("alice", 100),
            docs_row("alice", -1)};
  EXPECT_EQ(postgres_outcomes(c),
            (std::vector<RowOutcome>{pass(1), pass(2), filtered(3), filtered(4), filtered(5)}));
}

TEST(RlsCombine, ViolatedRestrictivePoliciesAreReportedByNameInNameOrder) {
  PolicyCase c = docs_case(Command::kInsert);
  // Created in the opposite order of their names: PostgreSQL checks restrictive policies by name.
  c.policies = {permissive("anyone", kInsert, std::nullopt, "true"),
                restrictive("zeta_level", kInsert, std::nullopt, "level > 0"),
                restrictive("alpha_owner", kInsert, std::nullopt, "owner = current_user")};
  c.rows = {docs_row("alice", 1), docs_row("alice", 0), docs_row("bob", 1), docs_row("bob", 0)};
  EXPECT_EQ(postgres_outcomes(c),
            (std::vector<RowOutcome>{pass(1), violation(2, docs_violation_of("zeta_level")),
                                     violation(3, docs_violation_of("alpha_owner")),
                                     violation(4, docs_violation_of("alpha_owner"))}));
}

TEST(RlsCombine, FailedPermissiveCheckIsReportedBeforeRestrictiveOnesWithoutAName) {
  PolicyCase c = docs_case(Command::kInsert);
  c.policies = {permissive("positive", kInsert, std::nullopt, "level > 0"),
                restrictive("alpha_owner", kInsert, std::nullopt, "owner = current_user")};
  c.rows = {docs_row("bob", 0)};
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{violation(1, docs_violation())}));
}

TEST(RlsCombine, PolicyWithoutUsingGrantsNoRows) {
  PolicyCase c = docs_case(Command::kSelect);
  c.policies = {permissive("empty", kSelect, std::nullopt)};
  c.rows = {docs_row("alice", 1)};
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{filtered(1)}));
}

TEST(RlsCombine, DisabledRowLevelSecurityFiltersNothing) {
  for (RlsSetting setting : {RlsSetting::kNotEnabled, RlsSetting::kDisabled}) {
    PolicyCase c = docs_case(Command::kInsert);
    c.rls = setting;
    c.policies = {permissive("never", kAll, "false")};
    c.rows = {docs_row("alice", 1)};
    EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{pass(1)})) << "setting " << static_cast<int>(setting);
  }
}

TEST(RlsCombine, ForcedRowLevelSecurityFiltersANonOwnerAsEnabledDoes) {
  PolicyCase c = docs_case(Command::kSelect);
  c.rls = RlsSetting::kForced;
  c.policies = {permissive("readable", kSelect, "level > 0")};
  c.rows = {docs_row("alice", 1), docs_row("alice", 0)};
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{pass(1), filtered(2)}));
}

TEST(RlsRoles, PolicyToARoleThePrincipalDoesNotHoldDoesNotApply) {
  PolicyCase c = docs_case(Command::kSelect);
  c.policies = {permissive("readers", kSelect, "true")};
  c.policies[0].to = {"app_reader"};
  c.rows = {docs_row("alice", 1)};
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{filtered(1)}));
}

TEST(RlsRoles, PolicyToAHeldRoleApplies) {
  PolicyCase c = docs_case(Command::kSelect);
  c.principal.roles = {"app_reader"};
  c.policies = {permissive("readers", kSelect, "true")};
  c.policies[0].to = {"app_reader"};
  c.rows = {docs_row("alice", 1)};
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{pass(1)}));
}

TEST(RlsRoles, PolicyToARoleInheritedThroughAHeldRoleApplies) {
  PolicyCase c = docs_case(Command::kSelect);
  c.principal.roles = {"app_admin"};  // app_admin inherits app_reader
  c.policies = {permissive("readers", kSelect, "true")};
  c.policies[0].to = {"app_reader"};
  c.rows = {docs_row("alice", 1)};
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{pass(1)}));
}

TEST(RlsRoles, RestrictivePolicyToAnotherRoleDoesNotRestrictThePrincipal) {
  PolicyCase c = docs_case(Command::kSelect);
  c.policies = {permissive("all_rows", kSelect, "true"), restrictive("admins_only", kSelect, "false")};
  c.policies[1].to = {"app_admin"};
  c.rows = {docs_row("alice", 1)};
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{pass(1)}));
}

TEST(RlsRoles, PolicyToThePrincipalsUserNameApplies) {
  PolicyCase c = docs_case(Command::kSelect);
  c.policies = {permissive("for_alice", kSelect, "true"), permissive("for_bob", kSelect, "level > 0")};
  c.policies[0].to = {"alice"};
  c.policies[1].to = {"bob"};
  c.rows = {docs_row("alice", 0)};
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{pass(1)}));
}

TEST(RlsRoles, PolicyToPublicAppliesToEveryone) {
  PolicyCase c = docs_case(Command::kSelect);
  c.policies = {permissive("everyone", kSelect, "level > 0")};
  c.policies[0].to = {"PUBLIC"};
  c.rows = {docs_row("alice", 1), docs_row("alice", 0)};
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{pass(1), filtered(2)}));
}

// CURRENT_USER in TO is resolved when the policy is created: it names whoever ran CREATE
// POLICY (here the superuser that owns the table), not the user a statement later runs as.
TEST(RlsRoles, PolicyToCurrentUserNamesTheRoleThatCreatedIt) {
  PolicyCase c = docs_case(Command::kSelect);
  c.policies = {permissive("creator", kSelect, "true")};
  c.policies[0].to = {"CURRENT_USER"};
  c.rows = {docs_row("alice", 1)};
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{filtered(1)}));
}

TEST(RlsSettings, SetSettingIsReadByCurrentSetting) {
  PolicyCase c = docs_case(Command::kSelect);
  c.principal.settings = {{"app.tenant", "alice"}};
  c.policies = {permissive("tenant", kSelect, "owner = current_setting('app.tenant')")};
  c.rows = {docs_row("alice", 1), docs_row("bob", 1)};
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{pass(1), filtered(2)}));
}

TEST(RlsSettings, UnsetSettingIsAnError) {
  PolicyCase c = docs_case(Command::kSelect);
  c.policies = {permissive("tenant", kSelect, "owner = current_setting('app.tenant')")};
  c.rows = {docs_row("alice", 1)};
  EXPECT_EQ(postgres_outcomes(c),
            (std::vector<RowOutcome>{error(1, "unrecognized configuration parameter \"app.tenant\"")}));
}

TEST(RlsSettings, UnsetSettingWithMissingOkIsNull) {
  PolicyCase c = docs_case(Command::kSelect);
  c.policies = {permissive("tenant", kSelect, "current_setting('app.tenant', true) IS NULL AND level > 0")};
  c.rows = {docs_row("alice", 1), docs_row("alice", 0)};
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{pass(1), filtered(2)}));
}

TEST(RlsSettings, SettingCastToIntegerThatIsNotANumberIsAnError) {
  PolicyCase c = docs_case(Command::kSelect);
  c.principal.settings = {{"app.level", "high"}};
  c.policies = {permissive("level", kSelect, "level <= current_setting('app.level')::integer")};
  c.rows = {docs_row("alice", 1)};
  EXPECT_EQ(postgres_outcomes(c),
            (std::vector<RowOutcome>{error(1, "invalid input syntax for type integer: \"high\"")}));
}

TEST(RlsSettings, CurrentUserAndSessionUserAreThePrincipal) {
  PolicyCase c = docs_case(Command::kSelect);
  c.policies = {permissive("own", kSelect, "owner = current_user AND owner = session_user")};
  c.rows = {docs_row("alice", 1), docs_row("bob", 1)};
  EXPECT_EQ(postgres_outcomes(c), (std::vector<RowOutcome>{pass(1), filtered(2)}));
}

}  // namespace
}  // namespace weftkit::policy::pgtest
