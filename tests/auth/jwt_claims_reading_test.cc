// The verifier reads a token's header and claims without a JSON tree: the rules the tree gave
// for free (escaped names are the same names, kinds are checked, duplicates anywhere refuse
// the token, unknown members are still read as JSON) hold through the whole verify, for
// HS256 tokens with the keyed secret and through verify_jws's per-token HMAC.
#include <gtest/gtest.h>

#include "tests/auth/jwt_test_keys.h"
#include "weftkit/auth/jwt.h"

namespace weftkit::auth {
namespace {

using testing::hs256_token;

constexpr int64_t kNow = 1'800'000'000;
const std::string kSecret = "0123456789abcdef0123456789abcdef-hs256-secret";
const std::string kHeader = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
const std::string kExp = "\"exp\":" + std::to_string(kNow + 300);

JwtOptions options() {
  JwtOptions options;
  options.issuer = "https://idp.example";
  options.audience = "weftkit";
  options.hs256_secret = kSecret;
  options.token_cache_entries = 0;  // every verify reads the token
  options.role_exists = [](std::string_view role) { return role == "analyst" || role == "auditor"; };
  return options;
}

std::string verify(const std::string& header, const std::string& claims, JwtOptions with = options()) {
  JwtVerifier verifier(JsonWebKeySet{}, std::move(with));
  AuthResult result = verifier.verify(hs256_token(kSecret, header, claims), kNow, "203.0.113.5");
  if (!result.ok()) return std::string(failure_name(result.failure().kind)) + ": " + result.failure().message;
  std::string text = "user=" + result.identity().user + " tenant=" + result.identity().tenant.value_or("-") + " roles=";
  for (const std::string& role : result.identity().roles) text += role + ",";
  return text;
}

std::string verify_claims(const std::string& claims) { return verify(kHeader, claims); }

const std::string kBase = "\"iss\":\"https://idp.example\",\"aud\":\"weftkit\"," + kExp;

TEST(JwtClaimsReading, EscapedClaimNamesAndValuesAreMatched) {
  EXPECT_EQ(verify_claims("{\"\\u0073ub\":\"al\\u0069ce\",\"tenant\\u005fid\":\"acme\",\"ro\\u006ces\":[\"an\\u0061lyst\"],"
                          "\"\\u0069ss\":\"https:\\/\\/idp.example\",\"aud\":[\"x\",\"weft\\u006bit\"],"
                          "\"\\u0065xp\":" + std::to_string(kNow + 300) + "}"),
            "user=alice tenant=acme roles=analyst,");
}

TEST(JwtClaimsReading, EscapedHeaderNamesAndValuesAreMatched) {
  EXPECT_EQ(verify("{\"\\u0061lg\":\"HS\\u00325\\u0036\"}", "{\"sub\":\"alice\"," + kBase + "}"), "user=alice tenant=- roles=");
  EXPECT_EQ(verify("{\"alg\":\"HS256\",\"\\u006a\\u006bu\":\"https://evil.example\"}", "{\"sub\":\"alice\"," + kBase + "}"),
            "unknown_key: the token header carries its own key or key location (\"jku\"), which is never used");
  EXPECT_EQ(verify("{\"alg\":\"HS256\",\"cr\\u0069t\":[]}", "{\"sub\":\"alice\"," + kBase + "}"),
            "malformed: the token header has critical parameters this verifier does not know");
}

TEST(JwtClaimsReading, DuplicateClaimIsRefusedEvenWhenSpelledDifferently) {
  EXPECT_EQ(verify_claims("{\"sub\":\"alice\",\"s\\u0075b\":\"root\"," + kBase + "}"),
            "malformed: the token's claims are duplicate member \"sub\"");
  EXPECT_EQ(verify("{\"alg\":\"HS256\",\"kid\":\"a\",\"kid\":\"b\"}", "{\"sub\":\"alice\"," + kBase + "}"),
            "malformed: the token header is duplicate member \"kid\"");
}

TEST(JwtClaimsReading, DuplicateInsideAnUnknownClaimIsRefused) {
  EXPECT_EQ(verify_claims("{\"sub\":\"alice\",\"profile\":{\"a\":[{\"x\":1,\"x\":2}]}," + kBase + "}"),
            "malformed: the token's claims are duplicate member \"x\"");
}

TEST(JwtClaimsReading, UnknownClaimsAreStillReadAsJson) {
  EXPECT_EQ(verify_claims("{\"sub\":\"alice\",\"profile\":{\"a\":[1,2,}]}," + kBase + "}"),
            "malformed: the token's claims are not valid JSON (or not valid UTF-8)");
  EXPECT_EQ(verify_claims("{\"sub\":\"alice\",\"note\":\"\\ud800\"," + kBase + "}"),
            "malformed: the token's claims are not valid JSON (or not valid UTF-8)");
  EXPECT_EQ(verify_claims("{\"sub\":\"alice\",\"big\":1e999," + kBase + "}"),
            "malformed: the token's claims are not valid JSON (or not valid UTF-8)");
  EXPECT_EQ(verify_claims("{\"sub\":\"alice\"," + kBase + "} "), "user=alice tenant=- roles=");
  EXPECT_EQ(verify_claims("{\"sub\":\"alice\"," + kBase + "}x"),
            "malformed: the token's claims are not valid JSON (or not valid UTF-8)");
  EXPECT_EQ(verify("{\"alg\":\"HS256\",\"x\":" + std::string(16, '[') + std::string(16, ']') + "}",
                   "{\"sub\":\"alice\"," + kBase + "}"),
            "malformed: the token header is nested deeper than 16");
}

TEST(JwtClaimsReading, NumbersAndOtherKindsWhereStringsAreRequiredAreRefused) {
  EXPECT_EQ(verify_claims("{\"sub\":42," + kBase + "}"), "missing_claim: the token has no sub claim (a non-empty string)");
  EXPECT_EQ(verify_claims("{\"sub\":\"\"," + kBase + "}"), "missing_claim: the token has no sub claim (a non-empty string)");
  EXPECT_EQ(verify_claims("{\"sub\":[\"alice\"]," + kBase + "}"),
            "missing_claim: the token has no sub claim (a non-empty string)");
  EXPECT_EQ(verify_claims("{\"sub\":\"alice\",\"tenant_id\":7," + kBase + "}"),
            "missing_claim: the token's tenant_id is not a non-empty string");
  EXPECT_EQ(verify_claims("{\"sub\":\"alice\",\"iss\":1,\"aud\":\"weftkit\"," + kExp + "}"),
            "wrong_issuer: the token was issued by another issuer");
  EXPECT_EQ(verify_claims("{\"sub\":\"alice\",\"iss\":\"https://idp.example\",\"aud\":[1,[\"weftkit\"],{\"a\":\"weftkit\"}]," +
                          kExp + "}"),
            "wrong_audience: the token is meant for another audience");
  EXPECT_EQ(verify_claims("{\"sub\":\"alice\",\"roles\":\"analyst\"," + kBase + "}"),
            "malformed: the token's roles claim is not an array");
  EXPECT_EQ(verify_claims("{\"sub\":\"alice\",\"roles\":[\"analyst\",1]," + kBase + "}"),
            "malformed: the token's roles claim holds a non-string");
  EXPECT_EQ(verify("{\"alg\":256}", "{\"sub\":\"alice\"," + kBase + "}").substr(0, 40),
            "algorithm_not_allowed: the token's algor");
}

TEST(JwtClaimsReading, StringsWhereNumbersAreRequiredAreRefused) {
  EXPECT_EQ(verify_claims("{\"sub\":\"alice\",\"iss\":\"https://idp.example\",\"aud\":\"weftkit\",\"exp\":\"" +
                          std::to_string(kNow + 300) + "\"}"),
            "malformed: the token's exp is not a number");
  EXPECT_EQ(verify_claims("{\"sub\":\"alice\",\"nbf\":null," + kBase + "}"), "malformed: the token's nbf is not a number");
  EXPECT_EQ(verify_claims("{\"sub\":\"alice\",\"iat\":true," + kBase + "}"), "malformed: the token's iat is not a number");
}

TEST(JwtClaimsReading, TimesAreReadInEveryNumberSpelling) {
  const std::string who = "{\"sub\":\"alice\",\"iss\":\"https://idp.example\",\"aud\":\"weftkit\",";
  EXPECT_EQ(verify_claims(who + "\"exp\":1.8000003e9}"), "user=alice tenant=- roles=");
  EXPECT_EQ(verify_claims(who + "\"exp\":18000003000E-1}"), "user=alice tenant=- roles=");
  EXPECT_EQ(verify_claims(who + "\"exp\":1.7e9}"), "expired: the token has expired");
  EXPECT_EQ(verify_claims(who + "\"exp\":-0}"), "expired: the token has expired");
  EXPECT_EQ(verify_claims(who + "\"exp\":99999999999999999999999}"), "user=alice tenant=- roles=");
}

TEST(JwtClaimsReading, RolesClaimMayBeNamedLikeAnotherClaim) {
  JwtOptions with = options();
  with.roles_claim = "aud";
  with.audience = "analyst";
  EXPECT_EQ(verify(kHeader, "{\"sub\":\"alice\",\"iss\":\"https://idp.example\",\"aud\":[\"analyst\",\"auditor\"]," + kExp + "}",
                   with),
            "user=alice tenant=- roles=analyst,auditor,");
}

TEST(JwtClaimsReading, ManyUnknownClaimsAreReadAndTheirDuplicatesFound) {
  std::string many;
  for (int i = 0; i < 100; ++i) many += "\"c" + std::to_string(i) + "\":[" + std::to_string(i) + "],";
  EXPECT_EQ(verify_claims("{" + many + "\"sub\":\"alice\"," + kBase + "}"), "user=alice tenant=- roles=");
  EXPECT_EQ(verify_claims("{" + many + "\"sub\":\"alice\",\"c42\":0," + kBase + "}"),
            "malformed: the token's claims are duplicate member \"c42\"");
}

TEST(JwtClaimsReading, VerifyJwsStillHandsOutThePayload) {
  const std::string claims = "{\"sub\":\"alice\"," + kBase + "}";
  auto verified = verify_jws(hs256_token(kSecret, kHeader, claims), JsonWebKeySet{}, options());
  ASSERT_TRUE(std::holds_alternative<VerifiedJws>(verified));
  EXPECT_EQ(std::get<VerifiedJws>(verified).payload, claims);
}

TEST(JwtClaimsReading, OneVerifierReadsLongThenShortTokensAlike) {
  // The decoded parts live in buffers reused from token to token: a long token must leave
  // nothing behind that a shorter one after it could be read with.
  JwtVerifier verifier(JsonWebKeySet{}, options());
  const std::string pad = ",\"pad\":\"" + std::string(3000, 'p') + "\"";
  const std::string long_token = hs256_token(kSecret, kHeader, "{\"sub\":\"bob\"," + kBase + pad + "}");
  const std::string short_token = hs256_token(kSecret, kHeader, "{\"sub\":\"al\"," + kBase + "}");
  const std::string broken = hs256_token(kSecret, kHeader, "{\"sub\":\"al\",");
  for (int round = 0; round < 3; ++round) {
    EXPECT_EQ(verifier.verify(long_token, kNow, "").identity().user, "bob");
    EXPECT_EQ(verifier.verify(short_token, kNow, "").identity().user, "al");
    EXPECT_FALSE(verifier.verify(broken, kNow, "").ok());
  }
}

}  // namespace
}  // namespace weftkit::auth
