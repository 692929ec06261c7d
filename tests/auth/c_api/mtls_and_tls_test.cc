// mTLS and the TLS server context through the auth C API, on certificates the real openssl
// made: a PEM chain's user and tenant, refusals by name, the TLS 1.3 context handed out with a
// reference of the caller's own, reloads, and the peer of a live handshake made in memory.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <ctime>

#include "tests/auth/c_api/auth_c_api_fixture.h"
#include "tests/auth/test_pki.h"

namespace weftkit::auth::c_api_testing {
namespace {

using testing::read_text;
using testing::TestPki;

class AuthCApiMtls : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { pki_ = new TestPki(); }
  static void TearDownTestSuite() {
    delete pki_;
    pki_ = nullptr;
  }
  void SetUp() override {
    // mTLS needs the TLS server's files too (the configuration checks that they are set).
    authenticator_ =
        authenticator_of({"WEFTKIT_AUTH=mtls", "WEFTKIT_MTLS_CA=" + pki_->root_ca,
                          "WEFTKIT_TLS_CERT=" + pki_->server_certificate, "WEFTKIT_TLS_KEY=" + pki_->server_key});
    ASSERT_NE(authenticator_, nullptr);
  }
  std::string verify_pem(const std::string& name) const {
    const std::string chain = read_text(pki_->chain(name));
    weftkit_auth_result* result = nullptr;
    ErrorSlot error;
    EXPECT_EQ(weftkit_auth_mtls_pem(authenticator_.get(), chain.data(), chain.size(), time(nullptr), "192.0.2.3",
                                    &result, error.out()),
              WEFTKIT_OK)
        << error.message();
    Owned<weftkit_auth_result> owned(result);
    return outcome(result);
  }

  static TestPki* pki_;
  Owned<weftkit_authenticator> authenticator_;
};
TestPki* AuthCApiMtls::pki_ = nullptr;

TEST_F(AuthCApiMtls, AGoodChainGivesTheCertificatesUserAndTenant) {
  EXPECT_EQ(verify_pem("good"), "ok user=alice tenant=acme roles= method=2");
}

TEST_F(AuthCApiMtls, ChainsThatDoNotVerifyAreRefusedByName) {
  EXPECT_THAT(verify_pem("expired"), ::testing::StartsWith("expired: "));
  EXPECT_THAT(verify_pem("wrong_ca"), ::testing::StartsWith("untrusted_certificate: "));
  weftkit_auth_result* result = nullptr;
  ASSERT_EQ(weftkit_auth_mtls_pem(authenticator_.get(), "", 0, 0, nullptr, &result, nullptr), WEFTKIT_OK);
  Owned<weftkit_auth_result> owned(result);
  EXPECT_FALSE(weftkit_auth_result_ok(result));
  EXPECT_EQ(weftkit_auth_result_method(result), WEFTKIT_AUTH_MTLS);
}

// The TLS server's files, copied so that a test may replace them before a reload.
class AuthCApiTlsServer : public AuthCApiMtls {
 protected:
  Owned<weftkit_tls_server> create(bool with_client_ca) {
    certificate_ = scratch_.write("server.crt", read_text(pki_->server_certificate));
    key_ = scratch_.write("server.key", read_text(pki_->server_key));
    std::vector<std::string> variables = {"WEFTKIT_TLS_CERT=" + certificate_, "WEFTKIT_TLS_KEY=" + key_};
    if (with_client_ca) variables.push_back("WEFTKIT_TLS_CA=" + pki_->root_ca);
    weftkit_tls_server* server = nullptr;
    ErrorSlot error;
    EXPECT_EQ(weftkit_tls_server_create(config_of(variables).get(), &server, error.out()), WEFTKIT_OK)
        << error.message();
    return Owned<weftkit_tls_server>(server);
  }
  static std::string subject_of(SSL_CTX* context) {
    char line[256];
    X509_NAME_oneline(X509_get_subject_name(SSL_CTX_get0_certificate(context)), line, sizeof line);
    return line;
  }
  static SSL_CTX* context_of(const weftkit_tls_server* server) {
    struct ssl_ctx_st* context = nullptr;
    ErrorSlot error;
    EXPECT_EQ(weftkit_tls_server_context(server, &context, error.out()), WEFTKIT_OK) << error.message();
    return context;
  }

  ScratchDirectory scratch_;
  std::string certificate_, key_;
};

TEST_F(AuthCApiTlsServer, TheContextIsHandedOutReloadedAndOutlivesTheServer) {
  Owned<weftkit_tls_server> server = create(false);
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(weftkit_tls_server_generation(server.get()), 1u);
  SSL_CTX* first = context_of(server.get());
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(SSL_CTX_get_min_proto_version(first), TLS1_3_VERSION);
  const std::string first_subject = subject_of(first);

  scratch_.write("server.crt", read_text(pki_->server2_certificate));
  scratch_.write("server.key", read_text(pki_->server2_key));
  ErrorSlot error;
  ASSERT_EQ(weftkit_tls_server_reload(server.get(), error.out()), WEFTKIT_OK) << error.message();
  EXPECT_EQ(weftkit_tls_server_generation(server.get()), 2u);
  SSL_CTX* second = context_of(server.get());
  EXPECT_NE(subject_of(second), first_subject);

  // A reload that fails keeps the current context and says which file.
  scratch_.write("server.crt", "not a certificate\n");
  EXPECT_NE(weftkit_tls_server_reload(server.get(), error.out()), WEFTKIT_OK);
  EXPECT_THAT(error.message(), ::testing::HasSubstr(certificate_));
  EXPECT_EQ(weftkit_tls_server_generation(server.get()), 2u);

  // The caller's references outlive the server and its replaced contexts.
  server.reset();
  EXPECT_EQ(subject_of(first), first_subject);
  SSL* connection = SSL_new(second);
  EXPECT_NE(connection, nullptr);
  SSL_free(connection);
  SSL_CTX_free(first);
  SSL_CTX_free(second);
}

TEST_F(AuthCApiTlsServer, MissingFilesAreAnErrorNamingThem) {
  weftkit_tls_server* server = reinterpret_cast<weftkit_tls_server*>(1);
  ErrorSlot error;
  const std::string missing = scratch_.path("missing.crt");
  EXPECT_NE(weftkit_tls_server_create(config_of({"WEFTKIT_TLS_CERT=" + missing, "WEFTKIT_TLS_KEY=" + missing}).get(),
                                      &server, error.out()),
            WEFTKIT_OK);
  EXPECT_EQ(server, nullptr);
  EXPECT_THAT(error.message(), ::testing::HasSubstr(missing));
}

// A TLS 1.3 handshake between the server context and a client presenting `client`'s chain,
// over a pair of memory BIOs: no sockets, no threads.
class Handshake {
 public:
  Handshake(SSL_CTX* server_context, const TestPki& pki, const std::string& client) {
    client_context_ = SSL_CTX_new(TLS_client_method());
    SSL_CTX_use_certificate_chain_file(client_context_, pki.chain(client).c_str());
    SSL_CTX_use_PrivateKey_file(client_context_, pki.key(client).c_str(), SSL_FILETYPE_PEM);
    server_ = SSL_new(server_context);
    client_ = SSL_new(client_context_);
    BIO* server_end = nullptr;
    BIO* client_end = nullptr;
    BIO_new_bio_pair(&server_end, 0, &client_end, 0);
    SSL_set_bio(server_, server_end, server_end);
    SSL_set_bio(client_, client_end, client_end);
    SSL_set_accept_state(server_);
    SSL_set_connect_state(client_);
    for (int round = 0; round < 50 && !(server_done_ && client_done_); ++round) {
      if (!client_done_) client_done_ = SSL_do_handshake(client_) == 1;
      if (!server_done_) server_done_ = SSL_do_handshake(server_) == 1;
    }
  }
  ~Handshake() {
    SSL_free(server_);
    SSL_free(client_);
    SSL_CTX_free(client_context_);
  }
  Handshake(const Handshake&) = delete;
  Handshake& operator=(const Handshake&) = delete;
  bool done() const { return server_done_ && client_done_; }
  SSL* server() const { return server_; }

 private:
  SSL_CTX* client_context_ = nullptr;
  SSL* server_ = nullptr;
  SSL* client_ = nullptr;
  bool server_done_ = false, client_done_ = false;
};

TEST_F(AuthCApiTlsServer, ThePeerOfALiveConnectionIsTheCertificatesIdentity) {
  Owned<weftkit_tls_server> server = create(true);
  ASSERT_NE(server, nullptr);
  SSL_CTX* context = context_of(server.get());
  {
    Handshake handshake(context, *pki_, "good");
    ASSERT_TRUE(handshake.done());
    weftkit_auth_result* result = nullptr;
    ErrorSlot error;
    ASSERT_EQ(weftkit_auth_mtls_peer(authenticator_.get(), handshake.server(), time(nullptr), "192.0.2.4", &result,
                                     error.out()),
              WEFTKIT_OK)
        << error.message();
    Owned<weftkit_auth_result> owned(result);
    EXPECT_EQ(outcome(result), "ok user=alice tenant=acme roles= method=2");
  }
  // A connection that has not shaken hands has no peer certificate.
  SSL* fresh = SSL_new(context);
  weftkit_auth_result* result = nullptr;
  ASSERT_EQ(weftkit_auth_mtls_peer(authenticator_.get(), fresh, time(nullptr), nullptr, &result, nullptr), WEFTKIT_OK);
  Owned<weftkit_auth_result> owned(result);
  EXPECT_THAT(outcome(result), ::testing::StartsWith("untrusted_certificate: "));
  SSL_free(fresh);
  SSL_CTX_free(context);
}

}  // namespace
}  // namespace weftkit::auth::c_api_testing
