// weftkit-policyc check: exit 0 when clean and 1 on errors; every diagnostic on stderr in clang's
// form (FILE:LINE:COL: error: MESSAGE, the source line, a caret), or as JSON with --json.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "tests/tools/cli_fixture.h"

namespace weftkit::policy::testing {
namespace {

using nlohmann::json;

const std::string kOperationsNote =
    "note: operations are: SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER, COPY TO, COPY FROM, "
    "CREATE, ALTER, DROP, GRANT, REVOKE, CONNECT, EXECUTE, DDL, ALL\n";

class CliCheck : public CliFixture {
 protected:
  // Writes roles.yaml, runs `check roles.yaml`, and expects exit 1 with nothing on stdout.
  ProcessResult check_failing(const std::string& text) const {
    write("roles.yaml", text);
    ProcessResult result = policyc({"check", "roles.yaml"});
    EXPECT_EQ(result.exit_code, 1);
    EXPECT_EQ(result.out, "");
    return result;
  }
};

TEST_F(CliCheck, CleanFileExitsZeroWithASummaryOnStdout) {
  write("roles.yaml",
        "roles:\n"
        "  - name: analyst\n"
        "    allow: [SELECT, \"COPY TO\"]\n"
        "users:\n"
        "  - name: alice\n"
        "    roles: [analyst, read_only]\n");
  ProcessResult result = policyc({"check", "roles.yaml"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "ok: 6 roles (1 custom, 5 built-in), 1 users, 0 tables, 0 policies, 0 warnings\n");
  EXPECT_EQ(result.err, "");
}

TEST_F(CliCheck, ShippedExampleIsClean) {
  ProcessResult result = policyc_in_repo({"check", "examples/roles.yaml"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "ok: 12 roles (7 custom, 5 built-in), 7 users, 0 tables, 0 policies, 0 warnings\n");
  EXPECT_EQ(result.err, "");
}

TEST_F(CliCheck, TopLevelListOfRolesInAYmlFileIsAccepted) {
  write("roles.yml",
        "- name: analyst\n"
        "  allow: [select, \"copy   to\"]\n"
        "- name: lead\n"
        "  inherits: [analyst]\n");
  ProcessResult result = policyc({"check", "roles.yml"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "ok: 7 roles (2 custom, 5 built-in), 0 users, 0 tables, 0 policies, 0 warnings\n");
  EXPECT_EQ(result.err, "");
}

TEST_F(CliCheck, UnknownOperationIsReportedAtItsPositionWithASuggestion) {
  ProcessResult result = check_failing(
      "roles:\n"
      "  - name: analyst\n"
      "    allow: [SELECT, SELEKT]\n");
  EXPECT_EQ(result.err,
            "roles.yaml:3:21: error: unknown operation 'SELEKT' in role 'analyst'; did you mean 'SELECT'?\n" +
                source_excerpt("    allow: [SELECT, SELEKT]", 21) + kOperationsNote + "1 error(s), 0 warning(s)\n");
}

TEST_F(CliCheck, UnknownRoleInInheritsIsReportedAtTheName) {
  ProcessResult result = check_failing(
      "roles:\n"
      "  - name: finance\n"
      "    inherits: [analyts]\n"
      "  - name: analyst\n"
      "    allow: [SELECT]\n");
  EXPECT_EQ(result.err,
            "roles.yaml:3:16: error: unknown role 'analyts' in 'inherits' of role 'finance'; did you mean "
            "'analyst'?\n" +
                source_excerpt("    inherits: [analyts]", 16) + "1 error(s), 0 warning(s)\n");
}

TEST_F(CliCheck, UnknownRoleInUsersIsReportedAtTheName) {
  ProcessResult result = check_failing(
      "roles:\n"
      "  - name: analyst\n"
      "    allow: [SELECT]\n"
      "users:\n"
      "  - name: alice\n"
      "    roles: [analyst, auditor]\n");
  EXPECT_EQ(result.err, "roles.yaml:6:22: error: unknown role 'auditor' in 'roles' of user 'alice'\n" +
                            source_excerpt("    roles: [analyst, auditor]", 22) + "1 error(s), 0 warning(s)\n");
}

TEST_F(CliCheck, InheritanceCycleIsReportedOnceWhereItCloses) {
  ProcessResult result = check_failing(
      "roles:\n"
      "  - name: a\n"
      "    inherits: [b]\n"
      "  - name: b\n"
      "    inherits: [c]\n"
      "  - name: c\n"
      "    inherits: [a]\n");
  EXPECT_EQ(result.err, "roles.yaml:7:16: error: inheritance cycle: a -> b -> c -> a\n" +
                            source_excerpt("    inherits: [a]", 16) + "1 error(s), 0 warning(s)\n");
}

TEST_F(CliCheck, RoleInheritingItselfIsACycle) {
  ProcessResult result = check_failing(
      "roles:\n"
      "  - name: loop\n"
      "    inherits: [loop]\n");
  EXPECT_EQ(first_line(result.err), "roles.yaml:3:16: error: inheritance cycle: loop -> loop");
}

TEST_F(CliCheck, DuplicateRoleIsReportedAtTheSecondWithANoteAtTheFirst) {
  ProcessResult result = check_failing(
      "roles:\n"
      "  - name: analyst\n"
      "    allow: [SELECT]\n"
      "  - name: analyst\n"
      "    allow: [INSERT]\n");
  EXPECT_EQ(result.err, "roles.yaml:4:11: error: duplicate role 'analyst'\n" + source_excerpt("  - name: analyst", 11) +
                            "roles.yaml:2:11: note: 'analyst' was first defined here\n" +
                            source_excerpt("  - name: analyst", 11) + "1 error(s), 0 warning(s)\n");
}

TEST_F(CliCheck, RedefiningABuiltInRoleIsAnError) {
  ProcessResult result = check_failing(
      "roles:\n"
      "  - name: read_only\n"
      "    allow: [SELECT, INSERT]\n");
  EXPECT_EQ(result.err,
            "roles.yaml:2:11: error: cannot redefine built-in role 'read_only'; choose another name, or inherit "
            "from it\n" +
                source_excerpt("  - name: read_only", 11) + "1 error(s), 0 warning(s)\n");
}

TEST_F(CliCheck, BadResourcePatternsAreEachReportedAtTheirItem) {
  ProcessResult result = check_failing(
      "roles:\n"
      "  - name: a\n"
      "    on: [orders, \"sales.*x\", \"*.orders\", a.b.c]\n");
  const std::string line = "    on: [orders, \"sales.*x\", \"*.orders\", a.b.c]";
  EXPECT_EQ(result.err,
            "roles.yaml:3:18: error: bad resource pattern 'sales.*x': it uses '*' inside a name; only a whole "
            "part may be '*' (\"*\" or \"schema.*\")\n" +
                source_excerpt(line, 18) +
                "roles.yaml:3:30: error: bad resource pattern '*.orders': it uses a wildcard schema; only \"*\" "
                "and \"schema.*\" are wildcards\n" +
                source_excerpt(line, 30) +
                "roles.yaml:3:42: error: bad resource pattern 'a.b.c': it has more than two dot-separated parts "
                "(expected \"*\", \"schema.*\", \"table\" or \"schema.table\")\n" +
                source_excerpt(line, 42) + "3 error(s), 0 warning(s)\n");
}

TEST_F(CliCheck, MalformedYamlIsReportedAtYamlCppsPosition) {
  ProcessResult result = check_failing(
      "roles:\n"
      "  - name: a\n"
      "    allow: [SELECT}\n"
      "  - name: b\n");
  EXPECT_EQ(result.err, "roles.yaml:3:19: error: malformed YAML: illegal flow end\n" +
                            source_excerpt("    allow: [SELECT}", 19) + "1 error(s), 0 warning(s)\n");
}

// yaml-cpp alone would swallow the rest of the file into the open string, losing no_access.
TEST_F(CliCheck, UnterminatedQuotedStringIsAnError) {
  ProcessResult result = check_failing(
      "users:\n"
      "  - name: bob\n"
      "    roles: [read_write]\n"
      "  - name: \"mallory\n"
      "    roles: [read_write, no_access]\n");
  EXPECT_EQ(first_line(result.err), "roles.yaml:4:11: error: quoted value is not closed on the line where it opens");
}

TEST_F(CliCheck, QuotedStringOpenAtEndOfFileIsAnError) {
  write("roles.yaml", "- name: \"analyst");  // no newline: the file ends inside the string
  ProcessResult result = policyc({"check", "roles.yaml"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(first_line(result.err), "roles.yaml:1:17: error: malformed YAML: illegal EOF in scalar");
}

TEST_F(CliCheck, QuotedStringsWithEscapedQuotesAreFine) {
  write("roles.yaml", "- name: 'o''brien'\n  allow: [\"COPY \\\"TO\\\"\"]\n");
  ProcessResult result = policyc({"check", "roles.yaml"});
  EXPECT_EQ(first_line(result.err), "roles.yaml:2:11: error: unknown operation 'COPY \"TO\"' in role 'o'brien'; did you mean 'COPY TO'?");
}

TEST_F(CliCheck, UnquotedWildcardGetsANoteAboutYamlAliases) {
  ProcessResult result = check_failing(
      "roles:\n"
      "  - name: a\n"
      "    on: [*]\n");
  // yaml-cpp marks the character after the '*'.
  EXPECT_EQ(result.err, "roles.yaml:3:11: error: malformed YAML: alias not found after *\n" +
                            source_excerpt("    on: [*]", 11) +
                            "note: a bare * starts a YAML alias; write wildcard patterns in quotes: \"*\" or "
                            "\"sales.*\"\n"
                            "1 error(s), 0 warning(s)\n");
}

TEST_F(CliCheck, UnknownKeyIsReportedWithASuggestionAndTheKnownKeys) {
  ProcessResult result = check_failing(
      "roles:\n"
      "  - name: a\n"
      "    alow: [SELECT]\n");
  EXPECT_EQ(result.err,
            "roles.yaml:3:5: error: unknown key 'alow' in a role; did you mean 'allow'? (expected one of: name, "
            "allow, deny, inherits, on, bypass_rls)\n" +
                source_excerpt("    alow: [SELECT]", 5) + "1 error(s), 0 warning(s)\n");
}

TEST_F(CliCheck, AllowingAndDenyingTheSameOperationIsOnlyAWarning) {
  write("roles.yaml",
        "roles:\n"
        "  - name: both\n"
        "    allow: [SELECT, INSERT]\n"
        "    deny: [ALL]\n");
  ProcessResult result = policyc({"check", "roles.yaml"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "ok: 6 roles (1 custom, 5 built-in), 0 users, 0 tables, 0 policies, 1 warnings\n");
  EXPECT_EQ(result.err,
            "roles.yaml:4:12: warning: role 'both' both allows and denies SELECT, INSERT on the same resources; "
            "deny wins, so the allow has no effect\n" +
                source_excerpt("    deny: [ALL]", 12) + "roles.yaml:3:13: note: allowed here\n" +
                source_excerpt("    allow: [SELECT, INSERT]", 13) + "roles.yaml:3:21: note: allowed here\n" +
                source_excerpt("    allow: [SELECT, INSERT]", 21));
}

TEST_F(CliCheck, EmptyFileIsOnlyAWarning) {
  write("roles.yaml", "");
  ProcessResult result = policyc({"check", "roles.yaml"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "ok: 5 roles (0 custom, 5 built-in), 0 users, 0 tables, 0 policies, 1 warnings\n");
  EXPECT_EQ(result.err, "roles.yaml: warning: roles file is empty: it defines no roles and no users\n");
}

TEST_F(CliCheck, MissingFileIsAnErrorNamingTheFile) {
  ProcessResult result = policyc({"check", "missing.yaml"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err, "missing.yaml: error: cannot read file: No such file or directory\n1 error(s), 0 warning(s)\n");
}

TEST_F(CliCheck, DirectoryGivenAsAFileIsAnError) {
  std::filesystem::create_directory(path("roles.yaml"));
  ProcessResult result = policyc({"check", "roles.yaml"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err, "roles.yaml: error: cannot read file: Is a directory\n1 error(s), 0 warning(s)\n");
}

TEST_F(CliCheck, PolicyOnAnUndeclaredTableIsAnErrorWithAHint) {
  write("policies.sql", "CREATE POLICY p ON orders USING (true);\n");
  ProcessResult result = policyc({"check", "policies.sql"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err,
            "policies.sql:1:20: error: relation \"orders\" does not exist\n"
            "  CREATE POLICY p ON orders USING (true);\n"
            "                     ^\n"
            "note: declare the table with CREATE TABLE before its policies\n"
            "1 error(s), 0 warning(s)\n");
}

TEST_F(CliCheck, UnknownExtensionIsAnError) {
  write("roles.txt", "roles: []\n");
  ProcessResult result = policyc({"check", "roles.txt"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err,
            "roles.txt: error: unrecognised input file type; expected .yaml or .yml (roles), .sql (policies) or "
            ".wkpb (compiled bundle)\n"
            "1 error(s), 0 warning(s)\n");
}

TEST_F(CliCheck, EveryErrorOfOneRunIsReportedStageByStage) {
  ProcessResult result = check_failing(
      "roles:\n"
      "  - name: a\n"
      "    allow: [SELEC]\n"
      "    inherits: [ghost]\n"
      "  - name: superuser\n"
      "users:\n"
      "  - name: u\n"
      "    roles: [nobody]\n");
  std::vector<std::string> errors;
  for (const std::string& line : lines_of(result.err)) {
    if (line.find(": error: ") != std::string::npos) errors.push_back(line);
  }
  EXPECT_EQ(errors, (std::vector<std::string>{
                        "roles.yaml:3:13: error: unknown operation 'SELEC' in role 'a'; did you mean 'SELECT'?",
                        "roles.yaml:5:11: error: cannot redefine built-in role 'superuser'; choose another name, or "
                        "inherit from it",
                        "roles.yaml:4:16: error: unknown role 'ghost' in 'inherits' of role 'a'",
                        "roles.yaml:8:13: error: unknown role 'nobody' in 'roles' of user 'u'",
                    }));
  EXPECT_EQ(lines_of(result.err).back(), "4 error(s), 0 warning(s)");
}

// --json: the same diagnostics, machine-readable on stdout; stderr stays empty.

class CliCheckJson : public CliFixture {
 protected:
  json check_json(const std::string& text, int expected_exit) const {
    write("roles.yaml", text);
    ProcessResult result = policyc({"check", "--json", "roles.yaml"});
    EXPECT_EQ(result.exit_code, expected_exit);
    EXPECT_EQ(result.err, "");
    return json::parse(result.out);
  }
};

TEST_F(CliCheckJson, CleanFileReportsOkAndCounts) {
  json out = check_json(
      "roles:\n"
      "  - name: analyst\n"
      "    allow: [SELECT]\n"
      "users:\n"
      "  - name: alice\n"
      "    roles: [analyst]\n",
      0);
  EXPECT_EQ(out, json::parse(R"({"ok": true, "errors": 0, "warnings": 0, "diagnostics": [],
                                 "roles": 6, "users": 1, "tables": 0})"));
}

TEST_F(CliCheckJson, ErrorsCarryFileLineColumnSeverityMessageAndNotes) {
  json out = check_json(
      "roles:\n"
      "  - name: analyst\n"
      "    allow: [SELECT]\n"
      "  - name: analyst\n"
      "    deny: [ALL]\n"
      "users:\n"
      "  - name: alice\n"
      "    roles: [analyts]\n",
      1);
  EXPECT_EQ(out["ok"], false);
  EXPECT_EQ(out["errors"], 2);
  EXPECT_EQ(out["warnings"], 0);
  EXPECT_FALSE(out.contains("roles"));
  EXPECT_EQ(out["diagnostics"], json::parse(R"([
    {"file": "roles.yaml", "line": 4, "column": 11, "severity": "error",
     "message": "duplicate role 'analyst'",
     "notes": [{"file": "roles.yaml", "line": 2, "column": 11,
                "message": "'analyst' was first defined here"}]},
    {"file": "roles.yaml", "line": 8, "column": 13, "severity": "error",
     "message": "unknown role 'analyts' in 'roles' of user 'alice'; did you mean 'analyst'?",
     "notes": []}
  ])"));
}

TEST_F(CliCheckJson, WarningsAloneLeaveTheFileOk) {
  json out = check_json(
      "roles:\n"
      "  - name: both\n"
      "    allow: [UPDATE]\n"
      "    deny: [UPDATE]\n",
      0);
  EXPECT_EQ(out["ok"], true);
  EXPECT_EQ(out["errors"], 0);
  EXPECT_EQ(out["warnings"], 1);
  EXPECT_EQ(out["roles"], 6);
  EXPECT_EQ(out["users"], 0);
  ASSERT_EQ(out["diagnostics"].size(), 1u);
  const json& warning = out["diagnostics"][0];
  EXPECT_EQ(warning["file"], "roles.yaml");
  EXPECT_EQ(warning["line"], 4);
  EXPECT_EQ(warning["column"], 12);
  EXPECT_EQ(warning["severity"], "warning");
  EXPECT_EQ(warning["message"],
            "role 'both' both allows and denies UPDATE on the same resources; deny wins, so the allow has no effect");
  EXPECT_EQ(warning["notes"], json::parse(R"([{"file": "roles.yaml", "line": 3, "column": 13,
                                               "message": "allowed here"}])"));
}

TEST_F(CliCheckJson, WholeFileErrorsHaveNullLineAndColumn) {
  ProcessResult result = policyc({"check", "--json", "missing.yaml"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(json::parse(result.out), json::parse(R"({"ok": false, "errors": 1, "warnings": 0, "diagnostics": [
    {"file": "missing.yaml", "line": null, "column": null, "severity": "error",
     "message": "cannot read file: No such file or directory", "notes": []}]})"));
}

TEST_F(CliCheckJson, MalformedYamlIsReportedWithItsPosition) {
  json out = check_json("roles: [\n", 1);
  ASSERT_EQ(out["diagnostics"].size(), 1u);
  EXPECT_EQ(out["diagnostics"][0]["severity"], "error");
  EXPECT_EQ(out["diagnostics"][0]["file"], "roles.yaml");
  EXPECT_EQ(out["diagnostics"][0]["line"], 2);
  EXPECT_EQ(out["diagnostics"][0]["column"], 1);
  EXPECT_EQ(out["diagnostics"][0]["message"], "malformed YAML: end of sequence flow not found");
}

}  // namespace
}  // namespace weftkit::policy::testing
