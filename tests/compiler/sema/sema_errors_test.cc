// Every semantic error of a policy file is reported at its exact file:line:col with
// PostgreSQL 15's message (checked against the real server where PostgreSQL has the rule), and
// a file with any error yields no program at all.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "compiler/driver/compile_files.h"

namespace weftkit::policy {
namespace {

using Lines = std::vector<std::string>;

// Line 1 of most tests; policies follow on line 2, so columns count from "CREATE POLICY".
const std::string kTable = "CREATE TABLE t (id integer, name text, d date, b bigint, ok boolean);\n";

const std::string kRoles =
    "roles:\n"
    "  - name: analyst\n"
    "    allow: [SELECT]\n"
    "users:\n"
    "  - name: alice\n"
    "    roles: [analyst]\n";

Result<PolicyProgram> compile_sql(const std::string& sql, bool with_roles = false) {
  SourceTexts sources;
  std::vector<SourceInput> inputs;
  if (with_roles) inputs.push_back(SourceInput{"roles.yaml", kRoles});
  inputs.push_back(SourceInput{"policies.sql", sql});
  return compile_sources(inputs, sources);
}

// The first line of each diagnostic: "file:line:col: severity: message".
Lines headlines(const Result<PolicyProgram>& result) {
  Lines lines;
  for (const Diagnostic& diagnostic : result.diagnostics().all()) {
    lines.push_back(diagnostic.where.to_string() + ": " + severity_name(diagnostic.severity) + ": " +
                    diagnostic.message);
  }
  return lines;
}

// The one error of a policy on line 2, after kTable.
std::string policy_error(const std::string& policy_line) {
  Result<PolicyProgram> result = compile_sql(kTable + policy_line + "\n");
  EXPECT_FALSE(result.ok()) << policy_line;
  Lines lines = headlines(result);
  EXPECT_EQ(lines.size(), 1u) << policy_line;
  return lines.empty() ? "" : lines[0];
}

// ---- tables and columns

TEST(SemaErrors, PolicyOnAnUndeclaredTableSaysToDeclareIt) {
  Result<PolicyProgram> result = compile_sql("CREATE POLICY p ON orders USING (true);\n");
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(headlines(result), Lines{"policies.sql:1:20: error: relation \"orders\" does not exist"});
  ASSERT_EQ(result.diagnostics().all()[0].notes.size(), 1u);
  EXPECT_EQ(result.diagnostics().all()[0].notes[0].message,
            "declare the table with CREATE TABLE before its policies");
}

TEST(SemaErrors, UnknownTableSuggestsTheClosestDeclaredOne) {
  EXPECT_EQ(policy_error("CREATE POLICY p ON tt USING (true);"),
            "policies.sql:2:20: error: relation \"tt\" does not exist; did you mean \"t\"?");
}

TEST(SemaErrors, TableInAnotherSchemaIsADifferentTable) {
  EXPECT_EQ(policy_error("CREATE POLICY p ON sales.t USING (true);"),
            "policies.sql:2:20: error: relation \"sales.t\" does not exist; did you mean \"t\"?");
}

TEST(SemaErrors, AlterTableOfAnUnknownTable) {
  EXPECT_EQ(policy_error("ALTER TABLE nosuch ENABLE ROW LEVEL SECURITY;"),
            "policies.sql:2:13: error: relation \"nosuch\" does not exist");
}

TEST(SemaErrors, UnknownColumn) {
  EXPECT_EQ(policy_error("CREATE POLICY p ON t USING (nosuch = 1);"),
            "policies.sql:2:29: error: column \"nosuch\" does not exist");
}

TEST(SemaErrors, UnknownQualifiedColumnIsNamedWithItsTableUnquoted) {
  EXPECT_EQ(policy_error("CREATE POLICY p ON t USING (t.nosuch = 1);"),
            "policies.sql:2:29: error: column t.nosuch does not exist");
}

TEST(SemaErrors, ColumnQualifiedByAnotherTableIsAMissingFromClauseEntry) {
  EXPECT_EQ(policy_error("CREATE POLICY p ON t USING (u.id = 1);"),
            "policies.sql:2:29: error: missing FROM-clause entry for table \"u\"");
}

TEST(SemaErrors, ColumnQualifiedByAnotherSchemaIsAMissingFromClauseEntry) {
  EXPECT_EQ(policy_error("CREATE POLICY p ON t USING (sales.t.id = 1);"),
            "policies.sql:2:29: error: missing FROM-clause entry for table \"sales.t\"");
}

TEST(SemaErrors, DuplicateTableCitesTheFirst) {
  Result<PolicyProgram> result = compile_sql(kTable + "CREATE TABLE t (x integer);\n");
  EXPECT_EQ(headlines(result), Lines{"policies.sql:2:14: error: relation \"t\" already exists"});
  ASSERT_EQ(result.diagnostics().all()[0].notes.size(), 1u);
  EXPECT_EQ(result.diagnostics().all()[0].notes[0].where.to_string(), "policies.sql:1:14");
  EXPECT_EQ(result.diagnostics().all()[0].notes[0].message, "first created here");
}

TEST(SemaErrors, DuplicateColumn) {
  Result<PolicyProgram> result = compile_sql("CREATE TABLE t2 (x integer, x text);\n");
  EXPECT_EQ(headlines(result), Lines{"policies.sql:1:29: error: column \"x\" specified more than once"});
}

TEST(SemaErrors, UnsupportedColumnType) {
  Result<PolicyProgram> result = compile_sql("CREATE TABLE t2 (x money);\n");
  EXPECT_EQ(headlines(result),
            Lines{"policies.sql:1:20: error: column type \"money\" is not supported (supported: boolean, smallint, "
                  "integer, bigint, real, double precision, text, varchar(n), date, timestamp, timestamptz, uuid)"});
}

// ---- TO lists

TEST(SemaErrors, UnknownRoleInToSaysWhereRolesAreDeclared) {
  Result<PolicyProgram> result = compile_sql(kTable + "CREATE POLICY p ON t TO nosuchrole USING (true);\n", true);
  EXPECT_EQ(headlines(result), Lines{"policies.sql:2:25: error: role \"nosuchrole\" does not exist"});
  ASSERT_EQ(result.diagnostics().all()[0].notes.size(), 1u);
  EXPECT_EQ(result.diagnostics().all()[0].notes[0].message,
            "roles and users are declared in a roles file (.yaml) given with the policies");
}

TEST(SemaErrors, MisspelledRoleInToGetsASuggestion) {
  Result<PolicyProgram> result = compile_sql(kTable + "CREATE POLICY p ON t TO analyts USING (true);\n", true);
  EXPECT_EQ(headlines(result),
            Lines{"policies.sql:2:25: error: role \"analyts\" does not exist; did you mean 'analyst'?"});
}

TEST(SemaErrors, RolesUsersAndBuiltinRolesAreAllKnownInTo) {
  Result<PolicyProgram> result =
      compile_sql(kTable + "CREATE POLICY p ON t TO analyst, alice, read_only USING (true);\n", true);
  EXPECT_TRUE(result.ok());
  EXPECT_EQ(headlines(result), Lines{});
}

TEST(SemaErrors, PublicWithOtherRolesWarnsAndKeepsOnlyPublic) {
  Result<PolicyProgram> result = compile_sql(kTable + "CREATE POLICY p ON t TO analyst, PUBLIC USING (true);\n", true);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(headlines(result),
            Lines{"policies.sql:2:25: warning: ignoring specified roles other than PUBLIC (PUBLIC includes every "
                  "role)"});
  const RowPolicy& policy = result.value().tables[0].policies[0];
  ASSERT_EQ(policy.grantees.size(), 1u);
  EXPECT_EQ(policy.grantees[0].kind, PolicyGrantee::Kind::kPublic);
}

TEST(SemaErrors, ToCurrentUserWarnsThatItNamesThePolicyDefiner) {
  Result<PolicyProgram> result = compile_sql(kTable + "CREATE POLICY p ON t TO CURRENT_USER USING (true);\n");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(headlines(result),
            Lines{"policies.sql:2:25: warning: CURRENT_USER in a TO list names the role that defines the policy, as "
                  "in PostgreSQL; WeftKit policy files are defined by the built-in superuser, so this entry matches "
                  "only principals holding it"});
  const RowPolicy& policy = result.value().tables[0].policies[0];
  ASSERT_EQ(policy.grantees.size(), 1u);
  EXPECT_EQ(policy.grantees[0].kind, PolicyGrantee::Kind::kRole);
  EXPECT_EQ(policy.grantees[0].role, "superuser");
}

// ---- which clauses a command may have

TEST(SemaErrors, UsingOnInsert) {
  EXPECT_EQ(policy_error("CREATE POLICY p ON t FOR INSERT USING (true);"),
            "policies.sql:2:26: error: only WITH CHECK expression allowed for INSERT");
}

TEST(SemaErrors, WithCheckOnSelect) {
  EXPECT_EQ(policy_error("CREATE POLICY p ON t FOR SELECT WITH CHECK (true);"),
            "policies.sql:2:26: error: WITH CHECK cannot be applied to SELECT or DELETE");
}

TEST(SemaErrors, WithCheckOnDelete) {
  EXPECT_EQ(policy_error("CREATE POLICY p ON t FOR DELETE WITH CHECK (true);"),
            "policies.sql:2:26: error: WITH CHECK cannot be applied to SELECT or DELETE");
}

TEST(SemaErrors, AlterPolicyAddingUsingToAnInsertPolicy) {
  Result<PolicyProgram> result = compile_sql(kTable +
                                             "CREATE POLICY p ON t FOR INSERT WITH CHECK (true);\n"
                                             "ALTER POLICY p ON t USING (true);\n");
  EXPECT_FALSE(result.ok());
  ASSERT_EQ(headlines(result).size(), 1u);
  EXPECT_EQ(result.diagnostics().all()[0].message, "only WITH CHECK expression allowed for INSERT");
  EXPECT_EQ(result.diagnostics().all()[0].where.line, 3u);
}

// ---- types

TEST(SemaErrors, NonBooleanCondition) {
  EXPECT_EQ(policy_error("CREATE POLICY p ON t USING (id);"),
            "policies.sql:2:29: error: argument of POLICY must be type boolean, not type integer");
}

TEST(SemaErrors, NonBooleanWithCheck) {
  EXPECT_EQ(policy_error("CREATE POLICY p ON t WITH CHECK (name);"),
            "policies.sql:2:34: error: argument of POLICY must be type boolean, not type text");
}

TEST(SemaErrors, NonBooleanOperandOfAnd) {
  EXPECT_EQ(policy_error("CREATE POLICY p ON t USING (ok AND b);"),
            "policies.sql:2:36: error: argument of AND must be type boolean, not type bigint");
}

TEST(SemaErrors, IntegerEqualsText) {
  EXPECT_EQ(policy_error("CREATE POLICY p ON t USING (id = name);"),
            "policies.sql:2:32: error: operator does not exist: integer = text");
}

TEST(SemaErrors, IntegerLikeUnknown) {
  EXPECT_EQ(policy_error("CREATE POLICY p ON t USING (id LIKE 'a%');"),
            "policies.sql:2:32: error: operator does not exist: integer ~~ unknown");
}

TEST(SemaErrors, DatePlusBigint) {
  EXPECT_EQ(policy_error("CREATE POLICY p ON t USING (d + b > d);"),
            "policies.sql:2:31: error: operator does not exist: date + bigint");
}

TEST(SemaErrors, CaseResultTypesCannotBeMatched) {
  // PostgreSQL looks at the ELSE result (integer) first, then the WHENs in order.
  EXPECT_EQ(policy_error("CREATE POLICY p ON t USING (CASE WHEN ok THEN 1 WHEN true THEN 'x'::text ELSE 2 END = 1);"),
            "policies.sql:2:64: error: CASE types integer and text cannot be matched");
}

TEST(SemaErrors, CaseTypesAreReportedElseFirstAsPostgresDoes) {
  Result<PolicyProgram> result =
      compile_sql(kTable + "CREATE POLICY p ON t USING (CASE WHEN ok THEN 1 ELSE 'x'::text END = 1);\n");
  ASSERT_EQ(result.diagnostics().all().size(), 1u);
  EXPECT_EQ(result.diagnostics().all()[0].message, "CASE types text and integer cannot be matched");
}

TEST(SemaErrors, CoalesceTypesCannotBeMatched) {
  EXPECT_EQ(policy_error("CREATE POLICY p ON t USING (coalesce(id, 2, name) IS NULL);"),
            "policies.sql:2:45: error: COALESCE types integer and text cannot be matched");
}

TEST(SemaErrors, TimestampDifferenceIsUnsupportedNotMissing) {
  SourceTexts sources;
  Result<PolicyProgram> result = compile_sources(
      {SourceInput{"policies.sql", "CREATE TABLE t (ts timestamp, d date);\nCREATE POLICY p ON t USING (ts - d IS NULL);\n"}},
      sources);
  ASSERT_EQ(result.diagnostics().all().size(), 1u);
  EXPECT_EQ(result.diagnostics().all()[0].message.find("does not exist"), std::string::npos);
  EXPECT_NE(result.diagnostics().all()[0].message.find("not supported"), std::string::npos);
}

TEST(SemaErrors, LiteralThatIsNotAnInteger) {
  EXPECT_EQ(policy_error("CREATE POLICY p ON t USING (id = 'abc');"),
            "policies.sql:2:34: error: invalid input syntax for type integer: \"abc\"");
}

TEST(SemaErrors, LiteralThatIsNotADate) {
  EXPECT_EQ(policy_error("CREATE POLICY p ON t USING (d = '2024-02-30');"),
            "policies.sql:2:33: error: date/time field value out of range: \"2024-02-30\"");
}

TEST(SemaErrors, TypedLiteralOutOfRange) {
  EXPECT_EQ(policy_error("CREATE POLICY p ON t USING (id = '3000000000'::integer);"),
            "policies.sql:2:34: error: value \"3000000000\" is out of range for type integer");
}

TEST(SemaErrors, UnsupportedTypeInACast) {
  EXPECT_EQ(policy_error("CREATE POLICY p ON t USING (id::money = 1);"),
            "policies.sql:2:33: error: type \"money\" is not supported in WeftKit policies (supported: boolean, "
            "smallint, integer, bigint, real, double precision, numeric, text, varchar(n), date, timestamp, "
            "timestamptz, uuid)");
}

TEST(SemaErrors, CastThatDoesNotExist) {
  EXPECT_EQ(policy_error("CREATE POLICY p ON t USING (d::integer = 1);"),
            "policies.sql:2:30: error: cannot cast type date to integer");
}

// ---- functions

TEST(SemaErrors, NowIsNotSupported) {
  EXPECT_EQ(policy_error("CREATE POLICY p ON t USING (d < now());"),
            "policies.sql:2:33: error: function now() is not supported in WeftKit policies (supported: "
            "current_setting, coalesce, nullif, lower, upper, length, abs, greatest, least)");
}

TEST(SemaErrors, RandomIsNotSupported) {
  EXPECT_EQ(policy_error("CREATE POLICY p ON t USING (random() < 0.5);"),
            "policies.sql:2:29: error: function random() is not supported in WeftKit policies (supported: "
            "current_setting, coalesce, nullif, lower, upper, length, abs, greatest, least)");
}

TEST(SemaErrors, FunctionWithWrongArgumentTypesDoesNotExist) {
  EXPECT_EQ(policy_error("CREATE POLICY p ON t USING (lower(id) = 'a');"),
            "policies.sql:2:29: error: function lower(integer) does not exist");
}

TEST(SemaErrors, CurrentSettingNameMustBeAConstant) {
  EXPECT_EQ(policy_error("CREATE POLICY p ON t USING (current_setting(name) = 'x');"),
            "policies.sql:2:45: error: the setting name of current_setting must be a string constant in WeftKit "
            "policies");
}

TEST(SemaErrors, CurrentSettingMissingOkMustBeAConstant) {
  EXPECT_EQ(policy_error("CREATE POLICY p ON t USING (current_setting('app.x', ok) = 'x');"),
            "policies.sql:2:54: error: missing_ok of current_setting must be a boolean constant in WeftKit "
            "policies");
}

// ---- CREATE / ALTER / DROP POLICY bookkeeping

TEST(SemaErrors, DuplicatePolicyCitesTheFirst) {
  Result<PolicyProgram> result = compile_sql(kTable +
                                             "CREATE POLICY p ON t USING (true);\n"
                                             "CREATE POLICY p ON t USING (false);\n");
  EXPECT_EQ(headlines(result), Lines{"policies.sql:3:15: error: policy \"p\" for table \"t\" already exists"});
  ASSERT_EQ(result.diagnostics().all()[0].notes.size(), 1u);
  EXPECT_EQ(result.diagnostics().all()[0].notes[0].where.to_string(), "policies.sql:2:15");
  EXPECT_EQ(result.diagnostics().all()[0].notes[0].message, "first created here");
}

TEST(SemaErrors, SamePolicyNameOnAnotherTableIsFine) {
  Result<PolicyProgram> result = compile_sql(kTable +
                                             "CREATE TABLE u (id integer);\n"
                                             "CREATE POLICY p ON t USING (true);\n"
                                             "CREATE POLICY p ON u USING (true);\n");
  EXPECT_TRUE(result.ok());
  EXPECT_EQ(headlines(result), Lines{});
}

TEST(SemaErrors, DropOfAMissingPolicy) {
  EXPECT_EQ(policy_error("DROP POLICY nope ON t;"),
            "policies.sql:2:13: error: policy \"nope\" for table \"t\" does not exist");
}

TEST(SemaErrors, DropIfExistsOfAMissingPolicyIsSilent) {
  Result<PolicyProgram> result = compile_sql(kTable + "DROP POLICY IF EXISTS nope ON t;\n");
  EXPECT_TRUE(result.ok());
  EXPECT_EQ(headlines(result), Lines{});
}

TEST(SemaErrors, DropRemovesThePolicySoItCanBeCreatedAgain) {
  Result<PolicyProgram> result = compile_sql(kTable +
                                             "CREATE POLICY p ON t USING (true);\n"
                                             "DROP POLICY p ON t;\n"
                                             "CREATE POLICY p ON t USING (false);\n");
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result.value().tables[0].policies.size(), 1u);
  EXPECT_EQ(result.value().tables[0].policies[0].where.line, 4u);
}

TEST(SemaErrors, AlterOfAMissingPolicy) {
  EXPECT_EQ(policy_error("ALTER POLICY nope ON t USING (true);"),
            "policies.sql:2:14: error: policy \"nope\" for table \"t\" does not exist");
}

TEST(SemaErrors, RenameOntoAnExistingPolicy) {
  Result<PolicyProgram> result = compile_sql(kTable +
                                             "CREATE POLICY p ON t USING (true);\n"
                                             "CREATE POLICY q ON t USING (true);\n"
                                             "ALTER POLICY p ON t RENAME TO q;\n");
  EXPECT_EQ(headlines(result), Lines{"policies.sql:4:31: error: policy \"q\" for table \"t\" already exists"});
}

TEST(SemaErrors, RenameOntoItselfCollidesAsInPostgres) {
  Result<PolicyProgram> result = compile_sql(kTable +
                                             "CREATE POLICY p ON t USING (true);\n"
                                             "ALTER POLICY p ON t RENAME TO p;\n");
  EXPECT_EQ(headlines(result), Lines{"policies.sql:3:31: error: policy \"p\" for table \"t\" already exists"});
}

TEST(SemaErrors, RenamedPolicyIsFoundByItsNewNameOnly) {
  Result<PolicyProgram> result = compile_sql(kTable +
                                             "CREATE POLICY p ON t USING (true);\n"
                                             "ALTER POLICY p ON t RENAME TO q;\n"
                                             "DROP POLICY p ON t;\n");
  EXPECT_EQ(headlines(result), Lines{"policies.sql:4:13: error: policy \"p\" for table \"t\" does not exist"});
}

TEST(SemaErrors, AlterPolicyChecksEveryNewExpression) {
  Result<PolicyProgram> result = compile_sql(kTable +
                                             "CREATE POLICY p ON t USING (id = 1);\n"
                                             "ALTER POLICY p ON t USING (id = 2) WITH CHECK (nosuch);\n");
  EXPECT_EQ(headlines(result), Lines{"policies.sql:3:48: error: column \"nosuch\" does not exist"});
}

// ---- a file with errors

TEST(SemaErrors, EveryBadStatementIsReportedAndNoProgramIsProduced) {
  Result<PolicyProgram> result = compile_sql(kTable +
                                             "CREATE POLICY a ON t USING (nosuch);\n"
                                             "CREATE POLICY b ON t USING (true);\n"
                                             "CREATE POLICY c ON t USING (id = 'x');\n");
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(headlines(result), (Lines{"policies.sql:2:29: error: column \"nosuch\" does not exist",
                                     "policies.sql:4:34: error: invalid input syntax for type integer: \"x\""}));
  EXPECT_THROW(result.value(), std::logic_error);
}

TEST(SemaErrors, WarningsAloneStillYieldAProgram) {
  Result<PolicyProgram> result = compile_sql(kTable + "CREATE POLICY p ON t TO PUBLIC, alice USING (true);\n", true);
  EXPECT_TRUE(result.ok());
  EXPECT_EQ(result.diagnostics().warning_count(), 1u);
  EXPECT_EQ(result.diagnostics().error_count(), 0u);
}

}  // namespace
}  // namespace weftkit::policy
