// Every roles.yaml error and warning is reported at its exact position, and a file with any
// error yields no program at all.
#include <gtest/gtest.h>

#include "compiler/driver/compile_files.h"
#include "compiler/roles/roles_yaml_loader.h"

namespace weftkit::policy {
namespace {

Result<PolicyProgram> compile_yaml(const std::string& text, const std::string& path = "roles.yaml") {
  SourceTexts sources;
  return compile_sources({SourceInput{path, text}}, sources);
}

// The first line of each diagnostic: "file:line:col: severity: message".
std::vector<std::string> headlines(const Result<PolicyProgram>& result) {
  std::vector<std::string> lines;
  for (const Diagnostic& diagnostic : result.diagnostics().all()) {
    lines.push_back(diagnostic.where.to_string() + ": " + severity_name(diagnostic.severity) + ": " +
                    diagnostic.message);
  }
  return lines;
}

using Lines = std::vector<std::string>;

TEST(RolesYamlErrors, UnknownOperationIsReportedAtTheItemWithASuggestion) {
  auto result = compile_yaml("- name: analyst\n  allow: [SELECT, INSRET]\n");
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(headlines(result),
            Lines{"roles.yaml:2:19: error: unknown operation 'INSRET' in role 'analyst'; did you mean 'INSERT'?"});
  ASSERT_EQ(result.diagnostics().all()[0].notes.size(), 1u);
  EXPECT_EQ(result.diagnostics().all()[0].notes[0].message,
            "operations are: SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER, COPY TO, COPY FROM, "
            "CREATE, ALTER, DROP, GRANT, REVOKE, CONNECT, EXECUTE, DDL, ALL");
}

TEST(RolesYamlErrors, UnknownInheritedRoleIsReportedAtTheItem) {
  auto result = compile_yaml("- name: a\n  inherits: [read_olny]\n");
  EXPECT_EQ(headlines(result),
            Lines{"roles.yaml:2:14: error: unknown role 'read_olny' in 'inherits' of role 'a'; did you mean "
                  "'read_only'?"});
}

TEST(RolesYamlErrors, UnknownRoleOfAUserIsReportedAtTheItem) {
  auto result = compile_yaml("roles: []\nusers:\n  - name: alice\n    roles: [ghost]\n");
  EXPECT_EQ(headlines(result), Lines{"roles.yaml:4:13: error: unknown role 'ghost' in 'roles' of user 'alice'"});
}

TEST(RolesYamlErrors, UsersTenantsListIsReadWithPositions) {
  Diagnostics diagnostics;
  RolesFileSpec spec = load_roles_yaml(
      "roles.yaml", "users:\n  - name: alice\n    tenant: t1\n    tenants: [t2, t3]\n", diagnostics);
  EXPECT_FALSE(diagnostics.has_errors());
  ASSERT_EQ(spec.users.size(), 1u);
  ASSERT_EQ(spec.users[0].tenants.size(), 2u);
  EXPECT_EQ(spec.users[0].tenants[0].value, "t2");
  EXPECT_EQ(spec.users[0].tenants[1].where.to_string(), "roles.yaml:4:19");
  EXPECT_TRUE(compile_yaml("users:\n  - name: alice\n    tenant: t1\n    tenants: [t2, t3]\n").ok());
}

TEST(RolesYamlErrors, BadTenantsListIsReportedAtTheItem) {
  auto result = compile_yaml("users:\n  - name: alice\n    tenants: [t2, \"\", t2, [x]]\n");
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(headlines(result), (Lines{"roles.yaml:3:19: error: a tenant in 'tenants' is empty",
                                      "roles.yaml:3:23: error: tenant 't2' appears twice in 'tenants'",
                                      "roles.yaml:3:27: error: each item of 'tenants' must be a single value, found a list"}));
  auto scalar = compile_yaml("users:\n  - name: alice\n    tenants: t2\n");
  EXPECT_EQ(headlines(scalar),
            Lines{"roles.yaml:3:14: error: 'tenants' must be a list, such as [A, B], found a single value"});
}

TEST(RolesYamlErrors, InheritanceCycleIsReportedOnceWithItsPath) {
  auto result = compile_yaml(
      "- name: a\n  inherits: [b]\n"
      "- name: b\n  inherits: [c]\n"
      "- name: c\n  inherits: [a]\n");
  EXPECT_EQ(headlines(result), Lines{"roles.yaml:6:14: error: inheritance cycle: a -> b -> c -> a"});
}

TEST(RolesYamlErrors, SelfInheritanceIsACycle) {
  auto result = compile_yaml("- name: a\n  inherits: [a]\n");
  EXPECT_EQ(headlines(result), Lines{"roles.yaml:2:14: error: inheritance cycle: a -> a"});
}

TEST(RolesYamlErrors, DuplicateRoleNotesTheFirstDefinition) {
  auto result = compile_yaml("- name: a\n  allow: [SELECT]\n- name: a\n");
  EXPECT_EQ(headlines(result), Lines{"roles.yaml:3:9: error: duplicate role 'a'"});
  ASSERT_EQ(result.diagnostics().all()[0].notes.size(), 1u);
  EXPECT_EQ(result.diagnostics().all()[0].notes[0].where.to_string(), "roles.yaml:1:9");
  EXPECT_EQ(result.diagnostics().all()[0].notes[0].message, "'a' was first defined here");
}

TEST(RolesYamlErrors, DuplicateRoleAcrossFilesNotesTheOtherFile) {
  SourceTexts sources;
  auto result = compile_sources({{"one.yaml", "- name: a\n"}, {"two.yml", "- name: b\n- name: a\n"}}, sources);
  EXPECT_EQ(headlines(result), Lines{"two.yml:2:9: error: duplicate role 'a'"});
  EXPECT_EQ(result.diagnostics().all()[0].notes[0].where.to_string(), "one.yaml:1:9");
}

TEST(RolesYamlErrors, RedefiningABuiltinRoleIsAnError) {
  for (std::string name : {"superuser", "read_write", "read_only", "schema_admin", "no_access"}) {
    auto result = compile_yaml("- name: " + name + "\n  allow: [SELECT]\n");
    EXPECT_EQ(headlines(result), Lines{"roles.yaml:1:9: error: cannot redefine built-in role '" + name +
                                       "'; choose another name, or inherit from it"});
  }
}

TEST(RolesYamlErrors, BadPatternsSayWhatIsWrong) {
  auto result = compile_yaml(
      "- name: a\n  allow: [SELECT]\n  on: [\"ord*\", \"*.orders\", \"a.b.c\", \"sales.\", \"*.*\", \"two words\"]\n");
  EXPECT_EQ(headlines(result),
            (Lines{
                "roles.yaml:3:8: error: bad resource pattern 'ord*': it uses '*' inside a name; only a whole part "
                "may be '*' (\"*\" or \"schema.*\")",
                "roles.yaml:3:16: error: bad resource pattern '*.orders': it uses a wildcard schema; only \"*\" and "
                "\"schema.*\" are wildcards",
                "roles.yaml:3:28: error: bad resource pattern 'a.b.c': it has more than two dot-separated parts "
                "(expected \"*\", \"schema.*\", \"table\" or \"schema.table\")",
                "roles.yaml:3:37: error: bad resource pattern 'sales.': it has an empty name part",
                "roles.yaml:3:47: error: bad resource pattern '*.*': it is \"*.*\"; write \"*\" for every resource",
                "roles.yaml:3:54: error: bad resource pattern 'two words': it contains white space or a control "
                "character",
            }));
}

TEST(RolesYamlErrors, EmptyScopeListIsAnError) {
  auto result = compile_yaml("- name: a\n  allow: [SELECT]\n  on: []\n");
  EXPECT_EQ(headlines(result), Lines{"roles.yaml:1:3: error: role 'a' has an empty 'on:' list, so it would apply to "
                                     "nothing; remove 'on:' to apply it to every resource"});
}

TEST(RolesYamlErrors, MalformedYamlIsReportedAtTheParserPosition) {
  auto result = compile_yaml("- name: a\n  allow: [SELECT\n");
  ASSERT_EQ(result.diagnostics().all().size(), 1u);
  const Diagnostic& diagnostic = result.diagnostics().all()[0];
  EXPECT_EQ(diagnostic.severity, Severity::kError);
  EXPECT_EQ(diagnostic.where.file, "roles.yaml");
  EXPECT_EQ(diagnostic.where.line, 3u);
  EXPECT_EQ(diagnostic.message.rfind("malformed YAML: ", 0), 0u) << diagnostic.message;
}

TEST(RolesYamlErrors, BareWildcardGetsAQuotingHint) {
  auto result = compile_yaml("- name: a\n  allow: [SELECT]\n  on: [*]\n");
  ASSERT_EQ(result.diagnostics().all().size(), 1u);
  const Diagnostic& diagnostic = result.diagnostics().all()[0];
  EXPECT_EQ(diagnostic.where.to_string(), "roles.yaml:3:9");  // yaml-cpp marks the end of the alias
  EXPECT_EQ(diagnostic.message.rfind("malformed YAML: ", 0), 0u) << diagnostic.message;
  ASSERT_EQ(diagnostic.notes.size(), 1u);
  EXPECT_EQ(diagnostic.notes[0].message,
            "a bare * starts a YAML alias; write wildcard patterns in quotes: \"*\" or \"sales.*\"");
}

TEST(RolesYamlErrors, UnknownKeysAreErrorsWithSuggestions) {
  auto result = compile_yaml("- name: a\n  alow: [SELECT]\n  colour: red\n");
  EXPECT_EQ(headlines(result),
            (Lines{"roles.yaml:2:3: error: unknown key 'alow' in a role; did you mean 'allow'? (expected one of: "
                   "name, allow, deny, inherits, on, bypass_rls)",
                   "roles.yaml:3:3: error: unknown key 'colour' in a role (expected one of: name, allow, deny, "
                   "inherits, on, bypass_rls)"}));
}

TEST(RolesYamlErrors, RepeatedKeyIsAnError) {
  auto result = compile_yaml("- name: a\n  allow: [SELECT]\n  allow: [INSERT]\n");
  EXPECT_EQ(headlines(result), Lines{"roles.yaml:3:3: error: key 'allow' appears twice in a role"});
}

TEST(RolesYamlErrors, WrongShapesAreErrors) {
  EXPECT_EQ(headlines(compile_yaml("- name: a\n  allow: SELECT\n")),
            Lines{"roles.yaml:2:10: error: 'allow' must be a list, such as [A, B], found a single value"});
  EXPECT_EQ(headlines(compile_yaml("- name: [a]\n")),
            (Lines{"roles.yaml:1:9: error: 'name' must be a single value, found a list",
                   "roles.yaml:1:3: error: role has no 'name:'"}));
  EXPECT_EQ(headlines(compile_yaml("- allow: [SELECT]\n")), Lines{"roles.yaml:1:3: error: role has no 'name:'"});
  EXPECT_EQ(headlines(compile_yaml("- just a string\n")),
            Lines{"roles.yaml:1:3: error: each role must be a mapping with at least 'name:', found a single value"});
  EXPECT_EQ(headlines(compile_yaml("42\n")),
            Lines{"roles.yaml:1:1: error: expected a list of roles or a mapping with 'roles:' and 'users:', found a "
                  "single value"});
  EXPECT_EQ(headlines(compile_yaml("- name: a\n  bypass_rls: sometimes\n")),
            Lines{"roles.yaml:2:15: error: 'bypass_rls' must be true or false"});
  EXPECT_EQ(headlines(compile_yaml("roles: []\nteams: []\n")),
            Lines{"roles.yaml:2:1: error: unknown key 'teams' at the top level (expected one of: roles, users)"});
}

TEST(RolesYamlErrors, DuplicateUserNotesTheFirst) {
  auto result = compile_yaml("users:\n  - name: alice\n  - name: alice\n");
  EXPECT_EQ(headlines(result), Lines{"roles.yaml:3:11: error: duplicate user 'alice'"});
  EXPECT_EQ(result.diagnostics().all()[0].notes[0].where.to_string(), "roles.yaml:2:11");
}

TEST(RolesYamlErrors, MoreThanOneDocumentIsAnError) {
  auto result = compile_yaml("- name: a\n---\n- name: b\n");
  EXPECT_EQ(headlines(result),
            Lines{"roles.yaml:3:1: error: a roles file holds one YAML document; found 2 (remove the extra '---')"});
}

TEST(RolesYamlErrors, AllowAndDenyOfTheSameOperationWarnsButCompiles) {
  auto result = compile_yaml("- name: a\n  allow: [SELECT, INSERT]\n  deny: [ALL]\n");
  EXPECT_TRUE(result.ok());
  EXPECT_EQ(headlines(result),
            Lines{"roles.yaml:3:10: warning: role 'a' both allows and denies SELECT, INSERT on the same resources; "
                  "deny wins, so the allow has no effect"});
  const auto& notes = result.diagnostics().all()[0].notes;
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_EQ(notes[0].where.to_string(), "roles.yaml:2:11");
  EXPECT_EQ(notes[1].where.to_string(), "roles.yaml:2:19");
}

TEST(RolesYamlErrors, UpperCasePatternWarns) {
  auto result = compile_yaml("- name: a\n  allow: [SELECT]\n  on: [Orders]\n");
  EXPECT_TRUE(result.ok());
  EXPECT_EQ(headlines(result), Lines{"roles.yaml:3:8: warning: resource pattern 'Orders' has upper-case letters; "
                                     "names match exactly, and PostgreSQL folds unquoted identifiers to lower case"});
}

TEST(RolesYamlErrors, EmptyFileWarnsAndDefinesOnlyTheBuiltins) {
  auto result = compile_yaml("");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(headlines(result), Lines{"roles.yaml: warning: roles file is empty: it defines no roles and no users"});
  EXPECT_EQ(result.value().roles.size(), 5u);
}

TEST(RolesYamlErrors, ErrorsAreAllReportedAndNothingIsProduced) {
  auto result = compile_yaml("- name: a\n  allow: [NOPE]\n- name: b\n  inherits: [ghost]\n");
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.diagnostics().error_count(), 2u);
  EXPECT_THROW(result.value(), std::logic_error);
}

TEST(RolesYamlErrors, UnknownExtensionsAreRejected) {
  SourceTexts sources;
  auto result = compile_sources({{"notes.txt", ""}}, sources);
  EXPECT_EQ(headlines(result),
            (Lines{"notes.txt: error: unrecognised input file type; expected .yaml or .yml (roles), .sql "
                   "(policies) or .wkpb (compiled bundle)"}));
}

TEST(RolesYamlErrors, RenderedDiagnosticQuotesTheLineWithACaret) {
  SourceTexts sources;
  auto result = compile_sources({{"r.yaml", "- name: a\n  allow: [SELECT, BOGUS]\n"}}, sources);
  std::string rendered = render_diagnostic(result.diagnostics().all()[0], sources);
  EXPECT_EQ(rendered.substr(0, rendered.find("note:")),
            "r.yaml:2:19: error: unknown operation 'BOGUS' in role 'a'\n"
            "    allow: [SELECT, BOGUS]\n"
            "                    ^\n");
}

}  // namespace
}  // namespace weftkit::policy
