// Key sets over https against a real TLS server (`openssl s_server -WWW` on loopback, its
// certificate made at test time): first fetch, rotation on an unknown kid, the refetch rate
// limit, a server that went away, a server the CA does not vouch for, bodies that are refused.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "tests/auth/https_file_server.h"
#include "tests/auth/jwt_test_keys.h"
#include "tests/auth/test_pki.h"
#include "weftkit/auth/from_config.h"
#include "weftkit/auth/jwks_source.h"

namespace weftkit::auth {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using testing::HttpsFileServer;
using testing::TestKey;

constexpr int64_t kNow = 1'800'000'000;

std::string key_set(std::initializer_list<const TestKey*> keys) {
  std::string text = "{\"keys\":[";
  for (const TestKey* key : keys) text += (text.back() == '[' ? "" : ",") + key->public_jwk;
  return text + "]}";
}

std::string token(const TestKey& key) {
  return testing::sign_token(key, "ES256", "{\"alg\":\"ES256\",\"kid\":\"" + key.kid + "\"}",
                             "{\"sub\":\"alice\",\"exp\":" + std::to_string(kNow + 300) + "}");
}

std::string outcome(const AuthResult& result) {
  if (!result.ok()) return std::string(failure_name(result.failure().kind));
  return "user=" + result.identity().user;
}

// A clock the test moves by hand, so the 10 s refetch interval costs no waiting.
struct ManualClock {
  std::shared_ptr<std::atomic<int64_t>> seconds = std::make_shared<std::atomic<int64_t>>(1000);
  std::function<std::chrono::steady_clock::time_point()> function() const {
    auto shared = seconds;
    return [shared] { return std::chrono::steady_clock::time_point(std::chrono::seconds(shared->load())); };
  }
  void advance(int64_t by) const { seconds->fetch_add(by); }
};

class JwksOverHttps : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pki_ = new testing::TestPki();
    keys_ = new Keys{testing::make_ec_key("k1", "P-256"), testing::make_ec_key("k2", "P-256"),
                     testing::make_ec_key("k3", "P-256")};
  }
  static void TearDownTestSuite() {
    delete pki_;
    delete keys_;
  }
  void SetUp() override {
    server_ = std::make_unique<HttpsFileServer>(pki_->directory + "/www-" + ::testing::UnitTest::GetInstance()->current_test_info()->name(),
                                                pki_->server_certificate, pki_->server_key);
    ASSERT_TRUE(server_->ready()) << server_->log();
    server_->serve("jwks.json", key_set({&keys_->k1}));
  }
  void TearDown() override { server_.reset(); }

  JwksHttpsOptions fetch_options() const {
    return JwksHttpsOptions{.uri = server_->url("jwks.json"), .ca_file = pki_->root_ca};
  }
  // A cache over the test server with the manual clock.
  StatusOr<std::shared_ptr<RefreshingKeySet>> cache() const {
    JwksHttpsOptions fetch = fetch_options();
    return RefreshingKeySet::create([fetch] { return fetch_jwks_https(fetch); },
                                    RefreshingKeySetOptions{.clock = clock_.function()});
  }

  struct Keys {
    TestKey k1, k2, k3;
  };
  static testing::TestPki* pki_;
  static Keys* keys_;
  std::unique_ptr<HttpsFileServer> server_;
  ManualClock clock_;
};
testing::TestPki* JwksOverHttps::pki_ = nullptr;
JwksOverHttps::Keys* JwksOverHttps::keys_ = nullptr;

TEST_F(JwksOverHttps, FromConfigFetchesTheSetAndATokenOfItsKeyVerifies) {
  config::ConfigResult config = config::load_config({{"WEFTKIT_AUTH", "jwt"},
                                                     {"WEFTKIT_JWT_JWKS_URI", server_->url("jwks.json")},
                                                     {"WEFTKIT_JWT_CA", pki_->root_ca}});
  ASSERT_TRUE(config.ok()) << config.errors[0];
  auto verifier = jwt_verifier_from_config(config.config->auth, {});
  ASSERT_TRUE(verifier.is_ok()) << verifier.status().message();
  EXPECT_EQ(outcome(verifier.value()->verify(token(keys_->k1), kNow)), "user=alice");
  ASSERT_NE(verifier.value()->key_source(), nullptr);
  EXPECT_EQ(verifier.value()->key_source()->fetch_count(), 1u);
}

TEST_F(JwksOverHttps, ARotatedSetIsFetchedOnTheNewKidAndOnlyOncePerInterval) {
  auto keys = cache();
  ASSERT_TRUE(keys.is_ok()) << keys.status().message();
  JwtVerifier verifier(keys.value(), JwtOptions{});
  EXPECT_EQ(outcome(verifier.verify(token(keys_->k1), kNow)), "user=alice");

  server_->serve("jwks.json", key_set({&keys_->k2}));
  EXPECT_EQ(outcome(verifier.verify(token(keys_->k2), kNow)), "user=alice");  // refetched
  EXPECT_EQ(keys.value()->fetch_count(), 2u);

  // Another unknown kid 5 s later: refused without asking the server (which has it now).
  server_->serve("jwks.json", key_set({&keys_->k2, &keys_->k3}));
  clock_.advance(5);
  EXPECT_EQ(outcome(verifier.verify(token(keys_->k3), kNow)), "unknown_key");
  EXPECT_EQ(outcome(verifier.verify(token(keys_->k1), kNow)), "unknown_key");  // k1 left the set
  EXPECT_EQ(keys.value()->fetch_count(), 2u);

  // Past the interval the next unknown kid fetches again.
  clock_.advance(6);
  EXPECT_EQ(outcome(verifier.verify(token(keys_->k3), kNow)), "user=alice");
  EXPECT_EQ(keys.value()->fetch_count(), 3u);
  // A known kid never fetches.
  EXPECT_EQ(outcome(verifier.verify(token(keys_->k2), kNow)), "user=alice");
  EXPECT_EQ(keys.value()->fetch_count(), 3u);
}

TEST_F(JwksOverHttps, TheCachedKeysKeepServingWhenTheServerIsGone) {
  auto keys = cache();
  ASSERT_TRUE(keys.is_ok()) << keys.status().message();
  JwtVerifier verifier(keys.value(), JwtOptions{});
  server_->stop();
  EXPECT_EQ(outcome(verifier.verify(token(keys_->k1), kNow)), "user=alice");
  EXPECT_EQ(outcome(verifier.verify(token(keys_->k2), kNow)), "unknown_key");  // the refetch fails
  EXPECT_EQ(keys.value()->fetch_count(), 2u);
  ASSERT_TRUE(keys.value()->last_error().has_value());
  EXPECT_THAT(*keys.value()->last_error(), StartsWith("key set " + fetch_options().uri + ": "));
  EXPECT_EQ(outcome(verifier.verify(token(keys_->k1), kNow)), "user=alice");
}

TEST_F(JwksOverHttps, AServerTheConfiguredCaDoesNotVouchForIsRefused) {
  JwksHttpsOptions fetch = fetch_options();
  fetch.ca_file = pki_->other_root_ca;
  StatusOr<std::string> body = fetch_jwks_https(fetch);
  ASSERT_FALSE(body.is_ok());
  EXPECT_THAT(body.status().message(), StartsWith("key set " + fetch.uri + ": SSL certificate problem"));

  config::ConfigResult config = config::load_config({{"WEFTKIT_AUTH", "jwt"},
                                                     {"WEFTKIT_JWT_JWKS_URI", fetch.uri},
                                                     {"WEFTKIT_JWT_CA", pki_->other_root_ca}});
  ASSERT_TRUE(config.ok()) << config.errors[0];
  auto verifier = jwt_verifier_from_config(config.config->auth, {});
  ASSERT_FALSE(verifier.is_ok());
  EXPECT_THAT(verifier.status().message(), HasSubstr("SSL certificate problem"));
}

TEST_F(JwksOverHttps, TheServerNameMustMatchTheCertificate) {
  // The certificate names 127.0.0.1 and localhost; "127.0.0.2" also reaches the server (all of
  // 127/8 is loopback) but is not a name the certificate holds.
  JwksHttpsOptions fetch = fetch_options();
  fetch.uri = "https://127.0.0.2:" + std::to_string(server_->port()) + "/jwks.json";
  StatusOr<std::string> body = fetch_jwks_https(fetch);
  ASSERT_FALSE(body.is_ok());
  EXPECT_THAT(body.status().message(), HasSubstr("127.0.0.2"));
}

TEST_F(JwksOverHttps, OversizedAndInvalidBodiesAreRefusedAndTheOldKeysKept) {
  auto keys = cache();
  ASSERT_TRUE(keys.is_ok()) << keys.status().message();
  JwtVerifier verifier(keys.value(), JwtOptions{});

  server_->serve("jwks.json", std::string(1024 * 1024 + 1, ' ') + key_set({&keys_->k2}));
  EXPECT_EQ(outcome(verifier.verify(token(keys_->k2), kNow)), "unknown_key");
  ASSERT_TRUE(keys.value()->last_error().has_value());
  EXPECT_THAT(*keys.value()->last_error(), HasSubstr("the response is larger than 1048576 bytes"));
  EXPECT_EQ(outcome(verifier.verify(token(keys_->k1), kNow)), "user=alice");

  clock_.advance(11);
  server_->serve("jwks.json", "{\"keys\":[" + keys_->k2.public_jwk + "]");  // truncated JSON
  EXPECT_EQ(outcome(verifier.verify(token(keys_->k2), kNow)), "unknown_key");
  ASSERT_TRUE(keys.value()->last_error().has_value());
  EXPECT_THAT(*keys.value()->last_error(), StartsWith("key set: "));
  EXPECT_EQ(outcome(verifier.verify(token(keys_->k1), kNow)), "user=alice");
  EXPECT_EQ(keys.value()->fetch_count(), 3u);

  // And a first fetch of such a body is an error, not an empty set.
  EXPECT_FALSE(cache().is_ok());
}

TEST_F(JwksOverHttps, AnErrorPageIsNotAKeySet) {
  // s_server answers a missing file with "200 ok" and an error text: the parser must refuse it.
  JwksHttpsOptions fetch = fetch_options();
  fetch.uri = server_->url("missing.json");
  auto keys = RefreshingKeySet::create([fetch] { return fetch_jwks_https(fetch); },
                                      RefreshingKeySetOptions{.source = fetch.uri});
  ASSERT_FALSE(keys.is_ok());
  EXPECT_THAT(keys.status().message(), StartsWith("key set " + fetch.uri + ": "));
}

TEST_F(JwksOverHttps, ATls12ServerIsAccepted) {
  HttpsFileServer tls12(pki_->directory + "/www-tls12", pki_->server_certificate, pki_->server_key, {"-tls1_2"});
  ASSERT_TRUE(tls12.ready()) << tls12.log();
  tls12.serve("jwks.json", key_set({&keys_->k1}));
  StatusOr<std::string> body = fetch_jwks_https(JwksHttpsOptions{.uri = tls12.url("jwks.json"), .ca_file = pki_->root_ca});
  ASSERT_TRUE(body.is_ok()) << body.status().message();
  EXPECT_EQ(body.value(), key_set({&keys_->k1}));
}

TEST(JwksHttpsFetch, ASilentServerTimesOut) {
  // A listening socket nobody accepts on: the connection completes (the kernel's backlog) and
  // the TLS handshake never does.
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  ASSERT_EQ(listen(fd, 4), 0);
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length), 0);
  const std::string uri = "https://127.0.0.1:" + std::to_string(ntohs(address.sin_port)) + "/jwks.json";
  const auto start = std::chrono::steady_clock::now();
  StatusOr<std::string> body = fetch_jwks_https(JwksHttpsOptions{.uri = uri, .timeout = std::chrono::milliseconds(300)});
  const auto took = std::chrono::steady_clock::now() - start;
  close(fd);
  ASSERT_FALSE(body.is_ok());
  EXPECT_THAT(body.status().message(), HasSubstr("imed out"));
  EXPECT_LT(took, std::chrono::seconds(3));
}

TEST(JwksHttpsFetch, OnlyHttpsIsFetchedAndUserinfoIsNeverShown) {
  StatusOr<std::string> body = fetch_jwks_https(JwksHttpsOptions{.uri = "http://127.0.0.1:1/jwks.json"});
  ASSERT_FALSE(body.is_ok());
  EXPECT_EQ(body.status().message(), "key set http://127.0.0.1:1/jwks.json: only https:// key sets are fetched");
  EXPECT_EQ(uri_for_messages("https://user:secret@idp.example/jwks.json"), "https://idp.example/jwks.json");
  EXPECT_EQ(uri_for_messages("https://idp.example/a@b"), "https://idp.example/a@b");
  body = fetch_jwks_https(JwksHttpsOptions{.uri = "https://user:secret@127.0.0.1:1/jwks.json"});
  ASSERT_FALSE(body.is_ok());
  EXPECT_THAT(body.status().message(), ::testing::Not(HasSubstr("secret")));
}

TEST_F(JwksOverHttps, VerifyingThreadsKeepGoingWhileOneRefetches) {
  auto keys = cache();
  ASSERT_TRUE(keys.is_ok()) << keys.status().message();
  JwtVerifier verifier(keys.value(), JwtOptions{});
  server_->serve("jwks.json", key_set({&keys_->k1, &keys_->k2}));
  const std::string old_token = token(keys_->k1), new_token = token(keys_->k2);
  std::atomic<int> refused{0};
  std::vector<std::thread> readers;
  for (int i = 0; i < 3; ++i) {
    readers.emplace_back([&] {
      for (int n = 0; n < 200; ++n) refused += verifier.verify(old_token, kNow).ok() ? 0 : 1;
    });
  }
  EXPECT_EQ(outcome(verifier.verify(new_token, kNow)), "user=alice");
  for (std::thread& reader : readers) reader.join();
  EXPECT_EQ(refused.load(), 0);
  EXPECT_EQ(keys.value()->fetch_count(), 2u);
}

}  // namespace
}  // namespace weftkit::auth
