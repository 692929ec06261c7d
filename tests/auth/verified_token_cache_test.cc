// The verified-token cache inside JwtVerifier: it answers only for the exact token bytes, only
// before exp, only while the key set that verified the token is still served, re-asks roles.yaml
// on every answer, never remembers a refusal, stays within its bounds, and never answers
// differently from a fresh verify, also with many threads.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "auth/verified_token_cache.h"
#include "tests/auth/jwt_test_keys.h"
#include "weftkit/auth/jwks_source.h"
#include "weftkit/auth/jwt.h"

namespace weftkit::auth {
namespace {

using testing::hs256_token;
using testing::sign_token;
using testing::TestKey;

constexpr int64_t kNow = 1'800'000'000;
constexpr int64_t kExp = kNow + 300;
const std::string kSecret = "0123456789abcdef0123456789abcdef-cache-secret";

std::string claims(const std::string& user, const std::string& extra = "") {
  return "{\"sub\":\"" + user + "\",\"tenant_id\":\"acme\",\"roles\":[\"analyst\"],\"iat\":" + std::to_string(kNow - 10) +
         ",\"exp\":" + std::to_string(kExp) + extra + "}";
}

std::string token_for(const std::string& user, const std::string& extra = "") {
  return hs256_token(kSecret, "{\"alg\":\"HS256\",\"typ\":\"JWT\"}", claims(user, extra));
}

JwtOptions options() {
  JwtOptions options;
  options.hs256_secret = kSecret;
  options.role_exists = [](std::string_view role) { return role == "analyst"; };
  return options;
}

JwtOptions uncached() {
  JwtOptions without = options();
  without.token_cache_entries = 0;
  return without;
}

JwtVerifier verifier(JwtOptions with = options()) { return JwtVerifier(JsonWebKeySet::parse("{\"keys\":[]}").value(), std::move(with)); }

// What a verify answered, as one comparable text (the identity's every field, or the failure).
std::string outcome(const AuthResult& result) {
  if (!result.ok()) return std::string(failure_name(result.failure().kind)) + ": " + result.failure().message;
  const Identity& identity = result.identity();
  std::string text = "user=" + identity.user + " tenant=" + identity.tenant.value_or("-") + " roles=";
  for (const std::string& role : identity.roles) text += role + ",";
  text += " from=" + identity.source_address + " method=" + std::to_string(static_cast<int>(identity.auth_method));
  return text;
}

// While alive, every token hashes to the same value.
struct EveryHashCollides {
  EveryHashCollides() { VerifiedTokenCache::set_every_hash_collides_for_testing(true); }
  ~EveryHashCollides() { VerifiedTokenCache::set_every_hash_collides_for_testing(false); }
};

TEST(VerifiedTokenCache, ASecondVerifyOfTheSameTokenIsAHit) {
  JwtVerifier cached = verifier();
  const std::string token = token_for("alice");
  const std::string first = outcome(cached.verify(token, kNow, "203.0.113.5"));
  EXPECT_EQ(first, "user=alice tenant=acme roles=analyst, from=203.0.113.5 method=" +
                       std::to_string(static_cast<int>(AuthMethod::kJwt)));
  EXPECT_EQ(cached.token_cache_stats().hits, 0u);
  EXPECT_EQ(cached.token_cache_stats().entries, 1u);
  EXPECT_EQ(outcome(cached.verify(token, kNow + 1, "203.0.113.5")), first);
  const TokenCacheStats stats = cached.token_cache_stats();
  EXPECT_EQ(stats.hits, 1u);
  EXPECT_EQ(stats.misses, 1u);
  EXPECT_EQ(stats.entries, 1u);
  EXPECT_EQ(stats.token_bytes, token.size());
}

TEST(VerifiedTokenCache, ADisabledCacheKeepsNothing) {
  JwtVerifier plain = verifier(uncached());
  const std::string token = token_for("alice");
  EXPECT_TRUE(plain.verify(token, kNow).ok());
  EXPECT_TRUE(plain.verify(token, kNow).ok());
  const TokenCacheStats stats = plain.token_cache_stats();
  EXPECT_EQ(stats.hits + stats.misses + stats.entries, 0u);
}

// Each one-byte change of a cached token is answered as an uncached verifier answers it (a
// refusal), never from the cache; with every hash colliding too, so the byte match decides.
void expect_one_byte_changes_never_hit() {
  JwtVerifier cached = verifier();
  JwtVerifier plain = verifier(uncached());
  const std::string token = token_for("alice");
  ASSERT_TRUE(cached.verify(token, kNow).ok());
  size_t changes = 0;
  for (size_t position = 0; position < token.size(); position += 7) {
    for (char replacement : {'A', '_', '.'}) {
      if (token[position] == replacement) continue;
      std::string changed = token;
      changed[position] = replacement;
      const AuthResult answer = cached.verify(changed, kNow);
      EXPECT_FALSE(answer.ok()) << "position " << position;
      EXPECT_EQ(outcome(answer), outcome(plain.verify(changed, kNow))) << "position " << position;
      ++changes;
    }
  }
  // Longer and shorter by one byte: the length differs, the prefix matches.
  EXPECT_FALSE(cached.verify(token + "A", kNow).ok());
  EXPECT_FALSE(cached.verify(token.substr(0, token.size() - 1), kNow).ok());
  EXPECT_GT(changes, token.size() / 7);
  EXPECT_EQ(cached.token_cache_stats().hits, 0u);
  EXPECT_EQ(cached.token_cache_stats().entries, 1u);
  // The original still hits.
  EXPECT_TRUE(cached.verify(token, kNow).ok());
  EXPECT_EQ(cached.token_cache_stats().hits, 1u);
}

TEST(VerifiedTokenCache, ATokenDifferingInOneByteNeverHits) { expect_one_byte_changes_never_hit(); }

TEST(VerifiedTokenCache, ATokenDifferingInOneByteNeverHitsEvenWhenEveryHashCollides) {
  EveryHashCollides collide;
  expect_one_byte_changes_never_hit();
}

TEST(VerifiedTokenCache, TokensWhoseHashesCollideEachGetTheirOwnIdentity) {
  EveryHashCollides collide;
  JwtVerifier cached = verifier();
  const std::string alice = token_for("alice");
  const std::string bob = token_for("bob");
  ASSERT_TRUE(cached.verify(alice, kNow).ok());
  ASSERT_TRUE(cached.verify(bob, kNow).ok());
  EXPECT_EQ(cached.token_cache_stats().entries, 2u);
  for (int round = 0; round < 3; ++round) {
    EXPECT_EQ(cached.verify(alice, kNow).identity().user, "alice");
    EXPECT_EQ(cached.verify(bob, kNow).identity().user, "bob");
  }
  EXPECT_EQ(cached.token_cache_stats().hits, 6u);
}

TEST(VerifiedTokenCache, AnExpiredTokenIsNotServedFromTheCache) {
  JwtVerifier cached = verifier();
  JwtVerifier plain = verifier(uncached());
  const std::string token = token_for("alice", ",\"nbf\":" + std::to_string(kNow - 5));
  ASSERT_TRUE(cached.verify(token, kNow).ok());
  ASSERT_TRUE(cached.verify(token, kExp - 1).ok());
  EXPECT_EQ(cached.token_cache_stats().hits, 1u);
  // From exp on the full verify answers: within the leeway it accepts as an uncached verifier does...
  for (int64_t now : {kExp, kExp + 30, kExp + 59}) {
    EXPECT_EQ(outcome(cached.verify(token, now)), outcome(plain.verify(token, now))) << now;
    EXPECT_TRUE(cached.verify(token, now).ok()) << now;
  }
  // ...and past it the token has expired.
  EXPECT_EQ(outcome(cached.verify(token, kExp + 60)), "expired: the token has expired");
  EXPECT_EQ(outcome(cached.verify(token, kExp + 3600)), "expired: the token has expired");
  EXPECT_EQ(cached.token_cache_stats().hits, 1u);
  // A clock that goes back before nbf (less the leeway) gets the fresh verify's answer too.
  ASSERT_TRUE(cached.verify(token, kNow).ok());
  EXPECT_EQ(outcome(cached.verify(token, kNow - 5 - 61)), "not_yet_valid: the token is not valid yet (nbf)");
  EXPECT_EQ(outcome(cached.verify(token, kNow - 5 - 61)), outcome(plain.verify(token, kNow - 5 - 61)));
}

TEST(VerifiedTokenCache, ARotatedKeyStopsMatchingCachedTokens) {
  const TestKey old_key = testing::make_ec_key("old", "P-256");
  const TestKey new_key = testing::make_ec_key("new", "P-256");
  auto serving = std::make_shared<std::string>("{\"keys\":[" + old_key.public_jwk + "]}");
  auto keys = RefreshingKeySet::create([serving] { return StatusOr<std::string>(*serving); },
                                       RefreshingKeySetOptions{.min_refetch_interval = std::chrono::milliseconds(0)});
  ASSERT_TRUE(keys.is_ok()) << keys.status().message();
  JwtVerifier cached(keys.value(), options());
  const std::string old_token = sign_token(old_key, "ES256", "{\"alg\":\"ES256\",\"kid\":\"old\"}", claims("alice"));
  const std::string new_token = sign_token(new_key, "ES256", "{\"alg\":\"ES256\",\"kid\":\"new\"}", claims("bob"));
  ASSERT_TRUE(cached.verify(old_token, kNow).ok());
  ASSERT_TRUE(cached.verify(old_token, kNow).ok());
  ASSERT_EQ(cached.token_cache_stats().hits, 1u);

  // The issuer rotates "old" out; the first token of the new key makes the verifier refetch.
  *serving = "{\"keys\":[" + new_key.public_jwk + "]}";
  ASSERT_TRUE(cached.verify(new_token, kNow).ok());
  EXPECT_EQ(outcome(cached.verify(old_token, kNow)), "unknown_key: no key in the key set has the token's kid");
  EXPECT_EQ(outcome(cached.verify(old_token, kNow)), "unknown_key: no key in the key set has the token's kid");
  EXPECT_EQ(cached.token_cache_stats().hits, 1u);
}

TEST(VerifiedTokenCache, ARoleRemovedFromTheDirectoryRefusesACachedToken) {
  // roles.yaml as a hot reload would change it, read on every answer.
  auto directory = std::make_shared<std::atomic<bool>>(true);
  JwtOptions with = options();
  with.role_exists = [directory](std::string_view role) { return role == "analyst" && directory->load(); };
  JwtVerifier cached = verifier(with);
  const std::string token = token_for("alice");
  ASSERT_TRUE(cached.verify(token, kNow).ok());
  ASSERT_TRUE(cached.verify(token, kNow).ok());
  ASSERT_EQ(cached.token_cache_stats().hits, 1u);

  directory->store(false);
  EXPECT_EQ(outcome(cached.verify(token, kNow)),
            "unknown_role: the token names role \"analyst\", which roles.yaml does not define");
  EXPECT_EQ(cached.token_cache_stats().hits, 2u);  // the cache found it; the directory said no

  directory->store(true);
  EXPECT_TRUE(cached.verify(token, kNow).ok());
  EXPECT_EQ(cached.token_cache_stats().hits, 3u);
}

TEST(VerifiedTokenCache, AUsersTenantsAreReadFromTheDirectoryOnEveryAnswer) {
  // roles.yaml as a hot reload would change it: alice's default tenant, and the other she may name.
  auto default_tenant = std::make_shared<std::atomic<int>>(1);
  JwtOptions with = options();
  with.tenants = [default_tenant](std::string_view user) -> std::optional<UserTenants> {
    if (user != "alice") return std::nullopt;
    return UserTenants{.default_tenant = "tenant-00" + std::to_string(default_tenant->load()), .allowed = {"acme"}};
  };
  JwtVerifier cached = verifier(with);
  const std::string no_tenant =
      hs256_token(kSecret, "{\"alg\":\"HS256\"}",
                  "{\"sub\":\"alice\",\"roles\":[],\"exp\":" + std::to_string(kExp) + "}");
  EXPECT_EQ(outcome(cached.verify(no_tenant, kNow)), "user=alice tenant=tenant-001 roles= from= method=1");
  default_tenant->store(2);
  EXPECT_EQ(outcome(cached.verify(no_tenant, kNow)), "user=alice tenant=tenant-002 roles= from= method=1");
  EXPECT_EQ(cached.token_cache_stats().hits, 1u);

  const std::string acme = token_for("alice");  // tenant_id acme: listed for alice
  EXPECT_EQ(outcome(cached.verify(acme, kNow)), "user=alice tenant=acme roles=analyst, from= method=1");
  with.tenants = [](std::string_view) -> std::optional<UserTenants> {
    return UserTenants{.default_tenant = "tenant-001", .allowed = {}};
  };
  JwtVerifier moved = verifier(with);
  EXPECT_EQ(outcome(moved.verify(acme, kNow)), "tenant_not_allowed: user \"alice\" may not connect to tenant \"acme\"");
  EXPECT_EQ(outcome(moved.verify(acme, kNow)), "tenant_not_allowed: user \"alice\" may not connect to tenant \"acme\"");
  EXPECT_EQ(moved.token_cache_stats().entries, 0u);  // refused: not cached
}

TEST(VerifiedTokenCache, FailuresAreNotCached) {
  auto directory = std::make_shared<std::atomic<bool>>(false);
  JwtOptions with = options();
  with.role_exists = [directory](std::string_view role) { return role == "analyst" && directory->load(); };
  JwtVerifier cached = verifier(with);
  const std::string forged = hs256_token("another-secret-of-at-least-32-bytes!!", "{\"alg\":\"HS256\"}", claims("alice"));
  const std::string expired = token_for("dave");
  const std::string unknown_role = token_for("carol");
  for (int round = 0; round < 2; ++round) {
    EXPECT_EQ(outcome(cached.verify(forged, kNow)), "bad_signature: the token's signature does not verify");
    EXPECT_EQ(outcome(cached.verify(expired, kExp + 60)), "expired: the token has expired");
    EXPECT_EQ(outcome(cached.verify(unknown_role, kNow)).substr(0, 13), "unknown_role:");
  }
  EXPECT_EQ(cached.token_cache_stats().entries, 0u);
  EXPECT_EQ(cached.token_cache_stats().hits, 0u);
  // Once roles.yaml has the role the token is accepted by a full verify, and only then cached.
  directory->store(true);
  EXPECT_TRUE(cached.verify(unknown_role, kNow).ok());
  EXPECT_EQ(cached.token_cache_stats().hits, 0u);
  EXPECT_EQ(cached.token_cache_stats().entries, 1u);
}

TEST(VerifiedTokenCache, TheCacheStaysWithinItsBounds) {
  JwtOptions few = options();
  few.token_cache_entries = 20;
  JwtVerifier by_count = verifier(few);
  for (int user = 0; user < 300; ++user) {
    const std::string token = token_for("user" + std::to_string(user));
    ASSERT_EQ(by_count.verify(token, kNow).identity().user, "user" + std::to_string(user));
    ASSERT_LE(by_count.token_cache_stats().entries, 20u);
  }
  EXPECT_GT(by_count.token_cache_stats().entries, 0u);

  const size_t token_size = token_for("user0").size();
  JwtOptions small = options();
  small.token_cache_bytes = 16 * 2 * token_size;  // room for two tokens in each of the 16 shards
  JwtVerifier by_bytes = verifier(small);
  for (int user = 0; user < 300; ++user) {
    ASSERT_TRUE(by_bytes.verify(token_for("user" + std::to_string(user)), kNow).ok());
    ASSERT_LE(by_bytes.token_cache_stats().token_bytes, small.token_cache_bytes);
  }
  EXPECT_LE(by_bytes.token_cache_stats().entries, 32u);
  EXPECT_GT(by_bytes.token_cache_stats().entries, 0u);
  // A token larger than a shard's share of the bytes is verified but never kept.
  const std::string big = token_for("big", ",\"pad\":\"" + std::string(3 * token_size, 'x') + "\"");
  const size_t before = by_bytes.token_cache_stats().entries;
  EXPECT_TRUE(by_bytes.verify(big, kNow).ok());
  EXPECT_TRUE(by_bytes.verify(big, kNow).ok());
  EXPECT_LE(by_bytes.token_cache_stats().entries, before);
  EXPECT_EQ(by_bytes.token_cache_stats().hits, 0u);
}

TEST(VerifiedTokenCache, SourceAddressComesFromTheCall) {
  JwtVerifier cached = verifier();
  const std::string token = token_for("alice");
  EXPECT_EQ(cached.verify(token, kNow, "203.0.113.5").identity().source_address, "203.0.113.5");
  EXPECT_EQ(cached.verify(token, kNow, "198.51.100.7").identity().source_address, "198.51.100.7");
  EXPECT_EQ(cached.verify(token, kNow).identity().source_address, "");
  EXPECT_EQ(cached.token_cache_stats().hits, 2u);
}

// Four threads verify a mix of good tokens (more than the cache holds, so entries are evicted
// and replaced while others are read) and forged ones; every answer must be the fresh one.
TEST(VerifiedTokenCache, ConcurrentVerifiersAlwaysGetTheFreshAnswer) {
  JwtOptions with = options();
  with.token_cache_entries = 24;
  JwtVerifier cached = verifier(with);
  std::vector<std::string> tokens;
  std::vector<std::string> expected;
  for (int user = 0; user < 40; ++user) {
    tokens.push_back(token_for("user" + std::to_string(user)));
    expected.push_back("user" + std::to_string(user));
  }
  const std::string forged = hs256_token("another-secret-of-at-least-32-bytes!!", "{\"alg\":\"HS256\"}", claims("user0"));
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int thread = 0; thread < 4; ++thread) {
    threads.emplace_back([&, thread] {
      for (int round = 0; round < 600; ++round) {
        const size_t pick = static_cast<size_t>(round * 7 + thread * 13) % tokens.size();
        const AuthResult answer = cached.verify(tokens[pick], kNow, "203.0.113." + std::to_string(thread));
        if (!answer.ok() || answer.identity().user != expected[pick] ||
            answer.identity().source_address != "203.0.113." + std::to_string(thread)) {
          wrong.fetch_add(1);
        }
        if (round % 10 == 0 && cached.verify(forged, kNow).ok()) wrong.fetch_add(1);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
  const TokenCacheStats stats = cached.token_cache_stats();
  EXPECT_GT(stats.hits, 0u);
  EXPECT_LE(stats.entries, 24u);
  EXPECT_EQ(stats.hits + stats.misses, 4u * (600u + 60u));  // the forged ones are looked up too
}

}  // namespace
}  // namespace weftkit::auth
