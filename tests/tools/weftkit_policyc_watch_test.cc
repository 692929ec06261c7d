// weftkit-policyc watch, run as a child process whose output is read line by line while the
// test edits the files it watches: a broken edit is rejected with its diagnostics and the old
// version keeps serving; a good edit is served next.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include "tests/tools/cli_fixture.h"

namespace weftkit::policy::testing {
namespace {

std::string sha256_hex(const std::string& bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) hex += {kHex[digest[i] >> 4], kHex[digest[i] & 15]};
  return hex;
}

const char* const kRoles =
    "roles:\n"
    "  - name: analyst\n"
    "    allow: [SELECT]\n";

const char* const kPolicies =
    "CREATE TABLE t (id integer, owner text);\n"
    "ALTER TABLE t ENABLE ROW LEVEL SECURITY;\n"
    "CREATE POLICY mine ON t USING (owner = current_user);\n";

// A running `watch`, its stdout (and stderr) read a line at a time. A 60 s timeout ends a
// watcher that never reacts, so that a broken watcher fails the test instead of hanging it.
class WatchProcess {
 public:
  // `environment`: NAME=value words the child gets on top of this process's environment.
  WatchProcess(const std::string& directory, const std::string& arguments, const std::string& environment = "") {
    std::string command = "cd '" + directory + "' && exec env " + environment + " timeout 60 " WEFTKIT_POLICYC_PATH
                          " watch " + arguments + " 2>&1";
    pipe_ = popen(command.c_str(), "r");
  }
  ~WatchProcess() {
    if (pipe_ != nullptr) pclose(pipe_);
  }
  std::string next_line() {
    char buffer[4096];
    if (pipe_ == nullptr || fgets(buffer, sizeof buffer, pipe_) == nullptr) return "<end of output>";
    std::string line = buffer;
    if (!line.empty() && line.back() == '\n') line.pop_back();
    return line;
  }
  int exit_status() {
    int status = pclose(pipe_);
    pipe_ = nullptr;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  FILE* pipe_ = nullptr;
};

class CliWatch : public CliFixture {
 protected:
  CliWatch() {
    write("roles.yaml", kRoles);
    write("policies.sql", kPolicies);
  }
  std::string directory() const { return path(""); }
};

TEST_F(CliWatch, BrokenEditIsRejectedAndTheNextGoodOneServes) {
  WatchProcess watch(directory(), "roles.yaml policies.sql --debounce-ms=50 --exit-after=2");
  ASSERT_EQ(watch.next_line(), "serving version 1: roles.yaml, policies.sql");
  write("policies.sql", std::string(kPolicies) + "CREATE POLICY broken ON t USING (nosuch);\n");
  EXPECT_EQ(watch.next_line(), "rejected: still serving version 1");
  EXPECT_EQ(watch.next_line(), "policies.sql:4:34: error: column \"nosuch\" does not exist");
  EXPECT_EQ(watch.next_line(), "  CREATE POLICY broken ON t USING (nosuch);");
  EXPECT_EQ(watch.next_line(), "                                   ^");
  write("policies.sql", std::string(kPolicies) + "CREATE POLICY more ON t USING (id > 0);\n");
  EXPECT_EQ(watch.next_line(), "reloaded: serving version 2");
  EXPECT_EQ(watch.next_line(), "<end of output>");
  EXPECT_EQ(watch.exit_status(), 0);
}

TEST_F(CliWatch, ConfigMapStyleSwapOfTheDataLinkIsReloaded) {
  // A Kubernetes ConfigMap volume: each file is a link through ..data to a timestamped
  // directory, and an update renames a new ..data link over the old one, in one step.
  namespace fs = std::filesystem;
  fs::create_directory(path("..2026_12_07_01"));
  fs::rename(path("roles.yaml"), path("..2026_12_07_01/roles.yaml"));
  fs::rename(path("policies.sql"), path("..2026_12_07_01/policies.sql"));
  fs::create_directory_symlink("..2026_12_07_01", path("..data"));
  fs::create_symlink("..data/roles.yaml", path("roles.yaml"));
  fs::create_symlink("..data/policies.sql", path("policies.sql"));
  WatchProcess watch(directory(), "roles.yaml policies.sql --debounce-ms=50 --exit-after=1");
  ASSERT_EQ(watch.next_line(), "serving version 1: roles.yaml, policies.sql");
  fs::create_directory(path("..2026_12_07_02"));
  write("..2026_12_07_02/roles.yaml", kRoles);
  write("..2026_12_07_02/policies.sql", std::string(kPolicies) + "CREATE POLICY more ON t USING (id > 0);\n");
  fs::create_directory_symlink("..2026_12_07_02", path("..data_tmp"));
  fs::rename(path("..data_tmp"), path("..data"));
  fs::remove_all(path("..2026_12_07_01"));
  EXPECT_EQ(watch.next_line(), "reloaded: serving version 2");
  EXPECT_EQ(watch.next_line(), "<end of output>");
  EXPECT_EQ(watch.exit_status(), 0);
}

TEST_F(CliWatch, FilesThatDoNotCompileAtStartServeNothing) {
  write("roles.yaml", "roles:\n  - name: analyst\n    allow: [SELEKT]\n");
  WatchProcess watch(directory(), "roles.yaml policies.sql");
  EXPECT_EQ(first_line(watch.next_line()).rfind("roles.yaml:3:13: error: unknown operation 'SELEKT'", 0), 0u);
  std::string line;
  do {
    line = watch.next_line();
  } while (line != "<end of output>" && line != "rejected: nothing is serving");
  EXPECT_EQ(line, "rejected: nothing is serving");
  EXPECT_EQ(watch.exit_status(), 1);
}

TEST_F(CliWatch, ReloadsAreRecordedInTheAuditLogUnderWeftkitAudit) {
  const std::string log = path("audit.jsonl");
  WatchProcess watch(directory(), "roles.yaml policies.sql --debounce-ms=50 --exit-after=2",
                     "WEFTKIT_AUDIT=true WEFTKIT_AUDIT_OUTPUT='" + log + "' WEFTKIT_AUDIT_FSYNC=never");
  ASSERT_EQ(watch.next_line(), "serving version 1: roles.yaml, policies.sql");
  const std::string broken = std::string(kPolicies) + "CREATE POLICY broken ON t USING (nosuch);\n";
  write("policies.sql", broken);
  EXPECT_EQ(watch.next_line(), "rejected: still serving version 1");
  for (int line = 0; line < 3; ++line) watch.next_line();  // the diagnostic
  const std::string good = std::string(kPolicies) + "CREATE POLICY more ON t USING (id > 0);\n";
  write("policies.sql", good);
  EXPECT_EQ(watch.next_line(), "reloaded: serving version 2");
  EXPECT_EQ(watch.next_line(), "<end of output>");
  ASSERT_EQ(watch.exit_status(), 0);

  std::vector<std::string> records = lines_of(read_file(log));
  ASSERT_EQ(records.size(), 2u) << read_file(log);
  const std::string roles_hash = sha256_hex(kRoles);
  struct Expected {
    std::string policies;
    std::string result;
    uint64_t generation;
    std::string reason;
  };
  const Expected expected[] = {
      {broken, "rejected", 1, "policies.sql:4:34: error: column \"nosuch\" does not exist"},
      {good, "accepted", 2, "generation 1 replaced by 2"},
  };
  for (size_t i = 0; i < records.size(); ++i) {
    nlohmann::json record = nlohmann::json::parse(records[i]);
    EXPECT_EQ(record["seq"], i + 1);
    EXPECT_EQ(record["event"], "policy_reload");
    EXPECT_EQ(record["identity"], "");
    EXPECT_EQ(record["tenant"], "");
    EXPECT_EQ(record["operation"], "RELOAD");
    EXPECT_EQ(record["resource"],
              "roles.yaml sha256:" + roles_hash + ", policies.sql sha256:" + sha256_hex(expected[i].policies));
    EXPECT_EQ(record["result"], expected[i].result);
    EXPECT_EQ(record["source_ip"], "");
    EXPECT_EQ(record["reason"], expected[i].reason);
    EXPECT_EQ(record["policy_generation"], expected[i].generation);
    EXPECT_FALSE(record.contains("auth_method"));
    EXPECT_FALSE(record.contains("decided_by"));
  }
}

TEST_F(CliWatch, ExitAfterMustBePositive) {
  ProcessResult result = policyc({"watch", "roles.yaml", "--exit-after=0"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(first_line(result.err), "weftkit-policyc: error: option '--exit-after' takes a positive whole number, not '0'");
}

}  // namespace
}  // namespace weftkit::policy::testing
