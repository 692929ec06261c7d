// weftkit-policyc explain on examples/roles.yaml: ALLOW or DENY first, then the roles held and
// the lines that decided. Run from the repository root so that positions read
// examples/roles.yaml:LINE:COL; every position is looked up in the file, never assumed.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/tools/cli_fixture.h"

namespace weftkit::policy::testing {
namespace {

using nlohmann::json;

const std::string kExample = "examples/roles.yaml";

class CliExplain : public CliFixture {
 protected:
  // "examples/roles.yaml:L:C" of `token` on the first line with `line_with` after `after`.
  std::string at(std::string_view after, std::string_view line_with, std::string_view token) const {
    return kExample + ":" + position_in(text_, after, line_with, token);
  }

  // Runs explain on the example; a decision is never an error, so exit 0 and empty stderr.
  std::string explain(const std::string& user, const std::string& op, const std::string& table,
                      const std::vector<std::string>& more = {}) const {
    std::vector<std::string> arguments = {"explain", kExample, "--user", user, "--op", op, "--table", table};
    arguments.insert(arguments.end(), more.begin(), more.end());
    ProcessResult result = policyc_in_repo(arguments);
    EXPECT_EQ(result.exit_code, 0);
    EXPECT_EQ(result.err, "");
    return result.out;
  }

  std::string text_ = example_roles_text();
};

TEST_F(CliExplain, FirstLineGivesTheDecisionForEveryDemoQuery) {
  struct Query {
    const char* user;
    const char* op;
    const char* table;
    const char* first_line;
  };
  const Query queries[] = {
      {"alice", "SELECT", "orders", "ALLOW: user 'alice' may SELECT on public.orders"},
      {"alice", "COPY TO", "orders", "ALLOW: user 'alice' may COPY TO on public.orders"},
      {"alice", "INSERT", "orders", "DENY: user 'alice' may not INSERT on public.orders"},
      {"carol", "INSERT", "sales.invoices", "ALLOW: user 'carol' may INSERT on sales.invoices"},
      {"carol", "UPDATE", "sales.invoices", "ALLOW: user 'carol' may UPDATE on sales.invoices"},
      // finance's allow is scoped to sales.*; read_only, which it inherits, only allows SELECT.
      {"carol", "INSERT", "orders", "DENY: user 'carol' may not INSERT on public.orders"},
      {"carol", "SELECT", "sales.invoices", "ALLOW: user 'carol' may SELECT on sales.invoices"},
      {"carol", "DROP", "sales.invoices", "DENY: user 'carol' may not DROP on sales.invoices"},
      {"dave", "UPDATE", "orders", "ALLOW: user 'dave' may UPDATE on public.orders"},
      {"dave", "UPDATE", "payroll", "DENY: user 'dave' may not UPDATE on public.payroll"},
      {"bob", "DELETE", "orders", "ALLOW: user 'bob' may DELETE on public.orders"},
      {"bob", "DELETE", "audit_log", "DENY: user 'bob' may not DELETE on public.audit_log"},
      {"bob", "INSERT", "audit_log", "ALLOW: user 'bob' may INSERT on public.audit_log"},
      {"mallory", "SELECT", "orders", "DENY: user 'mallory' may not SELECT on public.orders"},
      {"loader", "COPY FROM", "staging.events", "ALLOW: user 'loader' may COPY FROM on staging.events"},
      {"loader", "COPY FROM", "events", "DENY: user 'loader' may not COPY FROM on public.events"},
      {"root", "DROP", "audit_log", "ALLOW: user 'root' may DROP on public.audit_log"},
      {"nobody", "SELECT", "orders", "DENY: user 'nobody' may not SELECT on public.orders"},
  };
  for (const Query& query : queries) {
    EXPECT_EQ(first_line(explain(query.user, query.op, query.table)), query.first_line);
  }
}

TEST_F(CliExplain, AllowByACustomRoleCitesTheAllowItem) {
  EXPECT_EQ(explain("alice", "SELECT", "orders"),
            "ALLOW: user 'alice' may SELECT on public.orders\n"
            "  roles held: analyst (granted to 'alice' at " + at("name: alice", "roles:", "analyst") + ")\n"
            "  decided by: allow SELECT in role 'analyst' at " + at("name: analyst", "allow:", "SELECT") + "\n");
}

TEST_F(CliExplain, OperationAndTableAreNormalised) {
  EXPECT_EQ(explain("alice", "copy   to", "public.orders"),
            "ALLOW: user 'alice' may COPY TO on public.orders\n"
            "  roles held: analyst (granted to 'alice' at " + at("name: alice", "roles:", "analyst") + ")\n"
            "  decided by: allow COPY TO in role 'analyst' at " + at("name: analyst", "allow:", "\"COPY TO\"") +
                "\n");
}

TEST_F(CliExplain, DenyWinsOverAllowAndTheAllowIsShownAsOverridden) {
  EXPECT_EQ(explain("alice", "INSERT", "orders", {"--role", "read_write"}),
            "DENY: user 'alice' may not INSERT on public.orders\n"
            "  roles held: analyst (granted to 'alice' at " + at("name: alice", "roles:", "analyst") +
                "), read_write (--role)\n"
                "  decided by: deny INSERT in role 'analyst' at " + at("name: analyst", "deny:", "INSERT") + "\n"
                "  overridden: allow SELECT, INSERT, UPDATE, DELETE in built-in role 'read_write' (deny wins)\n");
}

TEST_F(CliExplain, ScopedDenyOverridesABuiltInAllow) {
  EXPECT_EQ(explain("bob", "DELETE", "audit_log"),
            "DENY: user 'bob' may not DELETE on public.audit_log\n"
            "  roles held: read_write (granted to 'bob' at " + at("name: bob", "roles:", "read_write") +
                "), audit_guard (granted to 'bob' at " + at("name: bob", "roles:", "audit_guard") + ")\n"
                "  decided by: deny DELETE in role 'audit_guard' at " + at("name: audit_guard", "deny:", "DELETE") +
                "\n"
                "  overridden: allow SELECT, INSERT, UPDATE, DELETE in built-in role 'read_write' (deny wins)\n");
}

TEST_F(CliExplain, UserWithoutRolesIsDeniedByDefault) {
  EXPECT_EQ(explain("nobody", "SELECT", "orders"),
            "DENY: user 'nobody' may not SELECT on public.orders\n"
            "  roles held: none (no users: entry for 'nobody' and no --role)\n"
            "  decided by: no held role allows SELECT on public.orders: denied by default\n");
}

TEST_F(CliExplain, RoleOutsideItsScopeDoesNotAllow) {
  EXPECT_EQ(explain("dave", "UPDATE", "payroll"),
            "DENY: user 'dave' may not UPDATE on public.payroll\n"
            "  roles held: support (granted to 'dave' at " + at("name: dave", "roles:", "support") + ")\n"
            "  decided by: no held role allows UPDATE on public.payroll: denied by default\n");
}

TEST_F(CliExplain, InheritedRoleKeepsItsOwnScope) {
  // finance is scoped to sales.*, but the read_only role it inherits applies everywhere.
  EXPECT_EQ(explain("carol", "SELECT", "orders"),
            "ALLOW: user 'carol' may SELECT on public.orders\n"
            "  roles held: finance (granted to 'carol' at " + at("name: carol", "roles:", "finance") +
                "), read_only (inherited from 'finance')\n"
                "  decided by: allow SELECT in built-in role 'read_only'\n");
}

TEST_F(CliExplain, NoAccessDeniesEverythingWhateverElseIsHeld) {
  std::string held = "  roles held: read_write (granted to 'mallory' at " + at("name: mallory", "roles:", "read_write") +
                     "), no_access (granted to 'mallory' at " + at("name: mallory", "roles:", "no_access") + ")";
  EXPECT_EQ(explain("mallory", "SELECT", "orders"),
            "DENY: user 'mallory' may not SELECT on public.orders\n" + held + "\n" +
                "  decided by: deny ALL in built-in role 'no_access'\n"
                "  overridden: allow SELECT, INSERT, UPDATE, DELETE in built-in role 'read_write' (deny wins)\n");
  EXPECT_EQ(explain("mallory", "DROP", "orders", {"--role", "superuser"}),
            "DENY: user 'mallory' may not DROP on public.orders\n" + held + ", superuser (--role)\n" +
                "  decided by: deny ALL in built-in role 'no_access'\n"
                "  overridden: allow ALL in built-in role 'superuser' (deny wins)\n");
}

TEST_F(CliExplain, InheritedRolesNameTheRoleThatInheritsThem) {
  EXPECT_EQ(explain("root", "DROP", "audit_log"),
            "ALLOW: user 'root' may DROP on public.audit_log\n"
            "  roles held: platform_admin (granted to 'root' at " + at("name: root", "roles:", "platform_admin") +
                "), superuser (inherited from 'platform_admin')\n"
                "  decided by: allow ALL in built-in role 'superuser'\n");
}

TEST_F(CliExplain, RoleOptionAddsToTheRolesOfTheUsersEntry) {
  EXPECT_EQ(first_line(explain("dave", "DROP", "orders")), "DENY: user 'dave' may not DROP on public.orders");
  EXPECT_EQ(explain("dave", "DROP", "orders", {"--role", "migrator"}),
            "ALLOW: user 'dave' may DROP on public.orders\n"
            "  roles held: support (granted to 'dave' at " + at("name: dave", "roles:", "support") +
                "), migrator (--role), schema_admin (inherited from 'migrator')\n"
                "  decided by: allow DDL in built-in role 'schema_admin'\n");
}

TEST_F(CliExplain, RoleOptionAloneServesAUserWithoutAnEntry) {
  EXPECT_EQ(explain("ci", "SELECT", "orders", {"--role", "migrator", "--role", "read_only"}),
            "DENY: user 'ci' may not SELECT on public.orders\n"
            "  roles held: migrator (--role), read_only (--role), schema_admin (inherited from 'migrator')\n"
            "  decided by: deny SELECT in role 'migrator' at " + at("name: migrator", "deny:", "SELECT") + "\n"
            "  overridden: allow SELECT in built-in role 'read_only' (deny wins)\n");
}

TEST_F(CliExplain, UserEntryWithNoRolesIsNotCalledAMissingEntry) {
  write("roles.yaml", "users:\n  - name: guest\n    roles: []\n");
  ProcessResult result = policyc({"explain", "roles.yaml", "--user", "guest", "--op", "SELECT", "--table", "t"});
  EXPECT_EQ(result.exit_code, 0);
  std::vector<std::string> lines = lines_of(result.out);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "DENY: user 'guest' may not SELECT on public.t");
  EXPECT_EQ(lines[1].rfind("  roles held: none", 0), 0u);
  EXPECT_EQ(lines[1].find("no users: entry"), std::string::npos);
}

TEST_F(CliExplain, WarningsGoToStderrAndTheDecisionStillToStdout) {
  write("roles.yaml", "- name: both\n  allow: [SELECT]\n  deny: [SELECT]\n");
  ProcessResult result =
      policyc({"explain", "roles.yaml", "--user", "u", "--role", "both", "--op", "SELECT", "--table", "t"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(first_line(result.out), "DENY: user 'u' may not SELECT on public.t");
  EXPECT_EQ(first_line(result.err),
            "roles.yaml:3:10: warning: role 'both' both allows and denies SELECT on the same resources; deny wins, "
            "so the allow has no effect");
}

TEST_F(CliExplain, PolicyErrorsGiveNoDecision) {
  write("roles.yaml", "- name: a\n  allow: [SELEKT]\n");
  ProcessResult result = policyc({"explain", "roles.yaml", "--user", "u", "--op", "SELECT", "--table", "t"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(first_line(result.err), "roles.yaml:2:11: error: unknown operation 'SELEKT' in role 'a'; did you mean 'SELECT'?");
}

// --json: the same decision as one object on stdout.

class CliExplainJson : public CliExplain {
 protected:
  json explain_json(const std::string& user, const std::string& op, const std::string& table,
                    const std::vector<std::string>& more = {}) const {
    std::vector<std::string> arguments = more;
    arguments.push_back("--json");
    return json::parse(explain(user, op, table, arguments));
  }

  // A decided_by / overridden item for a rule in examples/roles.yaml.
  json rule(const std::string& role, const std::string& effect, const std::string& written,
            std::string_view line_with) const {
    std::string position = position_in(text_, "name: " + role, line_with, written);
    size_t colon = position.find(':');
    return {{"file", kExample},
            {"line", std::stoi(position.substr(0, colon))},
            {"column", std::stoi(position.substr(colon + 1))},
            {"effect", effect},
            {"role", role},
            {"builtin", false},
            {"written", written}};
  }
};

TEST_F(CliExplainJson, DenyWinsWithRolesSourcesAndOverriddenAllow) {
  json overridden_allow = {{"file", "<built-in>"}, {"line", nullptr}, {"column", nullptr}, {"effect", "allow"},
                           {"role", "read_write"}, {"builtin", true}, {"written", "SELECT, INSERT, UPDATE, DELETE"}};
  EXPECT_EQ(explain_json("alice", "insert", "orders", {"--role", "read_write"}),
            (json{{"decision", "DENY"},
                  {"user", "alice"},
                  {"operation", "INSERT"},
                  {"resource", "public.orders"},
                  {"resource_class", "public.orders"},
                  {"roles", json::parse(R"([{"role": "analyst", "source": "users"},
                                            {"role": "read_write", "source": "command_line"}])")},
                  {"default_deny", false},
                  {"decided_by", json::array({rule("analyst", "deny", "INSERT", "deny:")})},
                  {"overridden", json::array({overridden_allow})},
                  {"diagnostics", json::array()}}));
}

TEST_F(CliExplainJson, AllowByABuiltInRoleHasNoPosition) {
  EXPECT_EQ(explain_json("dave", "DROP", "orders", {"--role", "migrator"}),
            json::parse(R"({"decision": "ALLOW", "user": "dave", "operation": "DROP", "resource": "public.orders",
                            "resource_class": "public.orders",
                            "roles": [{"role": "support", "source": "users"},
                                      {"role": "migrator", "source": "command_line"},
                                      {"role": "schema_admin", "source": "inherited", "inherited_from": "migrator"}],
                            "default_deny": false,
                            "decided_by": [{"file": "<built-in>", "line": null, "column": null, "effect": "allow",
                                            "role": "schema_admin", "builtin": true, "written": "DDL"}],
                            "overridden": [], "diagnostics": []})"));
}

TEST_F(CliExplainJson, NothingAllowingIsADefaultDeny) {
  EXPECT_EQ(explain_json("nobody", "SELECT", "orders"),
            json::parse(R"({"decision": "DENY", "user": "nobody", "operation": "SELECT", "resource": "public.orders",
                            "resource_class": "public.orders", "roles": [], "default_deny": true,
                            "decided_by": [], "overridden": [], "diagnostics": []})"));
}

TEST_F(CliExplainJson, PolicyErrorsAreReportedAsJsonOnStdout) {
  write("roles.yaml", "- name: a\n  inherits: [ghost]\n");
  ProcessResult result =
      policyc({"explain", "roles.yaml", "--json", "--user", "u", "--op", "SELECT", "--table", "t"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(json::parse(result.out), json::parse(R"({"ok": false, "diagnostics": [
    {"file": "roles.yaml", "line": 2, "column": 14, "severity": "error",
     "message": "unknown role 'ghost' in 'inherits' of role 'a'", "notes": []}]})"));
}

}  // namespace
}  // namespace weftkit::policy::testing
