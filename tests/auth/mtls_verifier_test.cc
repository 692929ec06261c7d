// mTLS identities: certificates made by the real `openssl req`/`openssl ca`, each defect refused
// with its exact typed reason and a message naming the certificate's subject.
#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <ctime>
#include <memory>
#include <thread>
#include <vector>

#include "tests/auth/test_pki.h"
#include "weftkit/auth/mtls.h"

namespace weftkit::auth {
namespace {

using testing::read_text;
using testing::TestPki;

std::string outcome(const AuthResult& result) {
  if (!result.ok()) return std::string(failure_name(result.failure().kind)) + ": " + result.failure().message;
  const Identity& identity = result.identity();
  return "user=" + identity.user + " tenant=" + identity.tenant.value_or("-") +
         " method=" + (identity.auth_method == AuthMethod::kMtls ? "mtls" : "other") + " from=" + identity.source_address;
}

class MtlsIdentity : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { pki_ = new TestPki(); }
  static void TearDownTestSuite() {
    delete pki_;
    pki_ = nullptr;
  }

  static MtlsVerifier verifier(bool with_crl = true, MtlsOptions options = {}) {
    StatusOr<MtlsVerifier> loaded =
        MtlsVerifier::load(pki_->root_ca, with_crl ? std::optional<std::string>(pki_->crl) : std::nullopt, options);
    EXPECT_TRUE(loaded.is_ok()) << loaded.status().message();
    return std::move(loaded).value();
  }
  static std::string verify(const std::string& name, bool with_crl = true, int64_t now = std::time(nullptr)) {
    return outcome(verifier(with_crl).verify_pem(read_text(pki_->chain(name)), now, "127.0.0.1:5000"));
  }

  static TestPki* pki_;
};
TestPki* MtlsIdentity::pki_ = nullptr;

TEST_F(MtlsIdentity, GoodClientCertificateGivesSubjectCnAsUserAndOrganizationAsTenant) {
  EXPECT_EQ(verify("good"), "user=alice tenant=acme method=mtls from=127.0.0.1:5000");
  EXPECT_EQ(verify("good", /*with_crl=*/false), "user=alice tenant=acme method=mtls from=127.0.0.1:5000");
}

TEST_F(MtlsIdentity, CertificateFromAnotherCaIsUntrusted) {
  EXPECT_EQ(verify("wrong_ca"), "untrusted_certificate: certificate O=acme,CN=eve: unable to get local issuer certificate");
}

TEST_F(MtlsIdentity, ExpiredClientCertificateIsRefusedAsExpired) {
  EXPECT_EQ(verify("expired"), "expired: certificate O=acme,CN=old alice: certificate has expired");
}

TEST_F(MtlsIdentity, NotYetValidClientCertificateIsRefusedAsNotYetValid) {
  EXPECT_EQ(verify("not_yet_valid"), "not_yet_valid: certificate O=acme,CN=early alice: certificate is not yet valid");
}

TEST_F(MtlsIdentity, RevokedClientCertificateIsRefusedAsRevoked) {
  EXPECT_EQ(verify("revoked"), "revoked: certificate O=acme,CN=mallory: certificate revoked");
  // Without the CRL configured the same certificate is accepted: the CRL is what refuses it.
  EXPECT_EQ(verify("revoked", /*with_crl=*/false), "user=mallory tenant=acme method=mtls from=127.0.0.1:5000");
}

TEST_F(MtlsIdentity, ServerPurposeCertificateIsRefused) {
  EXPECT_EQ(verify("server_purpose"),
            "untrusted_certificate: certificate O=acme,CN=db.example: unsuitable certificate purpose");
}

TEST_F(MtlsIdentity, CertificateWithoutTenantAttributeIsRefusedAsMissingClaim) {
  EXPECT_EQ(verify("no_tenant"), "missing_claim: certificate CN=bob has no O attribute in its subject");
}

TEST_F(MtlsIdentity, ConfiguredTenantAttributeIsTheOneRead) {
  MtlsOptions options;
  options.tenant_attribute = "CN";
  EXPECT_EQ(outcome(verifier(true, options).verify_pem(read_text(pki_->chain("no_tenant")), std::time(nullptr))),
            "user=bob tenant=bob method=mtls from=");
  options.tenant_attribute = "OU";
  EXPECT_EQ(outcome(verifier(true, options).verify_pem(read_text(pki_->chain("good")), std::time(nullptr))),
            "missing_claim: certificate O=acme,CN=alice has no OU attribute in its subject");
}

// The certificate's tenant (alice's is acme) is checked against roles.yaml's users: when the
// directory knows the user; a user it does not know keeps the tenant the CA vouched for.
TEST_F(MtlsIdentity, TenantOfAUserTheDirectoryKnowsMustBeOneOfTheUsersTenants) {
  auto with_directory = [](std::optional<UserTenants> alice) {
    MtlsOptions options;
    options.tenants = [alice](std::string_view user) -> std::optional<UserTenants> {
      return user == "alice" ? alice : std::nullopt;
    };
    return outcome(verifier(true, options).verify_pem(read_text(pki_->chain("good")), std::time(nullptr), "10.0.0.2"));
  };
  EXPECT_EQ(with_directory(UserTenants{.default_tenant = "acme", .allowed = {}}),
            "user=alice tenant=acme method=mtls from=10.0.0.2");
  EXPECT_EQ(with_directory(UserTenants{.default_tenant = "globex", .allowed = {"initech", "acme"}}),
            "user=alice tenant=acme method=mtls from=10.0.0.2");
  EXPECT_EQ(with_directory(UserTenants{.default_tenant = "globex", .allowed = {"initech"}}),
            "tenant_not_allowed: user \"alice\" may not connect to tenant \"acme\"");
  EXPECT_EQ(with_directory(UserTenants{.default_tenant = std::nullopt, .allowed = {}}),
            "tenant_not_allowed: user \"alice\" may not connect to tenant \"acme\"");
  EXPECT_EQ(with_directory(std::nullopt), "user=alice tenant=acme method=mtls from=10.0.0.2");
}

TEST_F(MtlsIdentity, SubjectWithTwoCommonNamesIsMalformed) {
  // Which of two CNs is the user would be a guess: refused. Signed by `openssl x509 -req`, which
  // keeps the requested subject as it is.
  const std::string dir = pki_->directory + "/intermediate", out = pki_->directory + "/two_cns";
  ASSERT_EQ(testing::run_child({"openssl", "req", "-config", dir + "/openssl.cnf", "-new", "-newkey", "ec", "-pkeyopt",
                                "ec_paramgen_curve:P-256", "-nodes", "-keyout", out + ".key", "-out", out + ".csr",
                                "-subj", "/O=acme/CN=alice/CN=admin"},
                               pki_->directory)
                .exit_code,
            0);
  const testing::ChildOutcome signed_request = testing::run_child(
      {"openssl", "x509", "-req", "-in", out + ".csr", "-CA", dir + "/ca.pem", "-CAkey", dir + "/ca.key",
       "-set_serial", "4242", "-days", "30", "-extfile", dir + "/openssl.cnf", "-extensions", "client_ext", "-out",
       out + ".crt"},
      pki_->directory);
  ASSERT_EQ(signed_request.exit_code, 0) << signed_request.output;
  EXPECT_EQ(outcome(verifier(false).verify_pem(read_text(out + ".crt") + read_text(pki_->intermediate_ca), std::time(nullptr))),
            "malformed: certificate CN=admin,CN=alice,O=acme has more than one CN attribute in its subject");
}

TEST_F(MtlsIdentity, UnknownTenantAttributeIsAConfigurationError) {
  MtlsOptions options;
  options.tenant_attribute = "Organisation";
  StatusOr<MtlsVerifier> loaded = MtlsVerifier::load(pki_->root_ca, std::nullopt, options);
  ASSERT_FALSE(loaded.is_ok());
  EXPECT_EQ(loaded.status().message(),
            "WEFTKIT_MTLS_TENANT_ATTRIBUTE: \"Organisation\" is not a subject attribute name (such as O, OU, CN) or an OID");
}

TEST_F(MtlsIdentity, NowDecidesValidity) {
  constexpr int64_t kYear2045 = 2'366'841'600;  // after every test certificate's notAfter
  // Every certificate of the chain has expired by then; OpenSSL reports the first it checks, the root.
  EXPECT_EQ(verify("good", /*with_crl=*/false, kYear2045),
            "expired: certificate O=acme,CN=alice: certificate has expired (CN=WeftKit Test Root CA)");
  constexpr int64_t kJune2030 = 1'907'000'000;  // inside the not_yet_valid certificate's window
  EXPECT_EQ(verify("not_yet_valid", /*with_crl=*/false, kJune2030), "user=early alice tenant=acme method=mtls from=127.0.0.1:5000");
}

TEST_F(MtlsIdentity, StaleCrlRefusesEveryoneRatherThanFailingOpen) {
  // The CRL was issued for 30 days; 60 days on, revocation can no longer be checked.
  const int64_t in_60_days = std::time(nullptr) + 60 * 86'400;
  EXPECT_EQ(verify("good", /*with_crl=*/true, in_60_days), "untrusted_certificate: certificate O=acme,CN=alice: CRL has expired");
  EXPECT_EQ(verify("good", /*with_crl=*/false, in_60_days), "user=alice tenant=acme method=mtls from=127.0.0.1:5000");
}

TEST_F(MtlsIdentity, IntermediatesComeOnlyFromThePresentedChain) {
  // The client certificate without its intermediate: the CA file holds only the root.
  EXPECT_EQ(outcome(verifier().verify_pem(read_text(pki_->certificate("good")), std::time(nullptr))),
            "untrusted_certificate: certificate O=acme,CN=alice: unable to get local issuer certificate");
}

TEST_F(MtlsIdentity, ChainLongerThanTheLimitIsUntrusted) {
  MtlsOptions options;
  options.max_intermediates = 0;
  const std::string result =
      outcome(verifier(false, options).verify_pem(read_text(pki_->chain("good")), std::time(nullptr)));
  EXPECT_EQ(result,
            "untrusted_certificate: certificate O=acme,CN=alice: certificate chain too long (CN=WeftKit Test Intermediate CA)");
}

TEST_F(MtlsIdentity, CaCertificatePresentedAsClientIsRefused) {
  EXPECT_EQ(outcome(verifier().verify_pem(read_text(pki_->root_ca), std::time(nullptr))),
            "untrusted_certificate: certificate CN=WeftKit Test Root CA is a CA certificate, not a client certificate");
  EXPECT_EQ(outcome(verifier().verify_pem(read_text(pki_->intermediate_ca) + read_text(pki_->root_ca), std::time(nullptr))),
            "untrusted_certificate: certificate CN=WeftKit Test Intermediate CA is a CA certificate, not a client certificate");
}

TEST_F(MtlsIdentity, CrlThatDoesNotCoverTheIssuerRefusesEveryone) {
  StatusOr<MtlsVerifier> loaded = MtlsVerifier::load(pki_->root_ca, pki_->root_crl);
  ASSERT_TRUE(loaded.is_ok()) << loaded.status().message();
  EXPECT_EQ(outcome(loaded.value().verify_pem(read_text(pki_->chain("good")), std::time(nullptr))),
            "untrusted_certificate: certificate O=acme,CN=alice: unable to get certificate CRL");
}

TEST_F(MtlsIdentity, BadPemIsMalformed) {
  EXPECT_EQ(outcome(verifier().verify_pem("", std::time(nullptr))), "malformed: certificate chain holds no PEM certificate");
  EXPECT_EQ(outcome(verifier().verify_pem("hello", std::time(nullptr))),
            "malformed: certificate chain holds no PEM certificate");
  EXPECT_EQ(outcome(verifier().verify_pem("-----BEGIN CERTIFICATE-----\nAAAA!!!!\n-----END CERTIFICATE-----\n",
                                          std::time(nullptr)))
                .rfind("malformed: certificate chain is not valid PEM (", 0),
            0u);
  MtlsOptions small;
  small.max_chain_pem_bytes = 100;
  EXPECT_EQ(outcome(verifier(true, small).verify_pem(read_text(pki_->chain("good")), std::time(nullptr)))
                .rfind("malformed: certificate chain of ", 0),
            0u);
}

TEST_F(MtlsIdentity, MessagesHoldNoKeyMaterial) {
  const std::string key = read_text(pki_->key("good"));
  ASSERT_NE(key.find("PRIVATE KEY"), std::string::npos);
  // A key file handed over as the chain: refused without echoing any of it.
  const std::string result = outcome(verifier().verify_pem(key, std::time(nullptr)));
  EXPECT_EQ(result, "malformed: certificate chain holds no PEM certificate");
  const std::string body = key.substr(key.find('\n') + 1, 20);
  EXPECT_EQ(result.find(body), std::string::npos);
}

TEST_F(MtlsIdentity, ChainAsX509ObjectsGivesTheSameIdentity) {
  std::unique_ptr<BIO, decltype(&BIO_free)> file(BIO_new_file(pki_->certificate("good").c_str(), "r"), &BIO_free);
  ASSERT_TRUE(file);
  X509* client = PEM_read_bio_X509(file.get(), nullptr, nullptr, nullptr);
  ASSERT_NE(client, nullptr);
  std::unique_ptr<BIO, decltype(&BIO_free)> issuer_file(BIO_new_file(pki_->intermediate_ca.c_str(), "r"), &BIO_free);
  X509* intermediate = PEM_read_bio_X509(issuer_file.get(), nullptr, nullptr, nullptr);
  ASSERT_NE(intermediate, nullptr);
  STACK_OF(X509)* chain = sk_X509_new_null();
  ASSERT_EQ(sk_X509_push(chain, intermediate), 1);
  const MtlsVerifier loaded = verifier();
  EXPECT_EQ(outcome(loaded.verify(client, chain, std::time(nullptr), "10.0.0.1")), "user=alice tenant=acme method=mtls from=10.0.0.1");
  EXPECT_EQ(outcome(loaded.verify(client, nullptr, std::time(nullptr))),
            "untrusted_certificate: certificate O=acme,CN=alice: unable to get local issuer certificate");
  EXPECT_EQ(outcome(loaded.verify(nullptr, chain, std::time(nullptr))), "untrusted_certificate: no client certificate presented");
  sk_X509_pop_free(chain, X509_free);
  X509_free(client);
}

TEST_F(MtlsIdentity, UnreadableOrEmptyCaFileIsAConfigurationError) {
  StatusOr<MtlsVerifier> missing = MtlsVerifier::load(pki_->directory + "/nope.pem", std::nullopt);
  ASSERT_FALSE(missing.is_ok());
  EXPECT_EQ(missing.status().message(), "WEFTKIT_MTLS_CA: cannot read " + pki_->directory + "/nope.pem");
  StatusOr<MtlsVerifier> key_as_ca = MtlsVerifier::load(pki_->key("good"), std::nullopt);
  ASSERT_FALSE(key_as_ca.is_ok());
  EXPECT_EQ(key_as_ca.status().message(), "WEFTKIT_MTLS_CA: " + pki_->key("good") + " holds no certificate in PEM form");
  StatusOr<MtlsVerifier> ca_as_crl = MtlsVerifier::load(pki_->root_ca, pki_->root_ca);
  ASSERT_FALSE(ca_as_crl.is_ok());
  EXPECT_EQ(ca_as_crl.status().message(), "WEFTKIT_MTLS_CRL: " + pki_->root_ca + " holds no CRL in PEM form");
}

TEST_F(MtlsIdentity, OneVerifierServesConcurrentConnections) {
  const MtlsVerifier shared = verifier();
  const std::string good = read_text(pki_->chain("good")), revoked = read_text(pki_->chain("revoked"));
  const int64_t now = std::time(nullptr);
  std::vector<std::string> results(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < results.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        const std::string accepted = outcome(shared.verify_pem(good, now));
        const std::string refused = outcome(shared.verify_pem(revoked, now));
        if (i == 0 || results[t] == accepted + " | " + refused) results[t] = accepted + " | " + refused;
        else results[t] = "differs at " + std::to_string(i) + ": " + accepted + " | " + refused;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const std::string& result : results) {
    EXPECT_EQ(result, "user=alice tenant=acme method=mtls from= | revoked: certificate O=acme,CN=mallory: certificate revoked");
  }
}

TEST_F(MtlsIdentity, VerifierFromConfigReadsTheMtlsVariables) {
  config::AuthConfig auth;
  auth.mtls_ca = pki_->root_ca;
  auth.mtls_crl = pki_->crl;
  auth.mtls_tenant_attribute = "O";
  StatusOr<MtlsVerifier> loaded = mtls_verifier_from_config(auth);
  ASSERT_TRUE(loaded.is_ok()) << loaded.status().message();
  EXPECT_EQ(outcome(loaded.value().verify_pem(read_text(pki_->chain("revoked")), std::time(nullptr))),
            "revoked: certificate O=acme,CN=mallory: certificate revoked");
}

}  // namespace
}  // namespace weftkit::auth
