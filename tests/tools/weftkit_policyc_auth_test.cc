// weftkit-policyc auth: the real binary, in a cleared environment (env -i) holding only the
// test's variables, checking credentials made at test time by the real tools: htpasswd and
// mkpasswd hashes, OpenSSL keys signing tokens, and an openssl-made PKI.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <ctime>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "tests/auth/jwt_test_keys.h"
#include "tests/auth/test_pki.h"
#include "tests/auth/tool_output.h"
#include "tests/tools/cli_fixture.h"
#include "tests/tools/run_process.h"

namespace weftkit::policy::testing {
namespace {

using weftkit::auth::testing::htpasswd_line;
using weftkit::auth::testing::mkpasswd_hash;
using weftkit::auth::testing::TestKey;
using weftkit::auth::testing::TestPki;

constexpr int64_t kNow = 1'800'000'000;

const char* const kRoles =
    "roles:\n"
    "  - name: reader\n"
    "    allow: [SELECT]\n"
    "  - name: writer\n"
    "    allow: [INSERT]\n"
    "users:\n"
    "  - name: alice\n"
    "    roles: [reader]\n"
    "    tenant: acme\n"
    "    tenants: [beta]\n"
    "  - name: a@example.com\n"
    "    roles: [writer]\n"
    "    tenant: acme\n";

class CliAuth : public CliFixture {
 protected:
  // weftkit-policyc auth ARGUMENTS, with only `variables` in the environment and `input` on stdin.
  ProcessResult auth(const std::vector<std::string>& arguments, const std::string& input = "",
                     const std::vector<std::string>& variables = {}) const {
    std::vector<std::string> command = {"-i"};
    command.insert(command.end(), variables.begin(), variables.end());
    command.push_back(WEFTKIT_POLICYC_PATH);
    command.push_back("auth");
    command.insert(command.end(), arguments.begin(), arguments.end());
    return run_process("/usr/bin/env", command, path(""), input);
  }

  // The one JSON object of stdout (a single line), or a test failure.
  static nlohmann::json json_of(const ProcessResult& result) {
    EXPECT_EQ(lines_of(result.out).size(), 1u) << result.out;
    EXPECT_TRUE(result.out.ends_with("}\n")) << result.out;
    return nlohmann::json::parse(result.out, nullptr, false);
  }
  static nlohmann::json identity(const std::string& user, const nlohmann::json& tenant,
                                 const std::vector<std::string>& roles, const std::string& method) {
    return {{"user", user}, {"tenant", tenant}, {"roles", roles}, {"auth_method", method}};
  }
  static void expect_refused(const ProcessResult& result, const std::string& reason) {
    EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
    nlohmann::json out = json_of(result);
    ASSERT_TRUE(out.is_object()) << result.out;
    EXPECT_EQ(out.size(), 2u) << result.out;
    EXPECT_EQ(out["error"], reason) << result.out;
    EXPECT_TRUE(out["message"].is_string() && !out["message"].get<std::string>().empty()) << result.out;
  }
  static void expect_usage(const ProcessResult& result, const std::string& message) {
    EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
    EXPECT_EQ(result.out, "");
    EXPECT_EQ(first_line(result.err), "weftkit-policyc: error: " + message) << result.err;
    EXPECT_NE(result.err.find("usage: weftkit-policyc auth"), std::string::npos) << result.err;
  }
  static void expect_not_shown(const ProcessResult& result, const std::string& secret) {
    ASSERT_FALSE(secret.empty()) << "an empty secret is found everywhere";
    EXPECT_EQ(result.out.find(secret), std::string::npos) << "a secret reached stdout: " << result.out;
    EXPECT_EQ(result.err.find(secret), std::string::npos) << "a secret reached stderr: " << result.err;
  }
};

// ---- auth hash --scram

TEST_F(CliAuth, HashScramPrintsAVerifierWithARandomSaltThatLogsIn) {
  const std::string password = "correct horse battery";
  ProcessResult first = auth({"hash", "--scram"}, password + "\n");
  ProcessResult second = auth({"hash", "--scram"}, password + "\n");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.err, "");
  const std::regex verifier(R"(SCRAM-SHA-256\$4096:[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=:[A-Za-z0-9+/]{43}=\n)");
  EXPECT_TRUE(std::regex_match(first.out, verifier)) << first.out;
  EXPECT_TRUE(std::regex_match(second.out, verifier)) << second.out;
  EXPECT_NE(first.out, second.out) << "the salt is not random";
  expect_not_shown(first, password);

  write("users", "carol:" + first.out);
  ProcessResult login = auth({"password", "--users-file", "users", "--login", "carol"}, password + "\n");
  EXPECT_EQ(login.exit_code, 0) << login.out << login.err;
  EXPECT_EQ(json_of(login), identity("carol", nullptr, {}, "password"));
  expect_refused(auth({"password", "--users-file", "users", "--login", "carol"}, "wrong\n"), "bad_credentials");
}

TEST_F(CliAuth, HashScramTakesIterations) {
  ProcessResult result = auth({"hash", "--scram", "--iterations=5000"}, "pw\n");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(result.out.starts_with("SCRAM-SHA-256$5000:")) << result.out;
  expect_usage(auth({"hash", "--scram", "--iterations", "0"}, "pw\n"),
               "option '--iterations' takes a whole number from 1 to 2147483647, not '0'");
  expect_usage(auth({"hash", "--scram", "--iterations"}, "pw\n"), "option '--iterations' needs a value");
}

TEST_F(CliAuth, HashUsageErrors) {
  expect_usage(auth({"hash", "--scram"}), "'auth hash' reads the password on stdin; none was given");
  expect_usage(auth({"hash"}, "pw\n"), "'auth hash' needs --scram (the only verifier it makes)");
  expect_usage(auth({"hash", "--md5"}, "pw\n"), "unknown option '--md5' for 'auth hash'");
  expect_usage(auth({}), "'auth' needs a subcommand: hash, password, jwt or cert");
  expect_usage(auth({"kerberos"}), "unknown auth subcommand 'kerberos' (expected hash, password, jwt or cert)");
}

// ---- auth password

class CliAuthPassword : public CliAuth {
 protected:
  void SetUp() override {
    write("roles.yaml", kRoles);
    write("users", htpasswd_line({"-B", "-C", "10"}, "alice", kAlicePassword) + "\n" + "bob:" +
                       mkpasswd_hash("yescrypt", kBobPassword) + "\n" +
                       htpasswd_line({"-B", "-C", "10"}, "a@example.com", kMailPassword) + "\n");
  }
  ProcessResult login(const std::string& name, const std::string& password,
                      const std::vector<std::string>& variables = {}) const {
    ProcessResult result =
        auth({"password", "roles.yaml", "--users-file", "users", "--login", name}, password + "\n", variables);
    expect_not_shown(result, password);
    return result;
  }
  static constexpr const char* kAlicePassword = "alice-Secret-91";
  static constexpr const char* kBobPassword = "bob-Secret-17";
  static constexpr const char* kMailPassword = "mail-Secret-33";
};

TEST_F(CliAuthPassword, HtpasswdAndMkpasswdHashesLogIn) {
  ProcessResult alice = login("alice", kAlicePassword);
  EXPECT_EQ(alice.exit_code, 0) << alice.err;
  EXPECT_EQ(json_of(alice), identity("alice", "acme", {"reader"}, "password"));
  ProcessResult bob = login("bob", kBobPassword);
  EXPECT_EQ(bob.exit_code, 0) << bob.err;
  EXPECT_EQ(json_of(bob), identity("bob", nullptr, {}, "password"));
  EXPECT_EQ(bob.err, "");
}

TEST_F(CliAuthPassword, WrongPasswordAndUnknownUserAreBadCredentials) {
  ProcessResult wrong = login("alice", "alice-Secret-92");
  expect_refused(wrong, "bad_credentials");
  EXPECT_EQ(json_of(wrong)["message"], "authentication failed for user \"alice\"");
  expect_refused(login("mallory", kAlicePassword), "bad_credentials");
  // The password of another user is still a wrong password.
  expect_refused(login("alice", kBobPassword), "bad_credentials");
}

TEST_F(CliAuthPassword, TenantIsTheDefaultOrAListedOne) {
  ProcessResult listed = login("alice@beta", kAlicePassword);
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_EQ(json_of(listed), identity("alice", "beta", {"reader"}, "password"));
  ProcessResult default_tenant = login("alice@acme", kAlicePassword);
  EXPECT_EQ(json_of(default_tenant), identity("alice", "acme", {"reader"}, "password"));
  ProcessResult other = login("alice@gamma", kAlicePassword);
  expect_refused(other, "tenant_not_allowed");
  EXPECT_EQ(json_of(other)["message"], "user \"alice\" may not connect to tenant \"gamma\"");
  // A wrong password says bad_credentials whatever the tenant.
  expect_refused(login("alice@gamma", "nope"), "bad_credentials");
  // Without roles files nobody has a tenant to name.
  ProcessResult no_roles =
      auth({"password", "--users-file", "users", "--login", "alice@beta"}, std::string(kAlicePassword) + "\n");
  expect_refused(no_roles, "tenant_not_allowed");
}

TEST_F(CliAuthPassword, LoginIsSplitOnTheLastAt) {
  ProcessResult mail = login("a@example.com@acme", kMailPassword);
  EXPECT_EQ(mail.exit_code, 0) << mail.err;
  EXPECT_EQ(json_of(mail), identity("a@example.com", "acme", {"writer"}, "password"));
  expect_refused(login("alice@", kAlicePassword), "malformed");
}

TEST_F(CliAuthPassword, UsersFileComesFromTheEnvironment) {
  ProcessResult result = auth({"password", "roles.yaml", "--login", "alice"}, std::string(kAlicePassword) + "\n",
                              {"WEFTKIT_AUTH_USERS_FILE=" + path("users")});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(json_of(result), identity("alice", "acme", {"reader"}, "password"));
  EXPECT_EQ(result.err, "") << "WEFTKIT_AUTH_USERS_FILE is used here, so no 'set but not used' warning";
  // The command line wins over the environment.
  ProcessResult overridden =
      auth({"password", "--users-file", "users", "--login", "alice"}, std::string(kAlicePassword) + "\n",
           {"WEFTKIT_AUTH_USERS_FILE=/nonexistent/users"});
  EXPECT_EQ(overridden.exit_code, 0) << overridden.err;
}

TEST_F(CliAuthPassword, BadConfigurationIsReportedAsConfigDoes) {
  ProcessResult result = auth({"password", "--users-file", "users", "--login", "alice"},
                              std::string(kAlicePassword) + "\n", {"WEFTKIT_AUTH_USER_FILE=users"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err,
            "weftkit-policyc: error: WEFTKIT_AUTH_USER_FILE is not a WeftKit variable (did you mean "
            "WEFTKIT_AUTH_USERS_FILE?)\n");
}

TEST_F(CliAuthPassword, RolesFileErrorsAreReportedWithTheirPosition) {
  write("bad.yaml", "users:\n  - name: alice\n    tenants: [beta, beta]\n");
  ProcessResult result = auth({"password", "bad.yaml", "--users-file", "users", "--login", "alice"},
                              std::string(kAlicePassword) + "\n");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(first_line(result.err), "bad.yaml:3:21: error: tenant 'beta' appears twice in 'tenants'") << result.err;
}

TEST_F(CliAuthPassword, FilesThatDoNotLoadAreReportedOnStderr) {
  ProcessResult missing = auth({"password", "--users-file", "absent", "--login", "alice"}, "pw-123\n");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(missing.out, "");
  EXPECT_NE(missing.err.find("absent"), std::string::npos) << missing.err;
  // A users file with a refused scheme is refused whole, without quoting its hash.
  const std::string weak = weftkit::auth::testing::openssl_passwd("-apr1", "weak-Secret-5");
  write("weak", "carol:" + weak + "\n");
  ProcessResult refused = auth({"password", "--users-file", "weak", "--login", "carol"}, "weak-Secret-5\n");
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_EQ(refused.out, "");
  expect_not_shown(refused, weak);
  expect_not_shown(refused, "weak-Secret-5");
}

TEST_F(CliAuthPassword, UsageErrors) {
  expect_usage(auth({"password", "--users-file", "users", "--login", "alice"}),
               "'auth password' reads the password on stdin; none was given");
  expect_usage(auth({"password", "--users-file", "users", "--login"}, "x\n"), "option '--login' needs a value");
  expect_usage(auth({"password", "--users-file", "users"}, "x\n"), "'auth password' needs --login NAME");
  expect_usage(auth({"password", "--login", "alice"}, "x\n"),
               "'auth password' needs --users-file F (or WEFTKIT_AUTH_USERS_FILE)");
  expect_usage(auth({"password", "--users-file", "users", "--login", "alice", "--pasword", "x"}, "x\n"),
               "unknown option '--pasword' for 'auth password'");
  // A password given as an argument is refused without being echoed.
  ProcessResult argument = auth({"password", "--users-file", "users", "--login", "alice", kAlicePassword}, "");
  expect_usage(argument,
               "'auth password' takes only roles files (.yaml, .yml) besides its options; the password is read on stdin");
  expect_not_shown(argument, kAlicePassword);
}

// ---- auth jwt

class CliAuthJwt : public CliAuth {
 protected:
  static void SetUpTestSuite() {
    key_ = std::make_unique<TestKey>(weftkit::auth::testing::make_rsa_key("rsa-1", 2048, "RS256"));
    stranger_ = std::make_unique<TestKey>(weftkit::auth::testing::make_rsa_key("rsa-1", 2048, "RS256"));
  }
  static void TearDownTestSuite() {
    key_.reset();
    stranger_.reset();
  }
  void SetUp() override {
    write("roles.yaml", kRoles);
    write("jwks.json", "{\"keys\":[" + key_->public_jwk + "]}");
  }
  static std::string claims(const std::string& extra = ",\"tenant_id\":\"acme\",\"roles\":[\"writer\"]") {
    return "{\"sub\":\"alice\",\"iss\":\"https://issuer.example\",\"aud\":\"weftkit\",\"iat\":" +
           std::to_string(kNow - 10) + ",\"exp\":" + std::to_string(kNow + 300) + extra + "}";
  }
  static std::string token(const std::string& payload = claims(), const std::string& kid = "rsa-1",
                           const TestKey* key = nullptr) {
    return weftkit::auth::testing::sign_token(key ? *key : *key_, "RS256",
                                              "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}", payload);
  }
  ProcessResult verify(const std::string& jwt, std::vector<std::string> options = {},
                       const std::vector<std::string>& variables = {}) const {
    std::vector<std::string> arguments = {"jwt", "roles.yaml", "--jwks", "jwks.json", "--now", std::to_string(kNow)};
    arguments.insert(arguments.end(), options.begin(), options.end());
    arguments.push_back(jwt);
    ProcessResult result = auth(arguments, "", variables);
    // The signature is the part that would let anyone replay the token.
    expect_not_shown(result, jwt.substr(jwt.rfind('.') + 1));
    return result;
  }
  static std::unique_ptr<TestKey> key_;
  static std::unique_ptr<TestKey> stranger_;  // same kid, another key
};
std::unique_ptr<TestKey> CliAuthJwt::key_;
std::unique_ptr<TestKey> CliAuthJwt::stranger_;

TEST_F(CliAuthJwt, GoodTokenGivesItsIdentity) {
  ProcessResult result = verify(token(), {"--issuer", "https://issuer.example", "--audience", "weftkit"});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_EQ(json_of(result), identity("alice", "acme", {"reader", "writer"}, "jwt"));
  EXPECT_EQ(result.err, "");
  // Without tenant_id the user's default tenant applies.
  ProcessResult no_tenant = verify(token(claims(",\"roles\":[]")));
  EXPECT_EQ(json_of(no_tenant), identity("alice", "acme", {"reader"}, "jwt"));
}

TEST_F(CliAuthJwt, TenantIdMustBeOneOfTheTenantsRolesYamlGivesTheUser) {
  ProcessResult listed = verify(token(claims(",\"tenant_id\":\"beta\",\"roles\":[]")));
  EXPECT_EQ(listed.exit_code, 0) << listed.out << listed.err;
  EXPECT_EQ(json_of(listed), identity("alice", "beta", {"reader"}, "jwt"));
  ProcessResult other = verify(token(claims(",\"tenant_id\":\"gamma\",\"roles\":[]")));
  expect_refused(other, "tenant_not_allowed");
  EXPECT_NE(other.out.find("may not connect to tenant \\\"gamma\\\""), std::string::npos) << other.out;
  // Without roles files nobody's tenants are known: the token's tenant is taken as is.
  std::string jwt = token(claims(",\"tenant_id\":\"gamma\",\"roles\":[]"));
  ProcessResult unchecked = auth({"jwt", "--jwks", "jwks.json", "--now", std::to_string(kNow), jwt});
  EXPECT_EQ(json_of(unchecked), identity("alice", "gamma", {}, "jwt"));
}

TEST_F(CliAuthJwt, KeySetAsFileUriOrFromTheEnvironment) {
  std::string jwt = token();
  ProcessResult uri = auth({"jwt", "--jwks", "file://" + path("jwks.json"), "--now", std::to_string(kNow), jwt});
  EXPECT_EQ(uri.exit_code, 0) << uri.out << uri.err;
  EXPECT_EQ(json_of(uri), identity("alice", "acme", {"writer"}, "jwt"));  // no roles files: roles as given
  ProcessResult environment = auth({"jwt", "--now", std::to_string(kNow), jwt}, "",
                                   {"WEFTKIT_JWT_JWKS_URI=file://" + path("jwks.json"),
                                    "WEFTKIT_JWT_ISSUER=https://other.example"});
  expect_refused(environment, "wrong_issuer");
  ProcessResult from_stdin = auth({"jwt", "--jwks", "jwks.json", "--now", std::to_string(kNow), "-"}, jwt + "\n");
  EXPECT_EQ(from_stdin.exit_code, 0) << from_stdin.out << from_stdin.err;
}

TEST_F(CliAuthJwt, RefusalsCarryTheLibrarysReason) {
  expect_refused(verify(token(), {"--now", std::to_string(kNow + 1000)}), "expired");
  expect_refused(verify(token(claims(",\"nbf\":" + std::to_string(kNow + 3600)))), "not_yet_valid");
  expect_refused(verify(token(claims(), "rsa-1", stranger_.get())), "bad_signature");
  expect_refused(verify(token(claims(), "rsa-2")), "unknown_key");
  using weftkit::auth::testing::b64url;
  expect_refused(verify(b64url("{\"alg\":\"none\",\"kid\":\"rsa-1\"}") + "." + b64url(claims()) + ".AAAA"),
                 "algorithm_not_allowed");
  expect_refused(verify("not-a-token"), "malformed");
  expect_refused(verify(token(), {"--audience", "elsewhere"}), "wrong_audience");
  expect_refused(verify(token(claims(",\"roles\":[\"admin\"]"))), "unknown_role");
  expect_refused(verify(token("{\"sub\":\"alice\",\"exp\":" + std::to_string(kNow + 300) + "}"),
                        {"--issuer", "https://issuer.example"}),
                 "missing_claim");
}

// An https:// key set is fetched (the library's tests serve one); one that cannot be fetched
// is a setup error naming the key set, never the token.
TEST_F(CliAuthJwt, HttpsKeySetThatCannotBeFetchedIsASetupErrorNamingIt) {
  const std::string jwt = token();
  ProcessResult result = auth({"jwt", "--jwks", "https://127.0.0.1:1/jwks.json", jwt});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "");
  EXPECT_TRUE(result.err.starts_with("weftkit-policyc: error: the key set: ")) << result.err;
  EXPECT_NE(result.err.find("https://127.0.0.1:1/jwks.json"), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find(jwt), std::string::npos);
}

TEST_F(CliAuthJwt, Hs256SecretComesFromTheEnvironmentAndIsNeverShown) {
  const std::string secret = "an HS256 secret of more than 32 bytes";
  const std::string jwt = weftkit::auth::testing::hs256_token(secret, "{\"alg\":\"HS256\"}", claims());
  ProcessResult accepted = auth({"jwt", "roles.yaml", "--now", std::to_string(kNow), jwt}, "", {"WEFTKIT_JWT_SECRET=" + secret});
  EXPECT_EQ(accepted.exit_code, 0) << accepted.out << accepted.err;
  EXPECT_EQ(json_of(accepted), identity("alice", "acme", {"reader", "writer"}, "jwt"));
  expect_not_shown(accepted, secret);
  ProcessResult wrong = auth({"jwt", "--now", std::to_string(kNow), jwt}, "", {"WEFTKIT_JWT_SECRET=" + secret + "!"});
  expect_refused(wrong, "bad_signature");
  expect_not_shown(wrong, secret);
  ProcessResult short_secret = auth({"jwt", jwt}, "", {"WEFTKIT_JWT_SECRET=short-secret-value"});
  EXPECT_EQ(short_secret.exit_code, 1);
  EXPECT_EQ(short_secret.out, "");
  expect_not_shown(short_secret, "short-secret-value");
}

TEST_F(CliAuthJwt, UsageErrors) {
  expect_usage(auth({"jwt", token()}),
               "'auth jwt' needs --jwks JWKS.json|file://URI (or WEFTKIT_JWT_JWKS_URI or WEFTKIT_JWT_SECRET)");
  expect_usage(auth({"jwt", "--jwks", "jwks.json"}), "'auth jwt' needs TOKEN");
  expect_usage(auth({"jwt", "--jwks", "jwks.json", "--now", "soon", token()}),
               "option '--now' takes Unix seconds (a whole number), not 'soon'");
  ProcessResult two = auth({"jwt", "--jwks", "jwks.json", token(), token()});
  expect_usage(two, "'auth jwt' takes one TOKEN (besides roles files .yaml, .yml)");
  expect_usage(auth({"jwt", "--jwks", "jwks.json", "-"}), "'auth jwt -' reads the token on stdin; none was given");
}

TEST_F(CliAuthJwt, BadJwtConfigurationIsReportedAsConfigDoes) {
  ProcessResult result = auth({"jwt", "--jwks", "jwks.json", token()}, "", {"WEFTKIT_JWT_LEEWAY=soon"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(first_line(result.err).rfind("weftkit-policyc: error: WEFTKIT_JWT_LEEWAY=\"soon\" is not allowed", 0), 0u)
      << result.err;
}

// ---- auth cert

class CliAuthCert : public CliAuth {
 protected:
  static void SetUpTestSuite() { pki_ = std::make_unique<TestPki>(); }
  static void TearDownTestSuite() { pki_.reset(); }
  void SetUp() override { write("roles.yaml", kRoles); }
  ProcessResult verify(const std::string& name, std::vector<std::string> options = {"--crl", pki_->crl}) const {
    std::vector<std::string> arguments = {"cert", "roles.yaml", "--ca", pki_->root_ca};
    arguments.insert(arguments.end(), options.begin(), options.end());
    arguments.push_back(pki_->chain(name));
    ProcessResult result = auth(arguments);
    EXPECT_EQ(result.out.find("PRIVATE KEY"), std::string::npos) << result.out;
    EXPECT_EQ(result.out.find("BEGIN"), std::string::npos) << result.out;
    EXPECT_EQ(result.err.find("BEGIN"), std::string::npos) << result.err;
    return result;
  }
  static std::unique_ptr<TestPki> pki_;
};
std::unique_ptr<TestPki> CliAuthCert::pki_;

TEST_F(CliAuthCert, GoodClientGivesItsIdentity) {
  ProcessResult result = verify("good");
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_EQ(json_of(result), identity("alice", "acme", {"reader"}, "mtls"));
  EXPECT_EQ(result.err, "");
  ProcessResult without_crl = verify("good", {});
  EXPECT_EQ(json_of(without_crl), identity("alice", "acme", {"reader"}, "mtls"));
}

TEST_F(CliAuthCert, RefusalsCarryTheLibrarysReason) {
  expect_refused(verify("revoked"), "revoked");
  EXPECT_EQ(verify("revoked", {}).exit_code, 0) << "without a CRL nothing is revoked";
  expect_refused(verify("expired"), "expired");
  expect_refused(verify("not_yet_valid"), "not_yet_valid");
  expect_refused(verify("wrong_ca"), "untrusted_certificate");
  expect_refused(verify("server_purpose"), "untrusted_certificate");
  expect_refused(verify("no_tenant"), "missing_claim");
  // --now moves the clock: in two years the good certificate (365 days) has expired.
  expect_refused(verify("good", {"--now", std::to_string(std::time(nullptr) + 2 * 365 * 86400)}), "expired");
  write("key.pem", weftkit::auth::testing::read_text(pki_->key("good")));
  ProcessResult key = auth({"cert", "--ca", pki_->root_ca, "key.pem"});
  expect_refused(key, "malformed");
  EXPECT_EQ(key.out.find("PRIVATE"), std::string::npos) << key.out;
}

TEST_F(CliAuthCert, CertificateTenantMustBeOneOfTheTenantsRolesYamlGivesTheUser) {
  // alice's certificate says O=acme.
  write("roles.yaml", "users:\n  - name: alice\n    roles: [read_only]\n    tenant: globex\n    tenants: [acme]\n");
  EXPECT_EQ(json_of(verify("good")), identity("alice", "acme", {"read_only"}, "mtls"));
  write("roles.yaml", "users:\n  - name: alice\n    roles: [read_only]\n    tenant: globex\n");
  expect_refused(verify("good"), "tenant_not_allowed");
}

TEST_F(CliAuthCert, CaAndCrlComeFromTheEnvironment) {
  ProcessResult result =
      auth({"cert", pki_->chain("revoked")}, "", {"WEFTKIT_MTLS_CA=" + pki_->root_ca, "WEFTKIT_MTLS_CRL=" + pki_->crl});
  expect_refused(result, "revoked");
  EXPECT_EQ(result.err, "");
}

TEST_F(CliAuthCert, CaOrChainThatDoesNotLoadIsReportedOnStderr) {
  ProcessResult ca = auth({"cert", "--ca", "absent-ca.pem", pki_->chain("good")});
  EXPECT_EQ(ca.exit_code, 1);
  EXPECT_EQ(ca.out, "");
  EXPECT_NE(ca.err.find("absent-ca.pem"), std::string::npos) << ca.err;
  ProcessResult chain = auth({"cert", "--ca", pki_->root_ca, "absent-chain.pem"});
  EXPECT_EQ(chain.exit_code, 1);
  EXPECT_EQ(chain.out, "");
  EXPECT_EQ(chain.err, "weftkit-policyc: error: cannot read the certificate chain 'absent-chain.pem'\n");
}

TEST_F(CliAuthCert, UsageErrors) {
  expect_usage(auth({"cert", pki_->chain("good")}), "'auth cert' needs --ca CA.pem (or WEFTKIT_MTLS_CA)");
  expect_usage(auth({"cert", "--ca", pki_->root_ca}), "'auth cert' needs CHAIN.pem");
  expect_usage(auth({"cert", "--ca"}), "option '--ca' needs a value");
  expect_usage(auth({"cert", "--ca", pki_->root_ca, "--jwks", "x", pki_->chain("good")}),
               "unknown option '--jwks' for 'auth cert'");
}

}  // namespace
}  // namespace weftkit::policy::testing
