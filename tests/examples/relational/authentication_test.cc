// Logins as WEFTKIT_AUTH says: passwords (SCRAM-SHA-256 or cleartext), TLS, client
// certificates and JWTs, and a configuration that cannot work refused before serving.
#include <gtest/gtest.h>

#include <filesystem>

#include <signal.h>

#include <ctime>
#include <thread>

#include "relational_test_support.h"
#include "tests/examples/engine_test_support.h"

namespace relational_test {
namespace {

class RelationalAuthentication : public ::testing::Test {
 protected:
  void SetUp() override { workspace_ = make_workspace(dir_); }
  TempDir dir_;
  Workspace workspace_;
  EngineProcess engine_;
};

TEST_F(RelationalAuthentication, WrongPasswordIsRefusedWithPsqlShowingTheError) {
  ASSERT_TRUE(engine_.start(engine_arguments(workspace_), password_environment(workspace_), dir_.file("engine.log")));
  for (const char* user : {"alice", "bob", "nobody"}) {  // SCRAM, cleartext, unknown
    CommandResult refused = psql(conninfo(engine_.port(), user, "not-the-password"), {"SELECT 1"});
    EXPECT_EQ(refused.exit_code, 2) << refused.output;
    EXPECT_NE(refused.output.find(std::string("password authentication failed for user \"") + user + "\""),
              std::string::npos)
        << refused.output;
  }
  CommandResult accepted = psql(conninfo(engine_.port(), "alice", kAlicePassword), {"SELECT 1"});
  EXPECT_EQ(accepted.output, "1\n");
}

TEST_F(RelationalAuthentication, CleartextPasswordsNeedTlsWithoutTheDevelopmentFlag) {
  ASSERT_TRUE(engine_.start(engine_arguments(workspace_, /*dev_cleartext=*/false), password_environment(workspace_),
                            dir_.file("engine.log")));
  CommandResult bob = psql(conninfo(engine_.port(), "bob", kBobPassword), {"SELECT 1"});
  EXPECT_NE(bob.exit_code, 0);
  EXPECT_NE(bob.output.find("requires an SSL connection"), std::string::npos) << bob.output;
  // SCRAM never shows the password, so it is fine in the clear.
  CommandResult alice = psql(conninfo(engine_.port(), "alice", kAlicePassword), {"SELECT 1"});
  EXPECT_EQ(alice.output, "1\n");
}

TEST_F(RelationalAuthentication, DevelopmentFlagIsRefusedOnANonLoopbackAddress) {
  CommandResult refused = run_command({WEFTKIT_RELATIONAL_ENGINE, "--listen", "0.0.0.0:0", "--policy", workspace_.roles,
                                       "--policy", workspace_.policies, "--dev-allow-cleartext-without-tls"},
                                      password_environment(workspace_));
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.output.find("loopback"), std::string::npos) << refused.output;
}

TEST_F(RelationalAuthentication, BadConfigurationExitsNonZeroWithEveryError) {
  Environment environment = {{"WEFTKIT_AUTH", "passwrd"}, {"WEFTKIT_ENCRYPTION", "rot13"}, {"WEFTKIT_DATA_DIR", workspace_.data_dir}};
  CommandResult refused = run_command({WEFTKIT_RELATIONAL_ENGINE, "--listen", "127.0.0.1:0", "--policy", workspace_.roles,
                                       "--bogus-flag"},
                                      environment);
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.output.find("WEFTKIT_AUTH"), std::string::npos) << refused.output;
  EXPECT_NE(refused.output.find("WEFTKIT_ENCRYPTION"), std::string::npos) << refused.output;
  EXPECT_NE(refused.output.find("--bogus-flag"), std::string::npos) << refused.output;
}

TEST_F(RelationalAuthentication, TlsServesScramWithChannelBindingAndCleartextPasswords) {
  std::optional<TestPki> pki = make_test_pki(dir_, {});
  ASSERT_TRUE(pki);
  Environment environment = password_environment(workspace_);
  environment["WEFTKIT_TLS_CERT"] = pki->server_cert;
  environment["WEFTKIT_TLS_KEY"] = pki->server_key;
  ASSERT_TRUE(engine_.start(engine_arguments(workspace_, false), environment, dir_.file("engine.log"))) << engine_.log();
  const std::string tls = "sslmode=verify-full sslrootcert=" + pki->ca_cert;
  CommandResult alice = psql(conninfo(engine_.port(), "alice", kAlicePassword, tls + " channel_binding=require"),
                             {"SELECT current_user"});
  EXPECT_EQ(alice.output, "alice\n");
  CommandResult bob = psql(conninfo(engine_.port(), "bob", kBobPassword, tls), {"SELECT current_user"});
  EXPECT_EQ(bob.output, "bob\n");
  // A client may decline TLS; then the cleartext password is not asked for.
  CommandResult plain = psql(conninfo(engine_.port(), "bob", kBobPassword, "sslmode=disable"), {"SELECT 1"});
  EXPECT_NE(plain.output.find("requires an SSL connection"), std::string::npos) << plain.output;
  // Garbage instead of a TLS ClientHello after 'S': that connection is dropped, nothing else.
  const int fd = connect_loopback(engine_.port());
  const std::string ssl_request("\0\0\0\x08\x04\xd2\x16\x2f", 8);
  ASSERT_TRUE(send_bytes(fd, ssl_request + "this is not a TLS handshake at all, not even close....."));
  EXPECT_EQ(receive_for(fd, std::chrono::milliseconds(3000)).substr(0, 1), "S");
  ::close(fd);
  EXPECT_EQ(psql(conninfo(engine_.port(), "alice", kAlicePassword, tls), {"SELECT 2"}).output, "2\n");
}

TEST_F(RelationalAuthentication, MtlsLogsInWithTheClientCertificateOfItsTenant) {
  std::optional<TestPki> pki = make_test_pki(dir_, {{"alice", "tenant-001"}, {"bob", "tenant-001"}});
  ASSERT_TRUE(pki);
  Environment environment = {{"WEFTKIT_AUTH", "mtls"},           {"WEFTKIT_MTLS_CA", pki->ca_cert},
                             {"WEFTKIT_TLS_CERT", pki->server_cert}, {"WEFTKIT_TLS_KEY", pki->server_key},
                             {"WEFTKIT_TLS_CA", pki->ca_cert},   {"WEFTKIT_DATA_DIR", workspace_.data_dir},
                             {"WEFTKIT_AUDIT", "true"},          {"WEFTKIT_AUDIT_OUTPUT", dir_.file("audit.jsonl")}};
  ASSERT_TRUE(engine_.start(engine_arguments(workspace_, false), environment, dir_.file("engine.log"))) << engine_.log();
  auto with_certificate = [&](const std::string& user, const std::string& certificate_of) {
    return "host=localhost port=" + std::to_string(engine_.port()) + " user=" + user +
           " dbname=default sslmode=verify-full sslrootcert=" + pki->ca_cert + " sslcert=" + pki->client_cert(certificate_of) +
           " sslkey=" + pki->client_key(certificate_of);
  };
  CommandResult alice = psql(with_certificate("alice", "alice"), {"SELECT current_user, current_setting('app.tenant_id')"});
  EXPECT_EQ(alice.output, "alice|tenant-001\n");
  // bob's certificate names tenant-001, which roles.yaml does not give bob.
  CommandResult bob = psql(with_certificate("bob", "bob"), {"SELECT 1"});
  EXPECT_NE(bob.exit_code, 0);
  EXPECT_NE(bob.output.find("authentication failed"), std::string::npos) << bob.output;
  // alice's certificate does not make its holder bob.
  CommandResult impostor = psql(with_certificate("bob", "alice"), {"SELECT 1"});
  EXPECT_NE(impostor.exit_code, 0);
  // A certificate of another CA, naming alice of tenant-001, is refused in the handshake.
  std::filesystem::create_directories(dir_.file("other-ca"));
  weftkit::testing::TestPki other = weftkit::testing::TestPki::make(dir_.file("other-ca"));
  auto [stranger_certificate, stranger_key] = other.client("alice", "tenant-001");
  CommandResult stranger = psql("host=localhost port=" + std::to_string(engine_.port()) +
                                    " user=alice dbname=default sslmode=verify-full sslrootcert=" + pki->ca_cert +
                                    " sslcert=" + stranger_certificate + " sslkey=" + stranger_key,
                                {"SELECT current_user"});
  EXPECT_NE(stranger.exit_code, 0);
  EXPECT_EQ(stranger.output.find("alice"), std::string::npos) << stranger.output;
  EXPECT_NE(stranger.output.find("SSL"), std::string::npos) << stranger.output;
  // Refused inside the handshake, before any login: the engine records it itself.
  engine_.stop();
  EXPECT_NE(read_file(dir_.file("audit.jsonl")).find("TLS handshake refused"), std::string::npos)
      << read_file(dir_.file("audit.jsonl"));
}

using weftkit::testing::hs256_token;  // tests/examples/engine_test_support.h

TEST_F(RelationalAuthentication, JwtIsAcceptedAsThePasswordAndAForgedOrExpiredOneIsNot) {
  const std::string secret = "a-test-secret-of-at-least-32-bytes-long";
  Environment environment = {{"WEFTKIT_AUTH", "jwt"}, {"WEFTKIT_JWT_SECRET", secret}, {"WEFTKIT_DATA_DIR", workspace_.data_dir}};
  ASSERT_TRUE(engine_.start(engine_arguments(workspace_), environment, dir_.file("engine.log"))) << engine_.log();
  const long now = static_cast<long>(time(nullptr));
  const std::string claims = R"({"sub":"bob","tenant_id":"tenant-002","exp":)" + std::to_string(now + 600) + "}";
  const std::string token = hs256_token(secret, claims);
  ASSERT_FALSE(token.empty());
  CommandResult bob = psql(conninfo(engine_.port(), "bob", token), {"SELECT current_user, current_setting('app.tenant_id')"});
  EXPECT_EQ(bob.output, "bob|tenant-002\n");
  const std::string forged = hs256_token("another-secret-of-at-least-32-bytes-long", claims);
  CommandResult refused = psql(conninfo(engine_.port(), "bob", forged), {"SELECT 1"});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.output.find("authentication failed"), std::string::npos) << refused.output;
  CommandResult other_user = psql(conninfo(engine_.port(), "alice", token), {"SELECT 1"});
  EXPECT_NE(other_user.exit_code, 0) << other_user.output;
  // A token that expired an hour ago (beyond the default 60 s leeway).
  const std::string expired = hs256_token(
      secret, R"({"sub":"bob","tenant_id":"tenant-002","exp":)" + std::to_string(now - 3600) + "}");
  CommandResult late = psql(conninfo(engine_.port(), "bob", expired), {"SELECT 1"});
  EXPECT_NE(late.exit_code, 0);
  EXPECT_NE(late.output.find("authentication failed"), std::string::npos) << late.output;
}

TEST_F(RelationalAuthentication, SighupReloadsTheUsersFileAndABrokenOneKeepsTheOld) {
  ASSERT_TRUE(engine_.start(engine_arguments(workspace_), password_environment(workspace_), dir_.file("engine.log")));
  // bob's line replaced by one for a new password.
  const std::string users = read_file(workspace_.users);
  const size_t bob = users.find("bob:");
  const std::string new_line = run_command({"htpasswd", "-nbB", "bob", "bob-new-password"}).output;
  const std::string changed =
      users.substr(0, bob) + new_line.substr(0, new_line.find('\n')) + users.substr(users.find('\n', bob));
  write_file(workspace_.users, changed);
  ::kill(engine_.pid(), SIGHUP);
  std::string output;
  for (int attempt = 0; attempt < 25 && output != "1\n"; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    output = psql(conninfo(engine_.port(), "bob", "bob-new-password"), {"SELECT 1"}).output;
  }
  EXPECT_EQ(output, "1\n") << engine_.log();
  EXPECT_NE(psql(conninfo(engine_.port(), "bob", kBobPassword), {"SELECT 1"}).exit_code, 0);
  write_file(workspace_.users, "bob:not-a-hash\n");
  ::kill(engine_.pid(), SIGHUP);
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  EXPECT_NE(engine_.log().find("users file not reloaded"), std::string::npos) << engine_.log();
  EXPECT_EQ(psql(conninfo(engine_.port(), "bob", "bob-new-password"), {"SELECT 1"}).output, "1\n");
}

}  // namespace
}  // namespace relational_test
