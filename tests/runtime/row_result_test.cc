// A scan asks each row for its result alone (StatementRowFilter::result, and
// weftkit_row_filter_check without a message); that answer must be check()'s, row for row, for
// every outcome (pass, filtered, violation, error), in JIT versions and modules, for the first
// statement of a kind and for the later ones that reuse its bound plan; and the message of a
// violation or an error must still come when it is asked for.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include <weftkit/policy_runtime.h>
#include <weftkit/weftkit_policy.h>
#include "tests/runtime/datum_values.h"
#include "tests/runtime/jit_and_module_versions.h"
#include "tests/runtime/module_build.h"
#include "tests/runtime/policy_files.h"

namespace weftkit {
namespace {

using testing::integer;
using testing::text;

const std::string kRoles =
    "roles:\n"
    "  - name: writer\n"
    "    allow: [SELECT, INSERT, UPDATE, DELETE]\n"
    "users:\n"
    "  - name: alice\n"
    "    roles: [writer]\n";

// SELECT: alice's rows whose 10 / level > 1 (level 0: division by zero); INSERT and UPDATE:
// new rows need id > 0.
const std::string kPolicies =
    "CREATE TABLE docs (id integer, owner text, level integer);\n"
    "ALTER TABLE docs ENABLE ROW LEVEL SECURITY;\n"
    "CREATE POLICY own ON docs USING (owner = current_user AND 10 / level > 1) WITH CHECK (id > 0);\n";

struct Case {
  Command command;
  std::vector<Datum> row;
  std::vector<Datum> new_row;  // UPDATE only
  RowResult expected;
};

std::vector<Case> cases() {
  return {
      {Command::kSelect, {integer(1), text("alice"), integer(1)}, {}, RowResult::kPass},
      {Command::kSelect, {integer(1), text("alice"), integer(9)}, {}, RowResult::kFiltered},
      {Command::kSelect, {integer(1), text("bob"), integer(1)}, {}, RowResult::kFiltered},
      {Command::kSelect, {integer(1), text("alice"), integer(0)}, {}, RowResult::kError},
      {Command::kInsert, {integer(5), text("alice"), integer(1)}, {}, RowResult::kPass},
      {Command::kInsert, {integer(0), text("alice"), integer(1)}, {}, RowResult::kViolation},
      {Command::kUpdate, {integer(1), text("alice"), integer(1)}, {integer(2), text("alice"), integer(1)}, RowResult::kPass},
      {Command::kUpdate, {integer(1), text("alice"), integer(1)}, {integer(-2), text("alice"), integer(1)},
       RowResult::kViolation},
      {Command::kUpdate, {integer(1), text("bob"), integer(1)}, {integer(2), text("alice"), integer(1)}, RowResult::kFiltered},
  };
}

class RowResultAlone : public ::testing::Test {
 protected:
  RowResultAlone() : files_(kRoles, kPolicies), versions_(testing::compile_jit_and_module(files_.paths())) {}
  testing::PolicyFiles files_;
  testing::JitAndModuleVersions versions_;
};

TEST_F(RowResultAlone, ResultAloneIsCheckResultForEveryOutcomeAndEveryStatementOfAKind) {
  ASSERT_EQ(versions_.error, "");
  for (const auto& [kind, version] : versions_.both()) {
    PolicyStore store(version);
    Identity alice;
    alice.user = "alice";
    StatusOr<SecurityContext> context = SecurityContext::build(store, alice);
    ASSERT_TRUE(context.is_ok()) << context.status().message();
    // The first statement of each kind plans and binds; the second and third reuse that.
    for (int statement_number = 0; statement_number < 3; ++statement_number) {
      for (const Case& each : cases()) {
        SCOPED_TRACE(std::string(kind) + ", statement " + std::to_string(statement_number) + ", command " +
                     std::to_string(static_cast<int>(each.command)) + ", expected " +
                     std::to_string(static_cast<int>(each.expected)));
        StatusOr<Statement> statement = context.value().begin_statement();
        ASSERT_TRUE(statement.is_ok());
        StatusOr<std::unique_ptr<const StatementRowFilter>> filter =
            statement.value().row_filter("docs", {each.command, true, false});
        ASSERT_TRUE(filter.is_ok()) << filter.status().message();
        const Datum* new_row = each.new_row.empty() ? nullptr : each.new_row.data();
        RowOutcome outcome = filter.value()->check(each.row.data(), new_row);
        EXPECT_EQ(outcome.result, each.expected);
        EXPECT_EQ(filter.value()->result(each.row.data(), new_row), each.expected);
        bool has_message = each.expected == RowResult::kViolation || each.expected == RowResult::kError;
        EXPECT_EQ(outcome.message.empty(), !has_message) << outcome.message;
        if (each.expected == RowResult::kError) EXPECT_EQ(outcome.message, "division by zero");
        if (each.expected == RowResult::kViolation) {
          EXPECT_EQ(outcome.message, "new row violates row-level security policy for table \"docs\"");
        }
      }
    }
  }
}

// The C API's row check without a message (the scan's fast path) and with one.
TEST_F(RowResultAlone, CRowCheckGivesTheSameResultWithOrWithoutItsMessage) {
  std::string module = (std::filesystem::temp_directory_path() / ("weftkit-row-result-" + std::to_string(getpid()) + ".so")).string();
  ASSERT_EQ(testing::build_policy_module(files_.paths(), module), "");
  weftkit_store* module_store = nullptr;
  ASSERT_EQ(weftkit_store_open_module(module.c_str(), &module_store, nullptr), WEFTKIT_OK);
  std::filesystem::remove(module);
  weftkit_compiler* compiler = nullptr;
  ASSERT_EQ(weftkit_compiler_create(&compiler, nullptr), WEFTKIT_OK);
  const std::vector<std::string> files = files_.paths();
  std::vector<const char*> paths;
  for (const std::string& path : files) paths.push_back(path.c_str());
  weftkit_store* jit_store = nullptr;
  weftkit_error* error = nullptr;
  ASSERT_EQ(weftkit_compiler_compile(compiler, paths.data(), paths.size(), &jit_store, &error), WEFTKIT_OK)
      << (error != nullptr ? error->message : "");
  weftkit_error_free(error);
  weftkit_compiler_free(compiler);

  for (weftkit_store* store : {jit_store, module_store}) {
    weftkit_identity identity{};
    identity.user = "alice";
    weftkit_context* context = nullptr;
    ASSERT_EQ(weftkit_context_build(store, &identity, &context, nullptr), WEFTKIT_OK);
    weftkit_statement* statement = nullptr;
    ASSERT_EQ(weftkit_statement_begin(context, &statement, nullptr), WEFTKIT_OK);
    for (const Case& each : cases()) {
      weftkit_row_filter* filter = nullptr;
      ASSERT_EQ(weftkit_row_filter_open(statement, "docs", static_cast<weftkit_command>(each.command), true, false,
                                        &filter, nullptr),
                WEFTKIT_OK);
      const auto* row = reinterpret_cast<const weftkit_datum*>(each.row.data());
      const auto* new_row = each.new_row.empty() ? nullptr : reinterpret_cast<const weftkit_datum*>(each.new_row.data());
      weftkit_row_result without_message = WEFTKIT_ROW_PASS;
      ASSERT_EQ(weftkit_row_filter_check(filter, row, each.row.size(), new_row, each.new_row.size(), &without_message,
                                         nullptr, nullptr),
                WEFTKIT_OK);
      weftkit_row_result with_message = WEFTKIT_ROW_PASS;
      char* message = nullptr;
      ASSERT_EQ(weftkit_row_filter_check(filter, row, each.row.size(), new_row, each.new_row.size(), &with_message,
                                         &message, nullptr),
                WEFTKIT_OK);
      EXPECT_EQ(static_cast<int>(without_message), static_cast<int>(each.expected));
      EXPECT_EQ(static_cast<int>(with_message), static_cast<int>(each.expected));
      bool has_message = each.expected == RowResult::kViolation || each.expected == RowResult::kError;
      EXPECT_EQ(message != nullptr, has_message);
      if (each.expected == RowResult::kError) EXPECT_STREQ(message, "division by zero");
      weftkit_string_free(message);
      weftkit_row_filter_free(filter);
    }
    weftkit_statement_free(statement);
    weftkit_context_free(context);
  }
  weftkit_store_free(jit_store);
  weftkit_store_free(module_store);
}

}  // namespace
}  // namespace weftkit
