// weftkit-policyc with several input files: they form one program, so names resolve across
// files and duplicates are caught across files, each diagnostic naming its own file.
#include <gtest/gtest.h>

#include "tests/tools/cli_fixture.h"

namespace weftkit::policy::testing {
namespace {

class CliMultipleFiles : public CliFixture {};

TEST_F(CliMultipleFiles, RolesDefinedInOneFileCanBeUsedInAnother) {
  write("base.yaml",
        "roles:\n"
        "  - name: analyst\n"
        "    allow: [SELECT]\n");
  write("team.yaml",
        "roles:\n"
        "  - name: lead\n"
        "    inherits: [analyst]\n"
        "users:\n"
        "  - name: alice\n"
        "    roles: [analyst]\n"
        "  - name: lena\n"
        "    roles: [lead]\n");
  ProcessResult check = policyc({"check", "team.yaml", "base.yaml"});
  EXPECT_EQ(check.exit_code, 0);
  EXPECT_EQ(check.out, "ok: 7 roles (2 custom, 5 built-in), 2 users, 0 tables, 0 policies, 0 warnings\n");
  EXPECT_EQ(check.err, "");

  ProcessResult explain =
      policyc({"explain", "team.yaml", "base.yaml", "--user", "lena", "--op", "SELECT", "--table", "orders"});
  EXPECT_EQ(explain.exit_code, 0);
  EXPECT_EQ(explain.out,
            "ALLOW: user 'lena' may SELECT on public.orders\n"
            "  roles held: lead (granted to 'lena' at team.yaml:8:13), analyst (inherited from 'lead')\n"
            "  decided by: allow SELECT in role 'analyst' at base.yaml:3:13\n");
  EXPECT_EQ(explain.err, "");
}

TEST_F(CliMultipleFiles, DuplicateRoleAcrossFilesPointsAtTheSecondWithANoteAtTheFirst) {
  write("first.yaml",
        "- name: analyst\n"
        "  allow: [SELECT]\n");
  write("second.yaml",
        "roles:\n"
        "  - name: auditor\n"
        "  - name: analyst\n"
        "    allow: [INSERT]\n");
  ProcessResult result = policyc({"check", "first.yaml", "second.yaml"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err, "second.yaml:3:11: error: duplicate role 'analyst'\n" + source_excerpt("  - name: analyst", 11) +
                            "first.yaml:1:9: note: 'analyst' was first defined here\n" +
                            source_excerpt("- name: analyst", 9) + "1 error(s), 0 warning(s)\n");
}

TEST_F(CliMultipleFiles, DuplicateUserAcrossFilesIsAnError) {
  write("a.yaml", "users:\n  - name: alice\n    roles: [read_only]\n");
  write("b.yaml", "users:\n  - name: alice\n    roles: [read_write]\n");
  ProcessResult result = policyc({"check", "a.yaml", "b.yaml"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err, "b.yaml:2:11: error: duplicate user 'alice'\n" + source_excerpt("  - name: alice", 11) +
                            "a.yaml:2:11: note: 'alice' was first defined here\n" + source_excerpt("  - name: alice", 11) +
                            "1 error(s), 0 warning(s)\n");
}

TEST_F(CliMultipleFiles, ErrorsInEveryFileAreReported) {
  write("a.yaml", "- name: a\n  allow: [SELEKT]\n");
  write("b.yaml", "- name: b\n  inherits: [ghost]\n");
  ProcessResult result = policyc({"check", "a.yaml", "b.yaml"});
  EXPECT_EQ(result.exit_code, 1);
  std::vector<std::string> lines = lines_of(result.err);
  ASSERT_GE(lines.size(), 2u);
  EXPECT_EQ(lines.front(), "a.yaml:2:11: error: unknown operation 'SELEKT' in role 'a'; did you mean 'SELECT'?");
  EXPECT_NE(result.err.find("\nb.yaml:2:14: error: unknown role 'ghost' in 'inherits' of role 'b'\n"),
            std::string::npos);
  EXPECT_EQ(lines.back(), "2 error(s), 0 warning(s)");
}

}  // namespace
}  // namespace weftkit::policy::testing
