// weftkit-policyc eval, run as a child process: one exact JSON line per input row, exit 0 when it
// evaluated, 1 on policy errors, 2 on bad usage or bad rows (reported with file:line).
// Expected outcomes and messages are PostgreSQL 15's.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/tools/cli_fixture.h"

namespace weftkit::policy::testing {
namespace {

const char* const kRoles =
    "roles:\n"
    "  - name: analyst\n"
    "    allow: [SELECT]\n"
    "  - name: manager\n"
    "    inherits: [analyst]\n"
    "users:\n"
    "  - name: alice\n"
    "    roles: [analyst]\n"
    "  - name: carol\n"
    "    roles: [manager]\n";

std::string line(int row, const std::string& result, const std::string& message_json = "null") {
  return "{\"row\":" + std::to_string(row) + ",\"result\":\"" + result + "\",\"message\":" + message_json + "}";
}

const std::string kViolationJson = R"("new row violates row-level security policy for table \"t\"")";

class CliEval : public CliFixture {
 protected:
  CliEval() {
    write("roles.yaml", kRoles);
    write("policies.sql", kSimplePolicies);
  }

  // eval roles.yaml policies.sql with `arguments`; rows.jsonl holds `rows`.
  ProcessResult eval(const std::vector<std::string>& arguments, const std::string& rows) const {
    write("rows.jsonl", rows);
    std::vector<std::string> all = {"eval", "roles.yaml", "policies.sql", "--rows", "rows.jsonl"};
    all.insert(all.end(), arguments.begin(), arguments.end());
    return policyc(all);
  }

  // A successful evaluation: exit 0, nothing on stderr; the output lines.
  std::vector<std::string> outcomes(const std::vector<std::string>& arguments, const std::string& rows) const {
    ProcessResult result = eval(arguments, rows);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(result.err, "");
    return lines_of(result.out);
  }

  // A usage error: exit 2, nothing on stdout; stderr.
  std::string usage_error(const std::vector<std::string>& arguments, const std::string& rows) const {
    ProcessResult result = eval(arguments, rows);
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_EQ(result.out, "");
    return result.err;
  }

  static constexpr const char* kSimplePolicies =
      "CREATE TABLE t (id integer, owner text, v integer, code varchar(3), day date, score real, flag boolean);\n"
      "ALTER TABLE t ENABLE ROW LEVEL SECURITY;\n"
      "CREATE POLICY owner_reads ON t FOR SELECT USING (owner = current_user);\n"
      "CREATE POLICY analysts_read_v1 ON t FOR SELECT TO analyst USING (v = 1);\n"
      "CREATE POLICY small_inserts ON t FOR INSERT WITH CHECK (v < 10);\n"
      "CREATE POLICY cap ON t AS RESTRICTIVE FOR INSERT WITH CHECK (v > -10);\n"
      "CREATE POLICY own_updates ON t FOR UPDATE USING (owner = current_user) WITH CHECK (v < 10);\n"
      "CREATE POLICY no_locked_deletes ON t FOR DELETE USING (v <> 0);\n"
      "CREATE POLICY by_setting ON t FOR DELETE TO manager USING (owner = current_setting('app.owner'));\n";
};

using Lines = std::vector<std::string>;

// ---- outcomes per command

TEST_F(CliEval, SelectPrintsOneLinePerRowInInputOrder) {
  EXPECT_EQ(outcomes({"--table", "t", "--command", "SELECT", "--user", "bob"},
                     "{\"id\":1,\"owner\":\"bob\",\"v\":5}\n"
                     "{\"id\":2,\"owner\":\"alice\",\"v\":5}\n"
                     "{\"id\":3,\"owner\":null,\"v\":5}\n"),
            (Lines{line(1, "pass"), line(2, "filtered"), line(3, "filtered")}));
}

TEST_F(CliEval, BlankLinesAreSkippedButRowsKeepTheirNumbers) {
  EXPECT_EQ(outcomes({"--table", "t", "--command", "SELECT", "--user", "bob"},
                     "{\"owner\":\"bob\"}\n\n{\"owner\":\"alice\"}\n"),
            (Lines{line(1, "pass"), line(2, "filtered")}));
}

TEST_F(CliEval, RolesFromTheRolesFileApply) {
  // alice holds analyst, so analysts_read_v1 also applies to her.
  EXPECT_EQ(outcomes({"--table", "t", "--command", "SELECT", "--user", "alice"},
                     "{\"owner\":\"bob\",\"v\":1}\n{\"owner\":\"bob\",\"v\":2}\n"),
            (Lines{line(1, "pass"), line(2, "filtered")}));
}

TEST_F(CliEval, RoleOptionAddsARole) {
  EXPECT_EQ(outcomes({"--table", "t", "--command", "SELECT", "--user", "bob", "--role", "analyst"},
                     "{\"owner\":\"zed\",\"v\":1}\n"),
            Lines{line(1, "pass")});
  EXPECT_EQ(outcomes({"--table", "t", "--command", "SELECT", "--user", "bob"}, "{\"owner\":\"zed\",\"v\":1}\n"),
            Lines{line(1, "filtered")});
}

TEST_F(CliEval, RoleOptionCanGrantBypassRls) {
  EXPECT_EQ(outcomes({"--table", "t", "--command", "INSERT", "--user", "bob", "--role", "superuser"},
                     "{\"v\":100}\n"),
            Lines{line(1, "pass")});
}

TEST_F(CliEval, InsertViolationsCarryPostgresMessages) {
  EXPECT_EQ(outcomes({"--table", "t", "--command", "INSERT", "--user", "bob"},
                     "{\"v\":9}\n{\"v\":10}\n{\"v\":-10}\n{\"v\":null}\n"),
            (Lines{line(1, "pass"), line(2, "violation", kViolationJson),
                   line(3, "violation", R"("new row violates row-level security policy \"cap\" for table \"t\"")"),
                   line(4, "violation", kViolationJson)}));
}

TEST_F(CliEval, ReturningMakesInsertedRowsSubjectToSelectPolicies) {
  const std::string rows = "{\"owner\":\"bob\",\"v\":1}\n{\"owner\":\"alice\",\"v\":1}\n";
  EXPECT_EQ(outcomes({"--table", "t", "--command", "INSERT", "--user", "bob"}, rows),
            (Lines{line(1, "pass"), line(2, "pass")}));
  EXPECT_EQ(outcomes({"--table", "t", "--command", "INSERT", "--user", "bob", "--returning"}, rows),
            (Lines{line(1, "pass"), line(2, "violation", kViolationJson)}));
}

TEST_F(CliEval, UpdatePairsOldAndNewRows) {
  write("new.jsonl",
        "{\"owner\":\"bob\",\"v\":9}\n"
        "{\"owner\":\"bob\",\"v\":10}\n"
        "{\"owner\":\"bob\",\"v\":1}\n"
        "{\"owner\":\"alice\",\"v\":1}\n");
  EXPECT_EQ(outcomes({"--table", "t", "--command", "UPDATE", "--user", "bob", "--new-rows", "new.jsonl"},
                     "{\"owner\":\"bob\",\"v\":1}\n"
                     "{\"owner\":\"bob\",\"v\":1}\n"
                     "{\"owner\":\"alice\",\"v\":1}\n"
                     "{\"owner\":\"bob\",\"v\":1}\n"),
            (Lines{line(1, "pass"), line(2, "violation", kViolationJson), line(3, "filtered"),
                   line(4, "violation", kViolationJson)}));
}

TEST_F(CliEval, NoReadLeavesSelectPoliciesOutOfAnUpdate) {
  write("new.jsonl", "{\"owner\":\"alice\",\"v\":1}\n");
  EXPECT_EQ(outcomes({"--table", "t", "--command", "UPDATE", "--user", "bob", "--new-rows", "new.jsonl", "--no-read"},
                     "{\"owner\":\"bob\",\"v\":1}\n"),
            Lines{line(1, "pass")});
}

TEST_F(CliEval, NoReadLeavesSelectPoliciesOutOfADelete) {
  const std::string rows = "{\"owner\":\"alice\",\"v\":1}\n{\"owner\":\"bob\",\"v\":0}\n";
  EXPECT_EQ(outcomes({"--table", "t", "--command", "DELETE", "--user", "bob"}, rows),
            (Lines{line(1, "filtered"), line(2, "filtered")}));
  EXPECT_EQ(outcomes({"--table", "t", "--command", "DELETE", "--user", "bob", "--no-read"}, rows),
            (Lines{line(1, "pass"), line(2, "filtered")}));
}

TEST_F(CliEval, CommandIsCaseInsensitive) {
  EXPECT_EQ(outcomes({"--table", "public.t", "--command", "select", "--user", "bob"}, "{\"owner\":\"bob\"}\n"),
            Lines{line(1, "pass")});
}

// ---- settings

TEST_F(CliEval, SetGivesSessionSettings) {
  // v = 0 rows are locked for everyone; carol, a manager, may delete them when they are app.owner's.
  const std::string rows = "{\"owner\":\"dan\",\"v\":0}\n{\"owner\":\"eve\",\"v\":0}\n";
  EXPECT_EQ(outcomes({"--table", "t", "--command", "DELETE", "--user", "carol", "--no-read", "--set", "app.owner=dan"},
                     rows),
            (Lines{line(1, "pass"), line(2, "filtered")}));
}

TEST_F(CliEval, UnsetSettingIsAnErrorPerRowWithPostgresMessage) {
  EXPECT_EQ(outcomes({"--table", "t", "--command", "DELETE", "--user", "carol", "--no-read"},
                     "{\"owner\":\"dan\",\"v\":1}\n"),
            Lines{line(1, "error", R"("unrecognized configuration parameter \"app.owner\"")")});
}

TEST_F(CliEval, SetValueMayContainAnEqualsSign) {
  EXPECT_EQ(outcomes({"--table", "t", "--command", "DELETE", "--user", "carol", "--no-read", "--set=app.owner=a=b"},
                     "{\"owner\":\"a=b\",\"v\":0}\n"),
            Lines{line(1, "pass")});
}

// ---- runtime errors

TEST_F(CliEval, RuntimeErrorsAreReportedPerRow) {
  write("policies.sql",
        "CREATE TABLE t (id integer, v integer);\n"
        "ALTER TABLE t ENABLE ROW LEVEL SECURITY;\n"
        "CREATE POLICY p ON t USING (100 / v > 1 AND v * 1000000 <> 7);\n");
  EXPECT_EQ(outcomes({"--table", "t", "--command", "SELECT", "--user", "bob"},
                     "{\"v\":0}\n{\"v\":1000000}\n{\"v\":10}\n{\"v\":1000}\n"),
            (Lines{line(1, "error", "\"division by zero\""), line(2, "filtered"), line(3, "pass"),
                   line(4, "filtered")}));
}

TEST_F(CliEval, OverflowIsAnError) {
  write("policies.sql",
        "CREATE TABLE t (id integer, v integer);\n"
        "ALTER TABLE t ENABLE ROW LEVEL SECURITY;\n"
        "CREATE POLICY p ON t USING (v * 1000000 <> 7);\n");
  EXPECT_EQ(outcomes({"--table", "t", "--command", "SELECT", "--user", "bob"}, "{\"v\":1000000}\n{\"v\":1}\n"),
            (Lines{line(1, "error", "\"integer out of range\""), line(2, "pass")}));
}

TEST_F(CliEval, RlsDisabledPassesEverything) {
  write("policies.sql", "CREATE TABLE t (id integer);\nCREATE POLICY p ON t USING (false);\n");
  EXPECT_EQ(outcomes({"--table", "t", "--command", "SELECT", "--user", "bob"}, "{\"id\":1}\n"), Lines{line(1, "pass")});
}

// ---- policy errors: exit 1, diagnostics on stderr, no output

TEST_F(CliEval, PolicyErrorsExitOneWithDiagnostics) {
  write("policies.sql",
        "CREATE TABLE t (id integer);\n"
        "CREATE POLICY p ON t USING (nosuch = 1);\n");
  ProcessResult result = eval({"--table", "t", "--command", "SELECT", "--user", "bob"}, "{\"id\":1}\n");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err, "policies.sql:2:29: error: column \"nosuch\" does not exist\n" +
                            source_excerpt("CREATE POLICY p ON t USING (nosuch = 1);", 29));
}

// ---- usage errors: exit 2

TEST_F(CliEval, MissingOptionsAreUsageErrors) {
  struct Case {
    std::vector<std::string> arguments;
    std::string first_line;
  };
  const Case cases[] = {
      {{"--command", "SELECT", "--user", "bob"}, "weftkit-policyc: error: 'eval' needs --table T"},
      {{"--table", "t", "--user", "bob"}, "weftkit-policyc: error: 'eval' needs --command SELECT|INSERT|UPDATE|DELETE"},
      {{"--table", "t", "--command", "SELECT"}, "weftkit-policyc: error: 'eval' needs --user U"},
  };
  for (const Case& c : cases) EXPECT_EQ(first_line(usage_error(c.arguments, "{}\n")), c.first_line);
  ProcessResult no_rows = policyc({"eval", "roles.yaml", "policies.sql", "--table", "t", "--command", "SELECT", "--user", "bob"});
  EXPECT_EQ(no_rows.exit_code, 2);
  EXPECT_EQ(first_line(no_rows.err), "weftkit-policyc: error: 'eval' needs --rows ROWS.jsonl");
}

TEST_F(CliEval, UnknownCommand) {
  EXPECT_EQ(usage_error({"--table", "t", "--command", "MERGE", "--user", "bob"}, "{}\n"),
            "weftkit-policyc: error: unknown --command 'MERGE' (expected SELECT, INSERT, UPDATE or DELETE)\n");
}

TEST_F(CliEval, UpdateNeedsNewRows) {
  EXPECT_EQ(usage_error({"--table", "t", "--command", "UPDATE", "--user", "bob"}, "{}\n"),
            "weftkit-policyc: error: UPDATE needs --new-rows NEW.jsonl\n");
}

TEST_F(CliEval, NewRowsAreOnlyForUpdate) {
  write("new.jsonl", "{}\n");
  for (const char* command : {"SELECT", "INSERT", "DELETE"}) {
    EXPECT_EQ(usage_error({"--table", "t", "--command", command, "--user", "bob", "--new-rows", "new.jsonl"}, "{}\n"),
              "weftkit-policyc: error: --new-rows is only for UPDATE\n")
        << command;
  }
}

TEST_F(CliEval, UpdateRowCountsMustBeEqual) {
  write("new.jsonl", "{}\n");
  EXPECT_EQ(usage_error({"--table", "t", "--command", "UPDATE", "--user", "bob", "--new-rows", "new.jsonl"}, "{}\n{}\n"),
            "weftkit-policyc: error: --rows has 2 rows but --new-rows has 1; UPDATE pairs them one to one\n");
}

TEST_F(CliEval, UnknownTable) {
  EXPECT_EQ(usage_error({"--table", "nosuch", "--command", "SELECT", "--user", "bob"}, "{}\n"),
            "weftkit-policyc: error: no table public.nosuch in the policy files\n");
}

TEST_F(CliEval, UnknownRole) {
  EXPECT_EQ(usage_error({"--table", "t", "--command", "SELECT", "--user", "bob", "--role", "ghost"}, "{}\n"),
            "weftkit-policyc: error: unknown role 'ghost' given with --role\n");
}

TEST_F(CliEval, SetWithoutAnEqualsSign) {
  EXPECT_EQ(first_line(usage_error({"--table", "t", "--command", "SELECT", "--user", "bob", "--set", "app.owner"},
                                   "{}\n")),
            "weftkit-policyc: error: option '--set' takes name=value, not 'app.owner'");
}

TEST_F(CliEval, SetWithAnEmptyName) {
  ProcessResult result = eval({"--table", "t", "--command", "SELECT", "--user", "bob", "--set", "=x"}, "{}\n");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.out, "");
}

TEST_F(CliEval, UnreadableRowsFile) {
  ProcessResult result = policyc(
      {"eval", "roles.yaml", "policies.sql", "--table", "t", "--command", "SELECT", "--user", "bob", "--rows", "missing.jsonl"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err, "missing.jsonl: cannot read file\n");
}

// ---- bad rows: exit 2, every bad line reported with file:line, no output

TEST_F(CliEval, BadRowsAreReportedWithTheirLineNumbers) {
  EXPECT_EQ(usage_error({"--table", "t", "--command", "SELECT", "--user", "bob"},
                        "{\"id\":1,\"owner\":\"alice\",\"nosuch\":1}\n"
                        "{\"id\":\"1\"}\n"
                        "\n"
                        "{\"id\":3000000000}\n"
                        "{\"code\":\"abcd\"}\n"
                        "{\"day\":\"2024-02-30\"}\n"
                        "{\"score\":\"abc\"}\n"
                        "{\"flag\":1}\n"
                        "[1]\n"
                        "{\"id\":1.5}\n"
                        "{\"id\":1}\n"),
            "rows.jsonl:1: unknown column \"nosuch\" for table \"t\"\n"
            "rows.jsonl:2: column \"id\" (integer) expects an integer, found a string\n"
            "rows.jsonl:4: column \"id\": value \"3000000000\" is out of range for type integer\n"
            "rows.jsonl:5: column \"code\": value too long for type character varying(3)\n"
            "rows.jsonl:6: column \"day\": date/time field value out of range: \"2024-02-30\"\n"
            "rows.jsonl:7: column \"score\" (real) expects a number, \"NaN\", \"Infinity\" or \"-Infinity\", found a "
            "string\n"
            "rows.jsonl:8: column \"flag\" (boolean) expects true or false, found an integer\n"
            "rows.jsonl:9: expected a JSON object of column values, found an array\n"
            "rows.jsonl:10: column \"id\" (integer) expects an integer, found a fractional number\n");
}

TEST_F(CliEval, BadNewRowsAreReportedWithTheirFile) {
  write("new.jsonl", "{\"v\":\"x\"}\n");
  EXPECT_EQ(usage_error({"--table", "t", "--command", "UPDATE", "--user", "bob", "--new-rows", "new.jsonl"}, "{}\n"),
            "new.jsonl:1: column \"v\" (integer) expects an integer, found a string\n");
}

TEST_F(CliEval, EdgeValuesInTheirInputFormatsAreAccepted) {
  write("policies.sql",
        "CREATE TABLE t (score real, big bigint, day date, code varchar(3), flag boolean);\n"
        "ALTER TABLE t ENABLE ROW LEVEL SECURITY;\n"
        "CREATE POLICY p ON t USING (score = 'NaN' AND big = 9223372036854775807 AND day = 'infinity' AND "
        "code = 'abc' AND flag);\n");
  EXPECT_EQ(outcomes({"--table", "t", "--command", "SELECT", "--user", "bob"},
                     "{\"score\":\"NaN\",\"big\":9223372036854775807,\"day\":\"infinity\",\"code\":\"abc\","
                     "\"flag\":true}\n"
                     "{\"score\":\"Infinity\",\"big\":9223372036854775807,\"day\":\"infinity\",\"code\":\"abc\","
                     "\"flag\":true}\n"),
            (Lines{line(1, "pass"), line(2, "filtered")}));
}

}  // namespace
}  // namespace weftkit::policy::testing
