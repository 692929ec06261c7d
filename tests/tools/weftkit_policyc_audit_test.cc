// weftkit-policyc and the audit log: the auth and keys verbs record their events when
// WEFTKIT_AUDIT=true (read back as JSON lines), and `audit verify` on logs the binary itself
// wrote: clean, each kind of tampering, a torn tail, a rotated set, a keyed chain.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "tests/auth/jwt_test_keys.h"
#include "tests/auth/tool_output.h"
#include "tests/tools/cli_fixture.h"
#include "tests/tools/run_process.h"

namespace weftkit::policy::testing {
namespace {

constexpr int64_t kNow = 1'800'000'000;
const std::string kPassword = "audit-test-password-77";
const std::string kJwtSecret = "a-jwt-secret-for-the-audit-tests-0123456789";
const std::string kAuditKey = "an-audit-hmac-key-of-at-least-32-bytes!";
const std::string kMasterKey = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";  // 32 bytes, base64

class CliAudit : public CliFixture {
 protected:
  void SetUp() override {
    write("users", auth::testing::htpasswd_line({"-B", "-C", "4"}, "alice", kPassword) + "\n");
  }
  // weftkit-policyc ARGUMENTS with only `variables` in the environment.
  ProcessResult run(const std::vector<std::string>& arguments, const std::vector<std::string>& variables,
                    const std::string& input = "") const {
    std::vector<std::string> command = {"-i", "USER=operator"};
    command.insert(command.end(), variables.begin(), variables.end());
    command.push_back(WEFTKIT_POLICYC_PATH);
    command.insert(command.end(), arguments.begin(), arguments.end());
    return run_process("/usr/bin/env", command, path(""), input);
  }
  std::vector<std::string> audit_env(std::vector<std::string> more = {}) const {
    std::vector<std::string> variables = {"WEFTKIT_AUDIT=true", "WEFTKIT_AUDIT_OUTPUT=" + path("audit.jsonl")};
    variables.insert(variables.end(), more.begin(), more.end());
    return variables;
  }
  ProcessResult login(const std::string& name, const std::string& password, std::vector<std::string> more = {}) const {
    return run({"auth", "password", "--users-file", "users", "--login", name}, audit_env(std::move(more)),
               password + "\n");
  }
  std::vector<nlohmann::json> records(const std::string& name = "audit.jsonl") const {
    std::vector<nlohmann::json> parsed;
    for (const std::string& line : lines_of(read_file(path(name)))) parsed.push_back(nlohmann::json::parse(line));
    return parsed;
  }
  ProcessResult verify(std::vector<std::string> arguments, const std::vector<std::string>& variables = {}) const {
    arguments.insert(arguments.begin(), {"audit", "verify"});
    return run(arguments, variables);
  }
  // The log's lines, changed by `edit`, written back.
  template <typename Edit>
  void edit_log(Edit edit, const std::string& name = "audit.jsonl") const {
    std::vector<std::string> lines = lines_of(read_file(path(name)));
    edit(lines);
    std::string text;
    for (const std::string& line : lines) text += line + "\n";
    write(name, text);
  }
  void write_log(int logins, const std::vector<std::string>& more = {}) const {
    for (int i = 0; i < logins; ++i) {
      ASSERT_EQ(login("alice", i % 2 == 0 ? kPassword : "wrong", more).exit_code, i % 2);
    }
  }
};

TEST_F(CliAudit, PasswordLoginsAreRecordedWithoutThePassword) {
  EXPECT_EQ(login("alice", kPassword).exit_code, 0);
  EXPECT_EQ(login("alice@other", "not-" + kPassword).exit_code, 1);
  const std::vector<nlohmann::json> events = records();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0]["event"], "auth");
  EXPECT_EQ(events[0]["identity"], "alice");
  EXPECT_EQ(events[0]["operation"], "LOGIN");
  EXPECT_EQ(events[0]["result"], "success");
  EXPECT_EQ(events[0]["auth_method"], "password");
  EXPECT_EQ(events[0]["source_ip"], "weftkit-policyc");
  EXPECT_EQ(events[1]["identity"], "alice");
  EXPECT_EQ(events[1]["tenant"], "other");
  EXPECT_EQ(events[1]["result"], "failure");
  EXPECT_EQ(events[1]["reason"], "bad_credentials");
  EXPECT_EQ(read_file(path("audit.jsonl")).find(kPassword), std::string::npos);
  EXPECT_EQ(verify({"audit.jsonl"}).exit_code, 0);
}

TEST_F(CliAudit, JwtChecksAreRecordedWithoutTheTokenOrSecret) {
  const std::string claims = "{\"sub\":\"alice\",\"exp\":" + std::to_string(kNow + 60) + "}";
  const std::string good = auth::testing::hs256_token(kJwtSecret, "{\"alg\":\"HS256\"}", claims);
  const std::string forged = auth::testing::hs256_token(kJwtSecret + "x", "{\"alg\":\"HS256\"}", claims);
  const std::vector<std::string> variables = audit_env({"WEFTKIT_JWT_SECRET=" + kJwtSecret});
  const std::string now = "--now=" + std::to_string(kNow);
  EXPECT_EQ(run({"auth", "jwt", now, good}, variables).exit_code, 0);
  EXPECT_EQ(run({"auth", "jwt", now, forged}, variables).exit_code, 1);
  const std::vector<nlohmann::json> events = records();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0]["result"], "success");
  EXPECT_EQ(events[0]["auth_method"], "jwt");
  EXPECT_EQ(events[1]["identity"], "alice");
  EXPECT_EQ(events[1]["reason"], "bad_signature");
  const std::string log = read_file(path("audit.jsonl"));
  for (const std::string& secret : {good, forged, kJwtSecret, good.substr(good.rfind('.') + 1)}) {
    EXPECT_EQ(log.find(secret), std::string::npos) << secret;
  }
}

TEST_F(CliAudit, BadAuditSettingsAreAUsageErrorAndNothingRuns) {
  ProcessResult no_output = run({"auth", "password", "--users-file", "users", "--login", "alice"},
                                {"WEFTKIT_AUDIT=true"}, kPassword + "\n");
  EXPECT_EQ(no_output.exit_code, 2) << no_output.err;
  EXPECT_EQ(no_output.out, "");
  EXPECT_NE(no_output.err.find("WEFTKIT_AUDIT_OUTPUT"), std::string::npos) << no_output.err;
  ProcessResult unwritable = login("alice", kPassword, {"WEFTKIT_AUDIT_OUTPUT=" + path("no/such/dir/audit.jsonl")});
  EXPECT_EQ(unwritable.exit_code, 2) << unwritable.err;
  EXPECT_NE(unwritable.err.find("cannot open the audit log"), std::string::npos) << unwritable.err;
  ProcessResult keys = run({"keys", "status", "--keyring", "keyring"},
                           {"WEFTKIT_AUDIT=yes", "WEFTKIT_ENCRYPTION=aes-256-gcm", "WEFTKIT_KEY=" + kMasterKey});
  EXPECT_EQ(keys.exit_code, 2) << keys.err;
  EXPECT_NE(keys.err.find("WEFTKIT_AUDIT"), std::string::npos) << keys.err;
}

TEST_F(CliAudit, KeyRotationsAreRecorded) {
  const std::vector<std::string> variables =
      audit_env({"WEFTKIT_ENCRYPTION=aes-256-gcm", "WEFTKIT_KEY=" + kMasterKey});
  ASSERT_EQ(run({"keys", "init", "--keyring", "keyring", "--tenant", "tenant-001"}, variables).exit_code, 0);
  ProcessResult rotated = run({"keys", "rotate", "--keyring", "keyring", "--tenant", "tenant-001"}, variables);
  ASSERT_EQ(rotated.exit_code, 0) << rotated.out << rotated.err;
  const std::vector<nlohmann::json> events = records();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["event"], "key_rotation");
  EXPECT_EQ(events[0]["identity"], "operator");
  EXPECT_EQ(events[0]["tenant"], "tenant-001");
  EXPECT_EQ(events[0]["operation"], "ROTATE");
  EXPECT_EQ(events[0]["resource"], "keyring");
  EXPECT_EQ(events[0]["result"], "success");
  EXPECT_EQ(events[0]["reason"], "key version 1 -> 2");
}

TEST_F(CliAudit, VerifyCountsACleanLog) {
  write_log(3);
  ProcessResult result = verify({"audit.jsonl"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "3 records verified in 1 file\n");
}

TEST_F(CliAudit, VerifyNamesTheFirstTamperedRecord) {
  write_log(4);
  const std::string clean = read_file(path("audit.jsonl"));
  struct Case {
    const char* kind;
    void (*edit)(std::vector<std::string>&);
    const char* where;
  };
  const Case cases[] = {
      {"altered", [](std::vector<std::string>& l) { l[1].replace(l[1].find("\"alice\""), 7, "\"alicf\""); }, ":2: altered"},
      {"removed", [](std::vector<std::string>& l) { l.erase(l.begin() + 1); }, ":2: removed"},
      {"inserted", [](std::vector<std::string>& l) { l.insert(l.begin() + 2, l[1]); }, ":3: inserted"},
      {"reordered", [](std::vector<std::string>& l) { std::swap(l[1], l[2]); }, ":"},
  };
  for (const Case& c : cases) {
    write("audit.jsonl", clean);
    edit_log(c.edit);
    ProcessResult result = verify({"audit.jsonl"});
    EXPECT_EQ(result.exit_code, 1) << c.kind << ": " << result.out << result.err;
    const std::string first = first_line(result.out);
    EXPECT_TRUE(first.starts_with("audit.jsonl:")) << first;
    EXPECT_NE(first.find(c.where), std::string::npos) << c.kind << ": " << first;
    EXPECT_NE(first.find(std::string(": ") + c.kind), std::string::npos) << c.kind << ": " << first;
  }
}

TEST_F(CliAudit, ATornLastLineIsReportedButIsNotTampering) {
  write_log(2);
  write("audit.jsonl", read_file(path("audit.jsonl")) + "{\"v\":1,\"seq\":3,\"timest");
  ProcessResult result = verify({"audit.jsonl"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "2 records verified in 1 file\n"
                        "audit.jsonl:3: torn last line (a write cut short by a crash, not tampering; not counted)\n");
}

TEST_F(CliAudit, VerifyFollowsARotatedSetAndCatchesAMissingMiddleFile) {
  write_log(24, {"WEFTKIT_AUDIT_MAX_BYTES=4096"});  // about 300 bytes a record: rotated at least twice
  ASSERT_TRUE(exists("audit.jsonl.1"));
  ASSERT_TRUE(exists("audit.jsonl.2"));
  ProcessResult whole = verify({"audit.jsonl"});
  EXPECT_EQ(whole.exit_code, 0) << whole.out << whole.err;
  EXPECT_EQ(whole.out.substr(0, whole.out.find(" records")), "24") << whole.out;
  ProcessResult listed = verify({"audit.jsonl.1", "audit.jsonl.2", "audit.jsonl"});
  EXPECT_EQ(listed.out, whole.out);
  ProcessResult skipped = verify({"audit.jsonl.1", "audit.jsonl"});
  EXPECT_EQ(skipped.exit_code, 1) << skipped.out;
  EXPECT_TRUE(skipped.out.starts_with("audit.jsonl:1: removed")) << skipped.out;
  ProcessResult swapped = verify({"audit.jsonl.2", "audit.jsonl.1", "audit.jsonl"});
  EXPECT_EQ(swapped.exit_code, 1) << swapped.out;
}

TEST_F(CliAudit, AKeyedChainVerifiesOnlyWithItsKey) {
  for (int i = 0; i < 2; ++i) ASSERT_EQ(login("alice", kPassword, {"WEFTKIT_AUDIT_HMAC_KEY=" + kAuditKey}).exit_code, 0);
  ProcessResult by_default = verify({"audit.jsonl"}, {"WEFTKIT_AUDIT_HMAC_KEY=" + kAuditKey});
  EXPECT_EQ(by_default.exit_code, 0) << by_default.out << by_default.err;
  EXPECT_EQ(by_default.out, "2 records verified in 1 file (HMAC-SHA256 chain)\n");
  ProcessResult named = verify({"audit.jsonl", "--hmac-key-env", "LOG_KEY"}, {"LOG_KEY=" + kAuditKey});
  EXPECT_EQ(named.exit_code, 0) << named.out << named.err;
  ProcessResult without = verify({"audit.jsonl"});
  EXPECT_EQ(without.exit_code, 1) << without.out;
  EXPECT_TRUE(without.out.starts_with("audit.jsonl:1: altered")) << without.out;
  ProcessResult wrong = verify({"audit.jsonl", "--hmac-key-env=LOG_KEY"}, {"LOG_KEY=" + kAuditKey + "x"});
  EXPECT_EQ(wrong.exit_code, 1) << wrong.out;
  ProcessResult unset = verify({"audit.jsonl", "--hmac-key-env", "LOG_KEY"});
  EXPECT_EQ(unset.exit_code, 2);
  EXPECT_EQ(first_line(unset.err), "weftkit-policyc: error: '--hmac-key-env LOG_KEY': LOG_KEY is not set "
                                   "(it holds the audit log's HMAC key)");
}

TEST_F(CliAudit, VerifyUsageAndMissingFiles) {
  ProcessResult missing = verify({"absent.jsonl"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(missing.out, "");
  EXPECT_EQ(first_line(missing.err), "weftkit-policyc: error: cannot read audit log 'absent.jsonl': no such file");
  write_log(1);
  ProcessResult one_missing = verify({"audit.jsonl", "absent.jsonl"});
  EXPECT_EQ(one_missing.exit_code, 2);
  ProcessResult none = verify({});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_EQ(first_line(none.err), "weftkit-policyc: error: 'audit verify' needs at least one audit log FILE");
  EXPECT_EQ(run({"audit", "check"}, {}).exit_code, 2);
  ProcessResult help = run({"audit", "--help"}, {});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_TRUE(help.out.starts_with("usage: weftkit-policyc audit verify")) << help.out;
  EXPECT_NE(run({"--help"}, {}).out.find("audit verify FILE..."), std::string::npos);
}

}  // namespace
}  // namespace weftkit::policy::testing
