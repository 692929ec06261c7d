// JWT verification: tokens of every supported algorithm accepted with their identity, and the
// attack list refused, each with its typed reason.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "auth/base64.h"
#include "tests/auth/jwt_test_keys.h"
#include "weftkit/auth/jwt.h"

namespace weftkit::auth {
namespace {

using testing::b64url;
using testing::hs256_token;
using testing::sign_token;
using testing::TestKey;

constexpr int64_t kNow = 1'800'000'000;
const std::string kSecret = "0123456789abcdef0123456789abcdef-hs256-secret";

std::string outcome(const AuthResult& result) {
  if (!result.ok()) return std::string(failure_name(result.failure().kind)) + ": " + result.failure().message;
  std::string text = "user=" + result.identity().user + " tenant=" + result.identity().tenant.value_or("-") + " roles=";
  for (const std::string& role : result.identity().roles) text += role + ",";
  return text;
}

std::string header(const std::string& alg, const std::string& kid, const std::string& extra = "") {
  return "{\"alg\":\"" + alg + "\",\"kid\":\"" + kid + "\"" + extra + "}";
}

std::string claims(const std::string& extra = "") {
  return "{\"sub\":\"alice\",\"tenant_id\":\"acme\",\"roles\":[\"analyst\"],\"iss\":\"https://idp.example\","
         "\"aud\":\"weftkit\",\"iat\":" + std::to_string(kNow - 10) + ",\"exp\":" + std::to_string(kNow + 300) + extra + "}";
}

class JwtVerification : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    keys_ = new Keys{testing::make_rsa_key("rsa-1"), testing::make_rsa_key("rsa-rs256", 2048, "RS256"),
                     testing::make_ec_key("ec-256", "P-256"), testing::make_ec_key("ec-384", "P-384"),
                     testing::make_ed25519_key("ed-1"), testing::make_rsa_key("rsa-small", 1024)};
  }
  static void TearDownTestSuite() {
    delete keys_;
    keys_ = nullptr;
  }
  struct Keys {
    TestKey rsa, rsa_rs256_only, ec256, ec384, ed25519, rsa_small;
  };
  static Keys* keys_;

  static std::string key_set() {
    return "{\"keys\":[" + keys_->rsa.public_jwk + "," + keys_->rsa_rs256_only.public_jwk + "," + keys_->ec256.public_jwk +
           "," + keys_->ec384.public_jwk + "," + keys_->ed25519.public_jwk + "," + keys_->rsa_small.public_jwk + "]}";
  }
  static JwtOptions options() {
    JwtOptions options;
    options.issuer = "https://idp.example";
    options.audience = "weftkit";
    options.hs256_secret = kSecret;
    options.role_exists = [](std::string_view role) { return role == "analyst" || role == "auditor"; };
    return options;
  }
  JwtVerifier verifier(JwtOptions with = options()) {
    StatusOr<JsonWebKeySet> set = JsonWebKeySet::parse(key_set());
    EXPECT_TRUE(set.is_ok()) << set.status().message();
    return JwtVerifier(std::move(set).value(), std::move(with));
  }
  std::string verify(const std::string& token, JwtOptions with = options()) {
    return outcome(verifier(std::move(with)).verify(token, kNow, "203.0.113.5"));
  }
};
JwtVerification::Keys* JwtVerification::keys_ = nullptr;

const std::string kAccepted = "user=alice tenant=acme roles=analyst,";

TEST_F(JwtVerification, EverySupportedAlgorithmIsAccepted) {
  for (const char* alg : {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"}) {
    EXPECT_EQ(verify(sign_token(keys_->rsa, alg, header(alg, "rsa-1"), claims())), kAccepted) << alg;
  }
  EXPECT_EQ(verify(sign_token(keys_->ec256, "ES256", header("ES256", "ec-256"), claims())), kAccepted);
  EXPECT_EQ(verify(sign_token(keys_->ec384, "ES384", header("ES384", "ec-384"), claims())), kAccepted);
  EXPECT_EQ(verify(sign_token(keys_->ed25519, "EdDSA", header("EdDSA", "ed-1"), claims())), kAccepted);
  EXPECT_EQ(verify(hs256_token(kSecret, "{\"alg\":\"HS256\"}", claims())), kAccepted);
}

TEST_F(JwtVerification, IdentityCarriesSourceAndMethod) {
  AuthResult result = verifier().verify(sign_token(keys_->ec256, "ES256", header("ES256", "ec-256"), claims()), kNow,
                                        "203.0.113.5");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.identity().auth_method, AuthMethod::kJwt);
  EXPECT_EQ(result.identity().source_address, "203.0.113.5");
}

TEST_F(JwtVerification, AlgNoneIsRefusedInEverySpelling) {
  for (const char* none : {"none", "None", "NONE", "nOnE"}) {
    const std::string token = b64url("{\"alg\":\"" + std::string(none) + "\"}") + "." + b64url(claims()) + ".";
    EXPECT_EQ(verify(token), "malformed: the token is not valid base64url") << none;  // empty signature
    const std::string with_signature = b64url("{\"alg\":\"" + std::string(none) + "\"}") + "." + b64url(claims()) + ".AAAA";
    EXPECT_EQ(verify(with_signature),
              "algorithm_not_allowed: the token's algorithm is not one of RS256, RS384, RS512, PS256, PS384, PS512, "
              "ES256, ES384, EdDSA, HS256")
        << none;
  }
}

TEST_F(JwtVerification, LowerCaseAndUnsupportedAlgorithmsAreRefused) {
  for (const char* alg : {"rs256", "Rs256", "ES512", "HS384", "RS1"}) {
    EXPECT_EQ(verify(sign_token(keys_->rsa, "RS256", header(alg, "rsa-1"), claims())).substr(0, 22),
              "algorithm_not_allowed:")
        << alg;
  }
}

TEST_F(JwtVerification, Hs256WithTheRsaPublicKeyAsSecretIsRefused) {
  const std::string token = hs256_token(keys_->rsa.public_jwk, header("HS256", "rsa-1"), claims());
  EXPECT_EQ(verify(token), "bad_signature: the token's signature does not verify");
  JwtOptions without_secret = options();
  without_secret.hs256_secret.reset();
  EXPECT_EQ(verify(token, without_secret),
            "algorithm_not_allowed: HS256 tokens are not accepted (no shared secret is configured)");
}

// The verifier checks HS256 with its secret keyed once, verify_jws with HMAC() per token: both
// accept the right MAC and refuse a changed, shortened or lengthened one alike.
TEST_F(JwtVerification, Hs256IsCheckedAlikeByTheKeyedAndThePerTokenHmac) {
  const std::string token = hs256_token(kSecret, "{\"alg\":\"HS256\"}", claims());
  const std::string input = token.substr(0, token.rfind('.'));
  const std::string mac = *base64url_decode(token.substr(token.rfind('.') + 1));
  std::string flipped = mac;
  flipped[31] = static_cast<char>(flipped[31] ^ 1);
  const StatusOr<JsonWebKeySet> keys = JsonWebKeySet::parse("{\"keys\":[]}");
  ASSERT_TRUE(keys.is_ok());
  EXPECT_EQ(verify(token), kAccepted);
  EXPECT_TRUE(std::holds_alternative<VerifiedJws>(verify_jws(token, keys.value(), options())));
  for (const std::string& signature : {flipped, mac.substr(0, 31), mac + "x", std::string(32, '\0')}) {
    const std::string forged = input + "." + b64url(signature);
    EXPECT_EQ(verify(forged), "bad_signature: the token's signature does not verify");
    const auto layer = verify_jws(forged, keys.value(), options());
    ASSERT_TRUE(std::holds_alternative<AuthFailure>(layer));
    EXPECT_EQ(std::get<AuthFailure>(layer).kind, AuthFailureKind::kBadSignature);
  }
}

TEST_F(JwtVerification, AlgorithmMustFitTheKey) {
  EXPECT_EQ(verify(sign_token(keys_->ec256, "ES256", header("RS256", "ec-256"), claims())),
            "algorithm_not_allowed: the key the token names does not verify RS256");
  EXPECT_EQ(verify(sign_token(keys_->rsa_rs256_only, "PS256", header("PS256", "rsa-rs256"), claims())),
            "algorithm_not_allowed: the key the token names does not verify PS256");
  EXPECT_EQ(verify(sign_token(keys_->ec384, "ES384", header("ES256", "ec-384"), claims())),
            "algorithm_not_allowed: the key the token names does not verify ES256");
}

TEST_F(JwtVerification, UnknownAndHostileKidsAreUnknownKeys) {
  for (const std::string& kid : std::vector<std::string>{"nobody", "../../../../etc/passwd", "rsa-1' OR '1'='1", std::string(3000, 'k')}) {
    EXPECT_EQ(verify(sign_token(keys_->rsa, "RS256", header("RS256", kid), claims())),
              "unknown_key: no key in the key set has the token's kid");
  }
  EXPECT_EQ(verify(sign_token(keys_->rsa, "RS256", "{\"alg\":\"RS256\"}", claims())), "unknown_key: the token has no kid");
}

TEST_F(JwtVerification, EmbeddedKeysAndKeyUrlsAreNeverFollowed) {
  const std::vector<std::pair<std::string, std::string>> embedded = {
      {"jwk", ",\"jwk\":" + keys_->rsa.public_jwk},
      {"jku", ",\"jku\":\"https://attacker.example/jwks.json\""},
      {"x5c", ",\"x5c\":[\"MIIB\"]"},
      {"x5u", ",\"x5u\":\"https://attacker.example/cert.pem\""},
  };
  for (const auto& [name, extra] : embedded) {
    EXPECT_EQ(verify(sign_token(keys_->rsa, "RS256", header("RS256", "rsa-1", extra), claims())),
              "unknown_key: the token header carries its own key or key location (\"" + name + "\"), which is never used");
  }
}

TEST_F(JwtVerification, UnknownCriticalHeaderIsRefused) {
  EXPECT_EQ(verify(sign_token(keys_->rsa, "RS256", header("RS256", "rsa-1", ",\"crit\":[\"exp\"],\"exp\":1"), claims())),
            "malformed: the token header has critical parameters this verifier does not know");
}

TEST_F(JwtVerification, TimeClaimsAreCheckedWithLeeway) {
  auto token = [&](const std::string& times) {
    return sign_token(keys_->ec256, "ES256", header("ES256", "ec-256"),
                      "{\"sub\":\"alice\",\"iss\":\"https://idp.example\",\"aud\":\"weftkit\"" + times + "}");
  };
  EXPECT_EQ(verify(token(",\"exp\":" + std::to_string(kNow - 61))), "expired: the token has expired");
  EXPECT_EQ(verify(token(",\"exp\":" + std::to_string(kNow - 59))), "user=alice tenant=- roles=");
  EXPECT_EQ(verify(token(",\"exp\":" + std::to_string(kNow + 600) + ",\"nbf\":" + std::to_string(kNow + 61))),
            "not_yet_valid: the token is not valid yet (nbf)");
  EXPECT_EQ(verify(token(",\"exp\":" + std::to_string(kNow + 600) + ",\"iat\":" + std::to_string(kNow + 3600))),
            "not_yet_valid: the token was issued in the future (iat)");
  EXPECT_EQ(verify(token("")), "missing_claim: the token has no exp claim");
  EXPECT_EQ(verify(token(",\"exp\":\"tomorrow\"")), "malformed: the token's exp is not a number");
}

TEST_F(JwtVerification, IssuerAudienceAndSubjectAreRequired) {
  auto token = [&](const std::string& body) {
    return sign_token(keys_->ec256, "ES256", header("ES256", "ec-256"), body);
  };
  const std::string exp = "\"exp\":" + std::to_string(kNow + 300);
  EXPECT_EQ(verify(token("{\"sub\":\"a\",\"iss\":\"https://evil.example\",\"aud\":\"weftkit\"," + exp + "}")),
            "wrong_issuer: the token was issued by another issuer");
  EXPECT_EQ(verify(token("{\"sub\":\"a\",\"aud\":\"weftkit\"," + exp + "}")), "missing_claim: the token has no iss claim");
  EXPECT_EQ(verify(token("{\"sub\":\"a\",\"iss\":\"https://idp.example\",\"aud\":[\"other\",\"more\"]," + exp + "}")),
            "wrong_audience: the token is meant for another audience");
  EXPECT_EQ(verify(token("{\"sub\":\"a\",\"iss\":\"https://idp.example\",\"aud\":[\"other\",\"weftkit\"]," + exp + "}")),
            "user=a tenant=- roles=");
  EXPECT_EQ(verify(token("{\"iss\":\"https://idp.example\",\"aud\":\"weftkit\"," + exp + "}")),
            "missing_claim: the token has no sub claim (a non-empty string)");
  EXPECT_EQ(verify(token("{\"sub\":\"a\",\"tenant_id\":\"\",\"iss\":\"https://idp.example\",\"aud\":\"weftkit\"," + exp + "}")),
            "missing_claim: the token's tenant_id is not a non-empty string");
}

TEST_F(JwtVerification, RolesMustExistInRolesYaml) {
  EXPECT_EQ(verify(sign_token(keys_->ec256, "ES256", header("ES256", "ec-256"),
                              claims().substr(0, claims().size() - 1) + ",\"roles\":[\"analyst\",\"superuser\"]}")),
            "malformed: the token's claims are duplicate member \"roles\"");
  const std::string body = "{\"sub\":\"alice\",\"roles\":[\"analyst\",\"superuser\"],\"iss\":\"https://idp.example\","
                           "\"aud\":\"weftkit\",\"exp\":" + std::to_string(kNow + 300) + "}";
  EXPECT_EQ(verify(sign_token(keys_->ec256, "ES256", header("ES256", "ec-256"), body)),
            "unknown_role: the token names role \"superuser\", which roles.yaml does not define");
}

TEST_F(JwtVerification, TamperedPartsFailTheSignature) {
  const std::string token = sign_token(keys_->rsa, "RS256", header("RS256", "rsa-1"), claims());
  const size_t dot1 = token.find('.');
  const size_t dot2 = token.rfind('.');
  const std::string other_payload = b64url(claims(",\"extra\":1"));
  EXPECT_EQ(verify(token.substr(0, dot1 + 1) + other_payload + token.substr(dot2)),
            "bad_signature: the token's signature does not verify");
  const std::string other_header = b64url(header("RS256", "rsa-1", ",\"typ\":\"JWT\""));
  EXPECT_EQ(verify(other_header + token.substr(dot1)), "bad_signature: the token's signature does not verify");
  std::string flipped = token;
  flipped[dot2 + 5] = flipped[dot2 + 5] == 'A' ? 'B' : 'A';
  EXPECT_EQ(verify(flipped), "bad_signature: the token's signature does not verify");
}

TEST_F(JwtVerification, DerAndZeroEcdsaSignaturesAreRefused) {
  const std::string token = sign_token(keys_->ec256, "ES256", header("ES256", "ec-256"), claims());
  const std::string input = token.substr(0, token.rfind('.'));
  EXPECT_EQ(verify(input + "." + b64url(std::string(64, '\0'))), "bad_signature: the token's signature does not verify");
  // A DER SEQUENCE (0x30 ...) of 70 bytes is not JWS's 64-byte r||s.
  EXPECT_EQ(verify(input + "." + b64url("\x30\x44" + std::string(68, '\x01'))),
            "bad_signature: the token's signature does not verify");
}

TEST_F(JwtVerification, StructureAndEncodingAreStrict) {
  const std::string token = sign_token(keys_->rsa, "RS256", header("RS256", "rsa-1"), claims());
  EXPECT_EQ(verify(token + "="), "malformed: the token is not valid base64url");
  EXPECT_EQ(verify(token + ".extra"), "malformed: the token is not a compact JWS (three base64url parts)");
  EXPECT_EQ(verify("{\"payload\":\"x\",\"signatures\":[]}"),
            "malformed: the token is not a compact JWS (three base64url parts)");
  std::string padded = token;
  padded.insert(token.find('.'), "==");
  EXPECT_EQ(verify(padded), "malformed: the token is not valid base64url");
  EXPECT_EQ(verify(sign_token(keys_->rsa, "RS256", "{\"alg\":\"RS256\",\"alg\":\"none\",\"kid\":\"rsa-1\"}", claims())),
            "malformed: the token header is duplicate member \"alg\"");
}

TEST_F(JwtVerification, OversizedDeeplyNestedAndInvalidUtf8TokensAreMalformed) {
  const std::string big = claims(",\"pad\":\"" + std::string(20000, 'x') + "\"");
  EXPECT_EQ(verify(sign_token(keys_->ec256, "ES256", header("ES256", "ec-256"), big)),
            "malformed: the token is longer than 16384 bytes");
  const std::string nested = claims(",\"deep\":" + std::string(40, '[') + std::string(40, ']'));
  EXPECT_EQ(verify(sign_token(keys_->ec256, "ES256", header("ES256", "ec-256"), nested)),
            "malformed: the token's claims are nested deeper than 16");
  const std::string bad_utf8 = claims(",\"name\":\"\xC3\x28\"");
  EXPECT_EQ(verify(sign_token(keys_->ec256, "ES256", header("ES256", "ec-256"), bad_utf8)),
            "malformed: the token's claims are not valid JSON (or not valid UTF-8)");
}

TEST(JsonWebKeySetRules, SmallRsaKeysAreLeftOutAndPrivateKeysRefuseTheSet) {
  TestKey small = testing::make_rsa_key("small", 1024);
  StatusOr<JsonWebKeySet> set = JsonWebKeySet::parse("{\"keys\":[" + small.public_jwk + "]}");
  ASSERT_TRUE(set.is_ok());
  EXPECT_EQ(set.value().size(), 0u);
  EXPECT_THAT(set.value().warnings(),
              ::testing::ElementsAre("key set: key 0 left out: RSA key of 1024 bits (at least 2048 are required)"));
  const std::string with_private = "{\"keys\":[{\"kty\":\"EC\",\"kid\":\"k\",\"crv\":\"P-256\",\"x\":\"AA\",\"y\":\"AA\",\"d\":\"AA\"}]}";
  EXPECT_EQ(JsonWebKeySet::parse(with_private).status().message(),
            "key set: key 0 holds private or secret key material (\"d\"); publish public keys only");
}

TEST(JsonWebKeySetRules, DuplicateKidsRefuseTheSet) {
  TestKey one = testing::make_ec_key("same", "P-256");
  TestKey two = testing::make_ec_key("same", "P-256");
  EXPECT_EQ(JsonWebKeySet::parse("{\"keys\":[" + one.public_jwk + "," + two.public_jwk + "]}").status().message(),
            "key set: key 1 repeats kid \"same\"");
  EXPECT_EQ(JsonWebKeySet::parse("[]").status().message(), "key set: expected an object with a \"keys\" array");
}

}  // namespace
}  // namespace weftkit::auth
