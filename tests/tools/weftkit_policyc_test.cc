// weftkit-policyc end to end: the command line itself — exit status 2 and a message on stderr
// (and nothing on stdout) for every kind of bad usage, and --help / --version.
// The verbs are tested in weftkit_policyc_{check,compile,explain,multiple_files}_test.cc.
#include <gtest/gtest.h>

#include "tests/tools/cli_fixture.h"

namespace weftkit::policy::testing {
namespace {

constexpr int kExitUsage = 2;

const char* const kRoles =
    "roles:\n"
    "  - name: analyst\n"
    "    allow: [SELECT]\n"
    "users:\n"
    "  - name: alice\n"
    "    roles: [analyst]\n";

class CliUsage : public CliFixture {
 protected:
  CliUsage() { write("roles.yaml", kRoles); }

  // Bad usage: exit 2, nothing on stdout, and stderr is exactly the error line (followed by
  // the usage text when main prints it, i.e. for errors found while parsing the options).
  void expect_usage_error(const std::vector<std::string>& arguments, const std::string& message,
                          bool with_usage_text = true) const {
    SCOPED_TRACE(::testing::PrintToString(arguments));
    ProcessResult result = policyc(arguments);
    EXPECT_EQ(result.exit_code, kExitUsage);
    EXPECT_EQ(result.out, "");
    std::string expected = "weftkit-policyc: error: " + message + "\n";
    if (with_usage_text) expected += "\n" + usage_text();
    EXPECT_EQ(result.err, expected);
  }

  std::string usage_text() const { return policyc({"--help"}).out; }
};

TEST_F(CliUsage, HelpPrintsUsageOnStdoutAndExitsZero) {
  ProcessResult result = policyc({"--help"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(first_line(result.out), "usage: weftkit-policyc <command> [options] FILES...");
  EXPECT_NE(result.out.find("\n  check FILES... [--json]"), std::string::npos);
  EXPECT_NE(result.out.find("\n  compile FILES... -o OUT"), std::string::npos);
  EXPECT_NE(result.out.find("\n  explain FILES... --user U [--role R]... --op OP --table T [--json]"),
            std::string::npos);
  EXPECT_EQ(result.err, "");
}

TEST_F(CliUsage, HelpAfterAVerbPrintsTheSameUsage) {
  std::string help = policyc({"--help"}).out;
  for (const char* verb : {"check", "compile", "explain"}) {
    ProcessResult result = policyc({verb, "--help"});
    EXPECT_EQ(result.exit_code, 0) << verb;
    EXPECT_EQ(result.out, help) << verb;
    EXPECT_EQ(result.err, "") << verb;
  }
  EXPECT_EQ(policyc({"-h"}).out, help);
  EXPECT_EQ(policyc({"help"}).out, help);
}

TEST_F(CliUsage, VersionPrintsNameAndVersionOnStdout) {
  ProcessResult result = policyc({"--version"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "weftkit-policyc 0.1.0\n");
  EXPECT_EQ(result.err, "");
}

TEST_F(CliUsage, NoCommandIsBadUsage) { expect_usage_error({}, "no command given"); }

TEST_F(CliUsage, UnknownCommandIsBadUsage) {
  expect_usage_error({"lint", "roles.yaml"}, "unknown command 'lint' (expected check, compile, explain, eval, watch, config, auth, keys, page or audit)");
}

TEST_F(CliUsage, UnknownOptionIsBadUsage) {
  expect_usage_error({"check", "roles.yaml", "--verbose"}, "unknown option '--verbose' for 'check'");
  // Each verb accepts only its own flags.
  expect_usage_error({"check", "roles.yaml", "-o", "out.wkpb"}, "unknown option '-o' for 'check'");
  expect_usage_error({"compile", "roles.yaml", "-o", "out.wkpb", "--json"}, "unknown option '--json' for 'compile'");
  EXPECT_FALSE(exists("out.wkpb"));
}

TEST_F(CliUsage, FlagWithoutItsValueIsBadUsage) {
  expect_usage_error({"compile", "roles.yaml", "-o"}, "option '-o' needs a value");
  expect_usage_error({"check", "--json=yes", "roles.yaml"}, "option '--json' takes no value");
}

TEST_F(CliUsage, FlagGivenTwiceIsBadUsage) {
  expect_usage_error({"explain", "roles.yaml", "--user", "alice", "--user=bob", "--op", "SELECT", "--table", "t"},
                     "option '--user' given twice");
}

TEST_F(CliUsage, MissingFileArgumentIsBadUsage) {
  expect_usage_error({"check"}, "'check' needs at least one input file");
  expect_usage_error({"check", "--json"}, "'check' needs at least one input file");
  expect_usage_error({"compile", "-o", "out.wkpb"}, "'compile' needs at least one input file");
  expect_usage_error({"explain", "--user", "alice", "--op", "SELECT", "--table", "t"},
                     "'explain' needs at least one input file");
}

TEST_F(CliUsage, CompileWithoutOutputIsBadUsage) {
  expect_usage_error({"compile", "roles.yaml"}, "'compile' needs -o OUT");
}

TEST_F(CliUsage, ExplainWithoutUserOpOrTableIsBadUsage) {
  expect_usage_error({"explain", "roles.yaml", "--op", "SELECT", "--table", "t"}, "'explain' needs --user U");
  expect_usage_error({"explain", "roles.yaml", "--user", "alice", "--table", "t"}, "'explain' needs --op OP");
  expect_usage_error({"explain", "roles.yaml", "--user", "alice", "--op", "SELECT"}, "'explain' needs --table T");
}

TEST_F(CliUsage, ExplainUnknownOperationIsBadUsage) {
  // Groups (DDL, ALL) name several operations, so they are not accepted for --op.
  const std::string expected_list =
      "SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER, COPY TO, COPY FROM, CREATE, ALTER, DROP, "
      "GRANT, REVOKE, CONNECT, EXECUTE";
  for (const char* op : {"SELEKT", "DDL", "ALL"}) {
    expect_usage_error({"explain", "roles.yaml", "--user", "alice", "--op", op, "--table", "t"},
                       "unknown operation '" + std::string(op) + "' for --op (expected one of: " + expected_list + ")",
                       /*with_usage_text=*/false);
  }
}

TEST_F(CliUsage, ExplainUnknownRoleIsBadUsage) {
  expect_usage_error({"explain", "roles.yaml", "--user", "alice", "--role", "ghost", "--op", "SELECT", "--table", "t"},
                     "unknown role 'ghost' given with --role", /*with_usage_text=*/false);
}

TEST_F(CliUsage, ExplainBadTableIsBadUsage) {
  auto explain_table = [](const std::string& table) {
    return std::vector<std::string>{"explain", "roles.yaml", "--user", "alice", "--op", "SELECT", "--table", table};
  };
  expect_usage_error(explain_table("a.b.c"),
                     "bad --table 'a.b.c': it has more than two dot-separated parts (expected table or schema.table)",
                     /*with_usage_text=*/false);
  expect_usage_error(explain_table("sales.*"), "bad --table 'sales.*': it is a pattern, not a resource name",
                     /*with_usage_text=*/false);
  expect_usage_error(explain_table("sales."), "bad --table 'sales.': it has an empty name part",
                     /*with_usage_text=*/false);
}

}  // namespace
}  // namespace weftkit::policy::testing
