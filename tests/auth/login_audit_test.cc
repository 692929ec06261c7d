// The auth events of every backend: one per decided authentication, success and each failure
// kind, with who was claimed, and never a password, token or secret in any field.
#include <gtest/gtest.h>
// Before mtls.h: its STACK_OF(X509) must name OpenSSL's type, not declare one in weftkit::auth.
#include <openssl/x509.h>

#include <ctime>
#include <memory>

#include "tests/audit/recording_sink.h"
#include "tests/auth/jwt_test_keys.h"
#include "tests/auth/scram_test_client.h"
#include "tests/auth/test_pki.h"
#include "tests/auth/tool_output.h"
#include "weftkit/auth/jwt.h"
#include "weftkit/auth/mtls.h"
#include "weftkit/auth/password_authenticator.h"
#include "weftkit/auth/scram.h"

namespace weftkit::auth {
namespace {

using audit::AuditEvent;
using audit::EventKind;
using audit::testing::all_fields;
using audit::testing::RecordingSink;

constexpr int64_t kNow = 1'700'000'000;
const std::string kPassword = "correct-horse-battery-staple";
const std::string kHmacSecret = "an-hs256-secret-of-at-least-32-bytes!!";

TenantLookup tenants() {
  return [](std::string_view user) -> std::optional<UserTenants> {
    if (user == "alice") return UserTenants{"acme", {"globex"}};
    return std::nullopt;
  };
}

// "result identity tenant reason": the fields that differ between the cases below.
std::string summary(const AuditEvent& event) {
  return event.result + " " + event.identity + " " + (event.tenant.empty() ? "-" : event.tenant) + " " +
         event.reason.value_or("-");
}

void expect_login_fields(const AuditEvent& event, const std::string& source, const std::string& method) {
  EXPECT_EQ(event.kind, EventKind::kAuth);
  EXPECT_EQ(event.operation, "LOGIN");
  EXPECT_EQ(event.source_ip, source);
  EXPECT_EQ(event.auth_method, method);
}

class PasswordAudit : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string text = testing::htpasswd_line({"-B", "-C", "4"}, "alice", kPassword) + "\n";
    ASSERT_TRUE(authenticator_.load_users_text(text, "users").ok());
  }
  std::shared_ptr<RecordingSink> sink_ = std::make_shared<RecordingSink>();
  PasswordAuthenticator authenticator_{PasswordAuthenticatorOptions{
      .tenants = tenants(), .failures_per_minute = 3, .audit_sink = sink_}};
};

TEST_F(PasswordAudit, SuccessAndEachFailureKindAreRecorded) {
  authenticator_.authenticate("alice", kPassword, "10.0.0.7");
  authenticator_.authenticate("alice@initech", kPassword, "10.0.0.7");
  authenticator_.authenticate("", kPassword, "10.0.0.7");
  authenticator_.authenticate("mallory@acme", kPassword, "10.0.0.8");
  for (int i = 0; i < 3; ++i) authenticator_.authenticate("alice", "wrong", "10.0.0.9");
  authenticator_.authenticate("alice", kPassword, "10.0.0.9");
  const std::vector<AuditEvent> events = sink_->events();
  ASSERT_EQ(events.size(), 8u);
  EXPECT_EQ(summary(events[0]), "success alice acme -");
  EXPECT_EQ(events[0].reason, std::nullopt);
  EXPECT_EQ(summary(events[1]), "failure alice initech tenant_not_allowed");
  EXPECT_EQ(summary(events[2]), "failure  - malformed");
  EXPECT_EQ(summary(events[3]), "failure mallory acme bad_credentials");
  EXPECT_EQ(summary(events[4]), "failure alice - bad_credentials");
  EXPECT_EQ(summary(events[7]), "failure alice - throttled");
  for (const AuditEvent& event : events) {
    expect_login_fields(event, event.source_ip, "password");
    EXPECT_EQ(all_fields(event).find(kPassword), std::string::npos) << all_fields(event);
  }
  EXPECT_EQ(events[3].source_ip, "10.0.0.8");
}

TEST_F(PasswordAudit, NoEventWhenTheSinkDoesNotWantAuthOrThereIsNone) {
  auto deny_only = std::make_shared<RecordingSink>(std::set<EventKind>{EventKind::kAuthzDeny});
  PasswordAuthenticator quiet{PasswordAuthenticatorOptions{.audit_sink = deny_only}};
  ASSERT_TRUE(quiet.load_users_text(testing::htpasswd_line({"-B", "-C", "4"}, "alice", kPassword) + "\n", "u").ok());
  EXPECT_TRUE(quiet.authenticate("alice", kPassword, "10.0.0.7").ok());
  EXPECT_TRUE(deny_only->events().empty());
  PasswordAuthenticator none;
  EXPECT_FALSE(none.authenticate("alice", kPassword, "10.0.0.7").ok());  // and no crash without a sink
}

class ScramAudit : public ::testing::Test {
 protected:
  ScramServerOptions options(std::string mechanism = std::string(kScramSha256)) {
    StatusOr<std::string> verifier = make_scram_verifier(kPassword, 4096);
    EXPECT_TRUE(verifier.is_ok());
    PasswordFileLoad users = PasswordFile::parse("alice:" + verifier.value() + "\n", "users");
    EXPECT_TRUE(users.ok());
    return ScramServerOptions{.users = users.file, .tenants = tenants(), .source_address = "198.51.100.4",
                              .mechanism = std::move(mechanism), .audit_sink = sink_};
  }
  std::optional<AuthResult> run(ScramServer& server, testing::ScramTestClient client) {
    ScramStep first = server.step(client.client_first());
    if (first.outcome) return first.outcome;
    return server.step(client.client_final(first.server_message)).outcome;
  }
  std::shared_ptr<RecordingSink> sink_ = std::make_shared<RecordingSink>();
};

TEST_F(ScramAudit, OneEventPerExchangeWithTheClaimedLogin) {
  ScramServer good(options());
  ASSERT_TRUE(run(good, {"alice", kPassword, "nonce-1"})->ok());
  ScramServer wrong(options());
  EXPECT_FALSE(run(wrong, {"alice@globex", "not-it", "nonce-2"})->ok());
  ScramServer garbled(options());
  EXPECT_FALSE(garbled.step("x=nonsense").outcome->ok());
  garbled.step("more after the end");  // refused again, but not a second login
  ScramServer plus_without_tls(options(std::string(kScramSha256Plus)));
  EXPECT_FALSE(run(plus_without_tls, {"alice", kPassword, "nonce-3"})->ok());
  const std::vector<AuditEvent> events = sink_->events();
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(summary(events[0]), "success alice acme -");
  EXPECT_EQ(summary(events[1]), "failure alice globex bad_credentials");
  EXPECT_EQ(summary(events[2]), "failure  - malformed");
  EXPECT_EQ(summary(events[3]), "failure  - channel_binding_mismatch");
  expect_login_fields(events[0], "198.51.100.4", "scram-sha-256");
  expect_login_fields(events[3], "198.51.100.4", "scram-sha-256-plus");
  for (const AuditEvent& event : events) EXPECT_EQ(all_fields(event).find(kPassword), std::string::npos);
}

class JwtAudit : public ::testing::Test {
 protected:
  static std::string claims(const std::string& sub, int64_t exp) {
    return "{\"sub\":\"" + sub + "\",\"tenant_id\":\"acme\",\"exp\":" + std::to_string(exp) + "}";
  }
  JwtVerifier verifier() {
    JwtOptions options;
    options.hs256_secret = kHmacSecret;
    options.audit_sink = sink_;
    return JwtVerifier(JsonWebKeySet::parse("{\"keys\":[]}").value(), std::move(options));
  }
  std::shared_ptr<RecordingSink> sink_ = std::make_shared<RecordingSink>();
};

TEST_F(JwtAudit, AcceptedAndRefusedTokensAreRecordedWithTheirSubject) {
  JwtVerifier jwt = verifier();
  const std::string good = testing::hs256_token(kHmacSecret, "{\"alg\":\"HS256\"}", claims("alice", kNow + 300));
  const std::string forged =
      testing::hs256_token("another-secret-of-at-least-32-bytes!!!", "{\"alg\":\"HS256\"}", claims("root", kNow + 300));
  const std::string expired = testing::hs256_token(kHmacSecret, "{\"alg\":\"HS256\"}", claims("bob", kNow - 3600));
  const std::string unsigned_token = testing::b64url("{\"alg\":\"none\"}") + "." +
                                     testing::b64url(claims("eve", kNow + 300)) + ".";
  std::vector<std::string> tokens = {good, good, forged, expired, unsigned_token, "not a token"};
  for (const std::string& token : tokens) jwt.verify(token, kNow, "203.0.113.5");
  const std::vector<AuditEvent> events = sink_->events();
  ASSERT_EQ(events.size(), 6u);
  EXPECT_EQ(summary(events[0]), "success alice acme -");
  EXPECT_EQ(summary(events[1]), "success alice acme -");  // from the token cache: recorded all the same
  EXPECT_EQ(summary(events[2]), "failure root acme bad_signature");
  EXPECT_EQ(summary(events[3]), "failure bob acme expired");
  EXPECT_EQ(summary(events[4]), "failure eve acme malformed");
  EXPECT_EQ(summary(events[5]), "failure  - malformed");
  for (const AuditEvent& event : events) {
    expect_login_fields(event, "203.0.113.5", "jwt");
    const std::string text = all_fields(event);
    EXPECT_EQ(text.find(kHmacSecret), std::string::npos) << text;
    for (const std::string& token : tokens) EXPECT_EQ(text.find(token), std::string::npos) << text;
    // Not even a token's signature part.
    EXPECT_EQ(text.find(good.substr(good.rfind('.') + 1)), std::string::npos) << text;
  }
}

class MtlsAudit : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { pki_ = new testing::TestPki(); }
  static void TearDownTestSuite() {
    delete pki_;
    pki_ = nullptr;
  }
  MtlsVerifier verifier() {
    StatusOr<MtlsVerifier> loaded =
        MtlsVerifier::load(pki_->root_ca, pki_->crl, MtlsOptions{.tenants = tenants(), .audit_sink = sink_});
    EXPECT_TRUE(loaded.is_ok()) << loaded.status().message();
    return std::move(loaded).value();
  }
  std::shared_ptr<RecordingSink> sink_ = std::make_shared<RecordingSink>();
  static testing::TestPki* pki_;
};
testing::TestPki* MtlsAudit::pki_ = nullptr;

TEST_F(MtlsAudit, EachVerificationIsRecordedWithTheCertificatesSubject) {
  MtlsVerifier mtls = verifier();
  const int64_t now = std::time(nullptr);
  for (const char* name : {"good", "expired", "revoked", "wrong_ca", "no_tenant"}) {
    mtls.verify_pem(testing::read_text(pki_->chain(name)), now, "127.0.0.1:5000");
  }
  mtls.verify_pem("no PEM here", now, "127.0.0.1:5000");
  mtls.verify(nullptr, nullptr, now, "127.0.0.1:5000");
  mtls.verify_peer(nullptr, now, "127.0.0.1:5000");
  const std::vector<AuditEvent> events = sink_->events();
  ASSERT_EQ(events.size(), 8u);
  EXPECT_EQ(summary(events[0]), "success alice acme -");
  EXPECT_EQ(events[1].result + " " + events[1].reason.value_or(""), "failure expired");
  EXPECT_EQ(events[2].reason, "revoked");
  EXPECT_EQ(events[3].reason, "untrusted_certificate");
  EXPECT_EQ(summary(events[4]), "failure bob - missing_claim");
  EXPECT_EQ(summary(events[5]), "failure  - malformed");
  EXPECT_EQ(summary(events[6]), "failure  - untrusted_certificate");
  EXPECT_EQ(summary(events[7]), "failure  - untrusted_certificate");
  for (int i = 1; i <= 3; ++i) EXPECT_FALSE(events[i].identity.empty()) << i;  // the subject, though refused
  for (const AuditEvent& event : events) expect_login_fields(event, "127.0.0.1:5000", "mtls");
}

}  // namespace
}  // namespace weftkit::auth
