// Logging in by password: identities, tenants, unknown users, long passwords, reloads and
// throttling, each with its exact outcome.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "tests/auth/tool_output.h"
#include "weftkit/auth/password_authenticator.h"

namespace weftkit::auth {
namespace {

using ::testing::ElementsAre;
using testing::htpasswd_line;
using testing::mkpasswd_hash;

std::string failure_of(const AuthResult& result) {
  return result.ok() ? "accepted" : std::string(failure_name(result.failure().kind)) + ": " + result.failure().message;
}

// Tenants as roles.yaml's users: entries will give them.
TenantLookup tenants_for_tests() {
  return [](std::string_view user) -> std::optional<UserTenants> {
    if (user == "alice") return UserTenants{"acme", {"globex"}};
    if (user == "a@example.com") return UserTenants{"initech", {}};
    return std::nullopt;
  };
}

class PasswordLogin : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string text = htpasswd_line({"-B", "-C", "10"}, "alice", "alice-pw") + "\n" +
                             htpasswd_line({"-2"}, "bob@umbrella", "bob-pw") + "\n" +
                             "carol:" + mkpasswd_hash("yescrypt", "carol-pw") + "\n" +
                             htpasswd_line({"-5"}, "a@example.com", "mail-pw") + "\n" +
                             htpasswd_line({"-B", "-C", "10"}, "long", std::string(72, 'x')) + "\n";
    PasswordFileLoad load = authenticator_.load_users_text(text, "users");
    ASSERT_TRUE(load.ok()) << ::testing::PrintToString(load.errors);
  }
  PasswordAuthenticator authenticator_{PasswordAuthenticatorOptions{.tenants = tenants_for_tests()}};
};

TEST_F(PasswordLogin, RightPasswordGivesTheIdentityWithTheDefaultTenant) {
  AuthResult result = authenticator_.authenticate("alice", "alice-pw", "10.0.0.7");
  ASSERT_TRUE(result.ok()) << failure_of(result);
  EXPECT_EQ(result.identity().user, "alice");
  EXPECT_EQ(result.identity().tenant, "acme");
  EXPECT_EQ(result.identity().source_address, "10.0.0.7");
  EXPECT_EQ(result.identity().auth_method, AuthMethod::kPassword);
  EXPECT_TRUE(result.identity().roles.empty());
}

TEST_F(PasswordLogin, ListedTenantIsAcceptedOthersAreNot) {
  AuthResult listed = authenticator_.authenticate("alice@globex", "alice-pw", "10.0.0.7");
  ASSERT_TRUE(listed.ok()) << failure_of(listed);
  EXPECT_EQ(listed.identity().tenant, "globex");
  AuthResult by_default = authenticator_.authenticate("alice@acme", "alice-pw", "10.0.0.7");
  ASSERT_TRUE(by_default.ok());
  EXPECT_EQ(by_default.identity().tenant, "acme");
  EXPECT_EQ(failure_of(authenticator_.authenticate("alice@hooli", "alice-pw", "10.0.0.7")),
            "tenant_not_allowed: user \"alice\" may not connect to tenant \"hooli\"");
}

TEST_F(PasswordLogin, WrongPasswordForAnotherTenantSaysBadCredentialsNotTenant) {
  EXPECT_EQ(failure_of(authenticator_.authenticate("alice@hooli", "guess", "10.0.0.7")),
            "bad_credentials: authentication failed for user \"alice\"");
}

TEST_F(PasswordLogin, UnknownUserAndWrongPasswordFailAlike) {
  EXPECT_EQ(failure_of(authenticator_.authenticate("alice", "wrong", "10.0.0.7")),
            "bad_credentials: authentication failed for user \"alice\"");
  EXPECT_EQ(failure_of(authenticator_.authenticate("mallory", "wrong", "10.0.0.7")),
            "bad_credentials: authentication failed for user \"mallory\"");
}

TEST_F(PasswordLogin, TenantScopedEntryIsValidForItsTenantOnly) {
  AuthResult scoped = authenticator_.authenticate("bob@umbrella", "bob-pw", "10.0.0.8");
  ASSERT_TRUE(scoped.ok()) << failure_of(scoped);
  EXPECT_EQ(scoped.identity().user, "bob");
  EXPECT_EQ(scoped.identity().tenant, "umbrella");
  EXPECT_EQ(failure_of(authenticator_.authenticate("bob", "bob-pw", "10.0.0.8")),
            "bad_credentials: authentication failed for user \"bob\"");
  EXPECT_EQ(failure_of(authenticator_.authenticate("bob@acme", "bob-pw", "10.0.0.8")),
            "bad_credentials: authentication failed for user \"bob\"");
}

TEST_F(PasswordLogin, LoginNameSplitsOnTheLastAt) {
  AuthResult result = authenticator_.authenticate("a@example.com@initech", "mail-pw", "10.0.0.9");
  ASSERT_TRUE(result.ok()) << failure_of(result);
  EXPECT_EQ(result.identity().user, "a@example.com");
  EXPECT_EQ(result.identity().tenant, "initech");
}

TEST_F(PasswordLogin, EmptyUserOrTenantPartIsMalformed) {
  EXPECT_EQ(failure_of(authenticator_.authenticate("@acme", "alice-pw", "10.0.0.7")),
            "malformed: login name \"@acme\" has an empty user part");
  EXPECT_EQ(failure_of(authenticator_.authenticate("alice@", "alice-pw", "10.0.0.7")),
            "malformed: login name \"alice@\" has an empty tenant part");
  EXPECT_EQ(failure_of(authenticator_.authenticate("", "alice-pw", "10.0.0.7")), "malformed: the login name is empty");
}

TEST_F(PasswordLogin, UserWithoutTenantDirectoryEntryGetsNoTenant) {
  AuthResult result = authenticator_.authenticate("carol", "carol-pw", "10.0.0.7");
  ASSERT_TRUE(result.ok()) << failure_of(result);
  EXPECT_FALSE(result.identity().tenant.has_value());
  EXPECT_EQ(failure_of(authenticator_.authenticate("carol@acme", "carol-pw", "10.0.0.7")),
            "tenant_not_allowed: user \"carol\" may not connect to tenant \"acme\"");
}

TEST_F(PasswordLogin, BcryptNeverMatchesPasswordsLongerThan72Bytes) {
  // bcrypt itself ignores bytes after the 72nd: the 73-byte password would match without the rule.
  EXPECT_TRUE(authenticator_.authenticate("long", std::string(72, 'x'), "10.0.0.7").ok());
  EXPECT_EQ(failure_of(authenticator_.authenticate("long", std::string(73, 'x'), "10.0.0.7")),
            "bad_credentials: authentication failed for user \"long\"");
}

TEST_F(PasswordLogin, PasswordWithANulByteNeverMatches) {
  // crypt() would stop at the NUL and see "carol-pw".
  EXPECT_EQ(failure_of(authenticator_.authenticate("carol", std::string("carol-pw\0tail", 13), "10.0.0.7")),
            "bad_credentials: authentication failed for user \"carol\"");
}

TEST_F(PasswordLogin, FailedReloadKeepsTheOldUsers) {
  PasswordFileLoad reload = authenticator_.load_users_text(htpasswd_line({"-2"}, "dave", "dave-pw") + "\nbroken\n", "new");
  EXPECT_THAT(reload.errors, ElementsAre("new:2: error: no hash (expected name:hash)"));
  EXPECT_TRUE(authenticator_.authenticate("alice", "alice-pw", "10.0.0.7").ok());
  EXPECT_EQ(failure_of(authenticator_.authenticate("dave", "dave-pw", "10.0.0.7")),
            "bad_credentials: authentication failed for user \"dave\"");
}

TEST_F(PasswordLogin, SuccessfulReloadServesTheNewUsers) {
  ASSERT_TRUE(authenticator_.load_users_text(htpasswd_line({"-2"}, "dave", "dave-pw") + "\n", "new").ok());
  EXPECT_TRUE(authenticator_.authenticate("dave", "dave-pw", "10.0.0.7").ok());
  EXPECT_FALSE(authenticator_.authenticate("alice", "alice-pw", "10.0.0.7").ok());
}

TEST_F(PasswordLogin, MessagesNeverHoldThePassword) {
  for (const char* login : {"alice", "alice@hooli", "mallory", "@x"}) {
    AuthResult result = authenticator_.authenticate(login, "Sup3r-S3cret!", "10.0.0.7");
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.failure().message.find("Sup3r"), std::string::npos) << login;
  }
}

// A clock the test moves by hand.
struct ManualClock {
  FailureThrottle::Clock::time_point now{};
};

TEST(PasswordThrottle, FailuresBeyondTheBudgetAreRefusedWithoutHashingUntilTheMinuteIsOver) {
  auto clock = std::make_shared<ManualClock>();
  PasswordAuthenticator authenticator(
      PasswordAuthenticatorOptions{.failures_per_minute = 3, .clock = [clock] { return clock->now; }});
  ASSERT_TRUE(authenticator.load_users_text(htpasswd_line({"-2"}, "alice", "right") + "\n", "u").ok());
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(failure_of(authenticator.authenticate("alice", "wrong", "10.1.1.1")),
              "bad_credentials: authentication failed for user \"alice\"");
  }
  // Even the right password: the budget is spent, and nothing is hashed.
  EXPECT_EQ(failure_of(authenticator.authenticate("alice", "right", "10.1.1.1")),
            "throttled: too many failed logins for user \"alice\" from 10.1.1.1; try again in a minute");
  EXPECT_EQ(failure_of(authenticator.authenticate("alice@t", "right", "10.1.1.1")),
            "throttled: too many failed logins for user \"alice\" from 10.1.1.1; try again in a minute");
  // Another address has its own budget.
  EXPECT_TRUE(authenticator.authenticate("alice", "right", "10.2.2.2").ok());
  EXPECT_EQ(authenticator.throttle().failures(), 3u);
  EXPECT_EQ(authenticator.throttle().throttled(), 2u);
  clock->now += std::chrono::seconds(59);
  EXPECT_FALSE(authenticator.authenticate("alice", "right", "10.1.1.1").ok());
  clock->now += std::chrono::seconds(1);
  EXPECT_TRUE(authenticator.authenticate("alice", "right", "10.1.1.1").ok());
}

TEST(PasswordThrottle, SuccessForgetsEarlierFailures) {
  auto clock = std::make_shared<ManualClock>();
  FailureThrottle throttle(2, [clock] { return clock->now; });
  throttle.record_failure("alice", "a");
  throttle.record_success("alice", "a");
  throttle.record_failure("alice", "a");
  EXPECT_TRUE(throttle.allows("alice", "a"));
  throttle.record_failure("alice", "a");
  EXPECT_FALSE(throttle.allows("alice", "a"));
}

TEST(PasswordThrottle, CountsAreExactUnderConcurrentFailures) {
  FailureThrottle throttle(1000);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&throttle, t] {
      for (int i = 0; i < 500; ++i) {
        if (throttle.allows("user" + std::to_string(i % 3), "addr" + std::to_string(t))) {
          throttle.record_failure("user" + std::to_string(i % 3), "addr" + std::to_string(t));
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  // 4 addresses x 3 users, each pair failing 166 or 167 times: all under the budget.
  EXPECT_EQ(throttle.failures(), 2000u);
  EXPECT_EQ(throttle.throttled(), 0u);
}

TEST(AuthFailureNames, AreStableSnakeCase) {
  std::vector<std::string_view> names;
  for (int kind = 0; kind <= static_cast<int>(AuthFailureKind::kInternal); ++kind) {
    names.push_back(failure_name(static_cast<AuthFailureKind>(kind)));
  }
  EXPECT_THAT(names, ElementsAre("bad_credentials", "tenant_not_allowed", "expired", "not_yet_valid", "bad_signature",
                                 "unknown_key", "algorithm_not_allowed", "malformed", "untrusted_certificate", "revoked",
                                 "missing_claim", "unknown_role", "throttled", "channel_binding_mismatch", "wrong_issuer",
                                 "wrong_audience", "internal"));
}

TEST(LoginNameSplit, SplitsOnTheLastAt) {
  StatusOr<LoginName> name = split_login_name("first@second@tenant");
  ASSERT_TRUE(name.is_ok());
  EXPECT_EQ(name.value().user, "first@second");
  EXPECT_EQ(name.value().tenant, "tenant");
  StatusOr<LoginName> plain = split_login_name("alice");
  ASSERT_TRUE(plain.is_ok());
  EXPECT_FALSE(plain.value().tenant.has_value());
}

}  // namespace
}  // namespace weftkit::auth
