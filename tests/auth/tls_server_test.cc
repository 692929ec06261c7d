// The TLS 1.3 server context against the real `openssl s_client` on loopback: TLS 1.3 connects,
// TLS 1.2 is refused, client certificates are required and give the mTLS identity when a CA is
// set, and reloads swap the certificate for new connections only. Every wait is bounded.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <optional>
#include <thread>

#include "tests/auth/test_pki.h"
#include "weftkit/auth/mtls.h"
#include "weftkit/auth/tls_server.h"

namespace weftkit::auth {
namespace {

using testing::ChildOutcome;
using testing::read_text;
using testing::run_child;
using testing::TestPki;

// What the server saw of one connection.
struct ServerSide {
  bool handshake_ok = false;
  std::string error;     // OpenSSL's reason when the handshake failed
  std::string protocol;  // "TLSv1.3"
  std::string identity;  // the mTLS outcome, when a verifier was given
  std::string verify_result;  // the handshake's client certificate verification, as OpenSSL words it
};

std::string outcome(const AuthResult& result) {
  if (!result.ok()) return std::string(failure_name(result.failure().kind)) + ": " + result.failure().message;
  return "user=" + result.identity().user + " tenant=" + result.identity().tenant.value_or("-");
}

// A listening socket on 127.0.0.1, an ephemeral port, serving exactly one connection on a thread.
class LoopbackServer {
 public:
  LoopbackServer() {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    if (listener_ < 0 || bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        listen(listener_, 4) != 0 || getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      ADD_FAILURE() << "cannot listen on 127.0.0.1";
      return;
    }
    port_ = ntohs(address.sin_port);
  }
  ~LoopbackServer() {
    if (thread_.joinable()) thread_.join();
    if (listener_ >= 0) close(listener_);
  }

  int port() const { return port_; }

  // Starts serving one connection with `context` (and `verifier` for the identity).
  void serve_one(std::shared_ptr<SSL_CTX> context, const MtlsVerifier* verifier) {
    thread_ = std::thread([this, context = std::move(context), verifier] { seen_ = serve(context.get(), verifier); });
  }
  ServerSide wait() {
    thread_.join();
    return seen_;
  }

 private:
  ServerSide serve(SSL_CTX* context, const MtlsVerifier* verifier) {
    ServerSide seen;
    pollfd ready{listener_, POLLIN, 0};
    if (poll(&ready, 1, 15'000) != 1) {
      seen.error = "no connection within 15 s";
      return seen;
    }
    const int connection = accept(listener_, nullptr, nullptr);
    if (connection < 0) {
      seen.error = "accept failed";
      return seen;
    }
    timeval timeout{10, 0};
    setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    setsockopt(connection, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    SSL* ssl = SSL_new(context);
    SSL_set_fd(ssl, connection);
    if (SSL_accept(ssl) == 1) {
      seen.handshake_ok = true;
      seen.protocol = SSL_get_version(ssl);
      if (verifier != nullptr) seen.identity = outcome(verifier->verify_peer(ssl, std::time(nullptr), "127.0.0.1"));
      const char reply[] = "hello\n";
      SSL_write(ssl, reply, sizeof reply - 1);
      SSL_shutdown(ssl);
    } else {
      seen.verify_result = X509_verify_cert_error_string(SSL_get_verify_result(ssl));
      const unsigned long code = ERR_peek_last_error();
      const char* reason = code == 0 ? nullptr : ERR_reason_error_string(code);
      seen.error = reason == nullptr ? "handshake failed" : reason;
    }
    ERR_clear_error();
    SSL_free(ssl);
    close(connection);
    return seen;
  }

  int listener_ = -1;
  int port_ = 0;
  std::thread thread_;
  ServerSide seen_;
};

class TlsServer : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    signal(SIGPIPE, SIG_IGN);  // a client that hangs up is an error return, not a signal
    pki_ = new TestPki();
  }
  static void TearDownTestSuite() {
    delete pki_;
    pki_ = nullptr;
  }

  static TlsServerFiles files(bool with_ca) {
    return TlsServerFiles{pki_->server_certificate, pki_->server_key,
                          with_ca ? std::optional<std::string>(pki_->root_ca) : std::nullopt};
  }

  // s_client against `port`, verifying the server against the root CA; `extra` adds the protocol
  // option and client certificate options.
  static ChildOutcome s_client(int port, const std::vector<std::string>& extra) {
    std::vector<std::string> argv = {"openssl", "s_client", "-connect", "127.0.0.1:" + std::to_string(port),
                                     "-CAfile", pki_->root_ca, "-verify_return_error", "-ign_eof"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return run_child(argv, pki_->directory, std::chrono::seconds(20));
  }

  static std::vector<std::string> client_certificate(const std::string& name) {
    return {"-cert", pki_->certificate(name), "-key", pki_->key(name), "-cert_chain", pki_->chain(name)};
  }

  static TestPki* pki_;
};
TestPki* TlsServer::pki_ = nullptr;

std::shared_ptr<SSL_CTX> must_make(const TlsServerFiles& files) {
  StatusOr<std::shared_ptr<SSL_CTX>> context = make_tls_server_context(files);
  EXPECT_TRUE(context.is_ok()) << context.status().message();
  return context.is_ok() ? context.value() : nullptr;
}

TEST_F(TlsServer, Tls13ClientConnects) {
  LoopbackServer server;
  server.serve_one(must_make(files(false)), nullptr);
  const ChildOutcome client = s_client(server.port(), {"-tls1_3"});
  const ServerSide seen = server.wait();
  EXPECT_EQ(client.exit_code, 0) << client.output;
  EXPECT_NE(client.output.find("Verify return code: 0 (ok)"), std::string::npos) << client.output;
  EXPECT_NE(client.output.find("hello"), std::string::npos) << client.output;
  EXPECT_TRUE(seen.handshake_ok) << seen.error;
  EXPECT_EQ(seen.protocol, "TLSv1.3");
}

TEST_F(TlsServer, Tls12ClientIsRefused) {
  LoopbackServer server;
  server.serve_one(must_make(files(false)), nullptr);
  const ChildOutcome client = s_client(server.port(), {"-tls1_2"});
  const ServerSide seen = server.wait();
  EXPECT_EQ(client.exit_code, 1) << client.output;
  EXPECT_FALSE(seen.handshake_ok);
  EXPECT_EQ(seen.error, "unsupported protocol");
}

TEST_F(TlsServer, ContextAllowsOnlyTls13AndRequiresClientCertificatesWithACa) {
  std::shared_ptr<SSL_CTX> context = must_make(files(false));
  ASSERT_TRUE(context);
  EXPECT_EQ(SSL_CTX_get_min_proto_version(context.get()), TLS1_3_VERSION);
  EXPECT_EQ(SSL_CTX_get_max_proto_version(context.get()), TLS1_3_VERSION);
  EXPECT_EQ(SSL_CTX_get_verify_mode(context.get()), SSL_VERIFY_NONE);
  std::shared_ptr<SSL_CTX> with_ca = must_make(files(true));
  ASSERT_TRUE(with_ca);
  EXPECT_EQ(SSL_CTX_get_verify_mode(with_ca.get()), SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT);
  // Client-authenticated servers never resume: every connection brings its chain to verify.
  EXPECT_EQ(SSL_CTX_get_num_tickets(with_ca.get()), 0u);
  EXPECT_EQ(SSL_CTX_get_session_cache_mode(with_ca.get()), SSL_SESS_CACHE_OFF);
  EXPECT_EQ(SSL_CTX_get_num_tickets(context.get()), 2u);  // OpenSSL's default without a CA
}

TEST_F(TlsServer, GoodClientCertificateConnectsAndGivesTheMtlsIdentity) {
  StatusOr<MtlsVerifier> verifier = MtlsVerifier::load(pki_->root_ca, pki_->crl);
  ASSERT_TRUE(verifier.is_ok()) << verifier.status().message();
  LoopbackServer server;
  server.serve_one(must_make(files(true)), &verifier.value());
  std::vector<std::string> options = client_certificate("good");
  options.push_back("-tls1_3");
  const ChildOutcome client = s_client(server.port(), options);
  const ServerSide seen = server.wait();
  EXPECT_EQ(client.exit_code, 0) << client.output;
  EXPECT_TRUE(seen.handshake_ok) << seen.error;
  EXPECT_EQ(seen.identity, "user=alice tenant=acme");
}

TEST_F(TlsServer, WrongCaClientCertificateIsRefusedInTheHandshake) {
  StatusOr<MtlsVerifier> verifier = MtlsVerifier::load(pki_->root_ca, pki_->crl);
  ASSERT_TRUE(verifier.is_ok()) << verifier.status().message();
  LoopbackServer server;
  server.serve_one(must_make(files(true)), &verifier.value());
  std::vector<std::string> options = client_certificate("wrong_ca");
  options.push_back("-tls1_3");
  const ChildOutcome client = s_client(server.port(), options);
  const ServerSide seen = server.wait();
  EXPECT_FALSE(seen.handshake_ok);
  EXPECT_EQ(seen.error, "certificate verify failed");
  EXPECT_EQ(seen.verify_result, "unable to get local issuer certificate");
  EXPECT_EQ(seen.identity, "");
  EXPECT_NE(client.output.find("alert"), std::string::npos) << client.output;
}

TEST_F(TlsServer, ExpiredAndServerPurposeClientCertificatesAreRefusedInTheHandshake) {
  const std::pair<std::string, std::string> cases[] = {{"expired", "certificate has expired"},
                                                        {"server_purpose", "unsuitable certificate purpose"}};
  for (const auto& [name, reason] : cases) {
    LoopbackServer server;
    server.serve_one(must_make(files(true)), nullptr);
    std::vector<std::string> options = client_certificate(name);
    options.push_back("-tls1_3");
    const ChildOutcome client = s_client(server.port(), options);
    const ServerSide seen = server.wait();
    EXPECT_FALSE(seen.handshake_ok) << name;
    EXPECT_EQ(seen.error, "certificate verify failed") << name;
    EXPECT_EQ(seen.verify_result, reason) << name;
  }
}

TEST_F(TlsServer, ClientWithoutCertificateIsRefusedWhenACaIsSet) {
  LoopbackServer server;
  server.serve_one(must_make(files(true)), nullptr);
  const ChildOutcome client = s_client(server.port(), {"-tls1_3"});
  const ServerSide seen = server.wait();
  EXPECT_FALSE(seen.handshake_ok);
  EXPECT_EQ(seen.error, "peer did not return a certificate");
}

TEST_F(TlsServer, RevokedClientPassesTheHandshakeButNotTheMtlsIdentity) {
  // The handshake checks the chain only; the CRL is the mTLS verifier's, so the identity is refused.
  StatusOr<MtlsVerifier> verifier = MtlsVerifier::load(pki_->root_ca, pki_->crl);
  ASSERT_TRUE(verifier.is_ok()) << verifier.status().message();
  LoopbackServer server;
  server.serve_one(must_make(files(true)), &verifier.value());
  std::vector<std::string> options = client_certificate("revoked");
  options.push_back("-tls1_3");
  const ChildOutcome client = s_client(server.port(), options);
  const ServerSide seen = server.wait();
  EXPECT_TRUE(seen.handshake_ok) << seen.error;
  EXPECT_EQ(seen.identity, "revoked: certificate O=acme,CN=mallory: certificate revoked");
}

TEST_F(TlsServer, KeyThatDoesNotMatchTheCertificateIsRefused) {
  TlsServerFiles mismatched{pki_->server_certificate, pki_->server2_key, std::nullopt};
  StatusOr<std::shared_ptr<SSL_CTX>> context = make_tls_server_context(mismatched);
  ASSERT_FALSE(context.is_ok());
  EXPECT_EQ(context.status().message(), "WEFTKIT_TLS_KEY: the key in " + pki_->server2_key +
                                            " does not match the certificate in " + pki_->server_certificate);
  const std::string key = read_text(pki_->server2_key);
  EXPECT_EQ(context.status().message().find(key.substr(key.find('\n') + 1, 20)), std::string::npos);
}

TEST_F(TlsServer, MissingFilesAreNamed) {
  TlsServerFiles missing{pki_->directory + "/none.crt", pki_->server_key, std::nullopt};
  StatusOr<std::shared_ptr<SSL_CTX>> context = make_tls_server_context(missing);
  ASSERT_FALSE(context.is_ok());
  EXPECT_EQ(context.status().message().rfind("WEFTKIT_TLS_CERT: cannot use " + pki_->directory + "/none.crt: ", 0), 0u)
      << context.status().message();
  StatusOr<std::unique_ptr<TlsServerContext>> unset = tls_server_context_from_config(config::TlsConfig{});
  ASSERT_FALSE(unset.is_ok());
  EXPECT_EQ(unset.status().message(), "WEFTKIT_TLS_CERT and WEFTKIT_TLS_KEY must both be set for a TLS server");
}

TEST_F(TlsServer, ReloadServesNewCertificateToNewConnectionsWhileOldOnesKeepTheirs) {
  // Files of our own, replaced in place as an operator would.
  const std::string certificate = pki_->directory + "/reload.crt", key = pki_->directory + "/reload.key";
  std::filesystem::copy_file(pki_->server_certificate, certificate, std::filesystem::copy_options::overwrite_existing);
  std::filesystem::copy_file(pki_->server_key, key, std::filesystem::copy_options::overwrite_existing);
  config::TlsConfig tls;
  tls.cert = certificate;
  tls.key = key;
  StatusOr<std::unique_ptr<TlsServerContext>> loaded = tls_server_context_from_config(tls);
  ASSERT_TRUE(loaded.is_ok()) << loaded.status().message();
  TlsServerContext& contexts = *loaded.value();
  EXPECT_EQ(contexts.generation(), 1u);

  // A connection opened before the reload.
  SSL* open_connection = SSL_new(contexts.current().get());
  ASSERT_NE(open_connection, nullptr);

  // A half-written update (new certificate, old key) is refused and the old context keeps serving.
  std::filesystem::copy_file(pki_->server2_certificate, certificate, std::filesystem::copy_options::overwrite_existing);
  const std::shared_ptr<SSL_CTX> before = contexts.current();
  const Status refused = contexts.reload();
  EXPECT_EQ(refused.message(),
            "WEFTKIT_TLS_KEY: the key in " + key + " does not match the certificate in " + certificate);
  EXPECT_EQ(contexts.current(), before);
  EXPECT_EQ(contexts.generation(), 1u);

  std::filesystem::copy_file(pki_->server2_key, key, std::filesystem::copy_options::overwrite_existing);
  const Status reloaded = contexts.reload();
  ASSERT_TRUE(reloaded.is_ok()) << reloaded.message();
  EXPECT_EQ(contexts.generation(), 2u);
  EXPECT_NE(contexts.current(), before);

  auto common_name = [](const X509* subject_of) {
    char name[256] = {};
    X509_NAME_get_text_by_NID(X509_get_subject_name(subject_of), NID_commonName, name, sizeof name);
    return std::string(name);
  };
  EXPECT_EQ(common_name(SSL_get_certificate(open_connection)), "weftkit server one");
  EXPECT_EQ(common_name(SSL_CTX_get0_certificate(contexts.current().get())), "weftkit server two");

  LoopbackServer server;
  server.serve_one(contexts.current(), nullptr);
  const ChildOutcome client = s_client(server.port(), {"-tls1_3"});
  const ServerSide seen = server.wait();
  EXPECT_TRUE(seen.handshake_ok) << seen.error;
  EXPECT_EQ(client.exit_code, 0) << client.output;
  EXPECT_NE(client.output.find("CN = weftkit server two"), std::string::npos) << client.output;
  SSL_free(open_connection);
}

TEST_F(TlsServer, ConcurrentReloadsAndReadersSeeWholeContexts) {
  StatusOr<std::unique_ptr<TlsServerContext>> loaded = TlsServerContext::load(files(true));
  ASSERT_TRUE(loaded.is_ok()) << loaded.status().message();
  TlsServerContext& contexts = *loaded.value();
  std::thread reloader([&] {
    for (int i = 0; i < 5; ++i) EXPECT_TRUE(contexts.reload().is_ok());
  });
  int connections = 0;
  for (int i = 0; i < 200; ++i) {
    SSL* ssl = SSL_new(contexts.current().get());
    ASSERT_NE(ssl, nullptr);
    connections += SSL_get_certificate(ssl) != nullptr ? 1 : 0;
    SSL_free(ssl);
  }
  reloader.join();
  EXPECT_EQ(connections, 200);
  EXPECT_EQ(contexts.generation(), 6u);
}

}  // namespace
}  // namespace weftkit::auth
