// A row filter reads column_count() datums from every row it is given; the length-checked
// check() refuses a row (or UPDATE's new row) of any other length before reading it, in JIT
// versions and ahead-of-time modules alike, and otherwise answers as the unchecked one does.
#include <gtest/gtest.h>

#include <span>
#include <string>
#include <vector>

#include <weftkit/policy_runtime.h>
#include "tests/runtime/datum_values.h"
#include "tests/runtime/jit_and_module_versions.h"
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

const std::string kPolicies =
    "CREATE TABLE docs (id integer, owner text, tenant integer);\n"
    "ALTER TABLE docs ENABLE ROW LEVEL SECURITY;\n"
    "CREATE POLICY own ON docs USING (owner = current_user);\n"
    "CREATE TABLE tags (name text);\n";

class RuntimeRowLength : public ::testing::Test {
 protected:
  RuntimeRowLength() : files_(kRoles, kPolicies), versions_(testing::compile_jit_and_module(files_.paths())) {}

  // alice's filter on `table` for `command`, from a statement on `version`.
  static std::unique_ptr<const StatementRowFilter> open(const std::shared_ptr<const PolicyVersion>& version,
                                                        const char* table, Command command) {
    PolicyStore store(version);
    Identity alice;
    alice.user = "alice";
    StatusOr<SecurityContext> context = SecurityContext::build(store, alice);
    EXPECT_TRUE(context.is_ok()) << context.status().message();
    StatusOr<Statement> statement = context.value().begin_statement();
    EXPECT_TRUE(statement.is_ok()) << statement.status().message();
    StatusOr<std::unique_ptr<const StatementRowFilter>> filter = statement.value().row_filter(table, {command});
    EXPECT_TRUE(filter.is_ok()) << filter.status().message();
    return filter.is_ok() ? std::move(filter).value() : nullptr;
  }

  testing::PolicyFiles files_;
  testing::JitAndModuleVersions versions_;
};

TEST_F(RuntimeRowLength, ColumnCountIsTheTablesNumberOfColumnsInBothVersions) {
  ASSERT_EQ(versions_.error, "");
  for (const auto& [kind, version] : versions_.both()) {
    auto docs = open(version, "docs", Command::kSelect);
    auto tags = open(version, "public.tags", Command::kInsert);
    ASSERT_TRUE(docs && tags) << kind;
    EXPECT_EQ(docs->column_count(), 3u) << kind;
    EXPECT_EQ(tags->column_count(), 1u) << kind;
  }
}

TEST_F(RuntimeRowLength, ShortOrLongRowIsRefusedWithBothLengthsInTheMessage) {
  ASSERT_EQ(versions_.error, "");
  for (const auto& [kind, version] : versions_.both()) {
    auto filter = open(version, "docs", Command::kSelect);
    ASSERT_TRUE(filter) << kind;
    // Exactly as long as stated, on the heap: reading past it is an AddressSanitizer error.
    std::vector<Datum> short_row = {integer(1), text("alice")};
    StatusOr<RowOutcome> refused = filter->check(std::span<const Datum>(short_row));
    ASSERT_FALSE(refused.is_ok()) << kind;
    EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(refused.status().message(), "the row has 2 datums but the filter's table has 3 columns");
    std::vector<Datum> long_row = {integer(1), text("alice"), integer(7), integer(8)};
    refused = filter->check(std::span<const Datum>(long_row));
    ASSERT_FALSE(refused.is_ok()) << kind;
    EXPECT_EQ(refused.status().message(), "the row has 4 datums but the filter's table has 3 columns");
    refused = filter->check(std::span<const Datum>());
    ASSERT_FALSE(refused.is_ok()) << kind;
    EXPECT_EQ(refused.status().message(), "the row has 0 datums but the filter's table has 3 columns");
  }
}

TEST_F(RuntimeRowLength, UpdatesNewRowOfTheWrongLengthIsRefused) {
  ASSERT_EQ(versions_.error, "");
  for (const auto& [kind, version] : versions_.both()) {
    auto filter = open(version, "docs", Command::kUpdate);
    ASSERT_TRUE(filter) << kind;
    std::vector<Datum> row = {integer(1), text("alice"), integer(7)};
    std::vector<Datum> short_new_row = {integer(1), text("alice")};
    StatusOr<RowOutcome> refused = filter->check(row, short_new_row);
    ASSERT_FALSE(refused.is_ok()) << kind;
    EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(refused.status().message(), "the new row has 2 datums but the filter's table has 3 columns");
  }
}

TEST_F(RuntimeRowLength, RowOfTheRightLengthGetsTheUncheckedAnswer) {
  ASSERT_EQ(versions_.error, "");
  for (const auto& [kind, version] : versions_.both()) {
    auto select = open(version, "docs", Command::kSelect);
    auto update = open(version, "docs", Command::kUpdate);
    ASSERT_TRUE(select && update) << kind;
    std::vector<Datum> own = {integer(1), text("alice"), integer(7)};
    std::vector<Datum> other = {integer(2), text("bob"), integer(7)};
    StatusOr<RowOutcome> visible = select->check(own);
    ASSERT_TRUE(visible.is_ok()) << kind << ": " << visible.status().message();
    EXPECT_EQ(visible.value().result, RowResult::kPass) << kind;
    EXPECT_EQ(select->check(own.data(), nullptr).result, RowResult::kPass) << kind;
    StatusOr<RowOutcome> hidden = select->check(other);
    ASSERT_TRUE(hidden.is_ok()) << kind;
    EXPECT_EQ(hidden.value().result, RowResult::kFiltered) << kind;
    EXPECT_EQ(select->check(other.data(), nullptr).result, RowResult::kFiltered) << kind;
    // UPDATE's new row is checked too: giving one's row away violates the policy.
    StatusOr<RowOutcome> given_away = update->check(own, other);
    ASSERT_TRUE(given_away.is_ok()) << kind;
    EXPECT_EQ(given_away.value().result, RowResult::kViolation) << kind;
    EXPECT_EQ(given_away.value().message, "new row violates row-level security policy for table \"docs\"") << kind;
    EXPECT_EQ(update->check(own.data(), other.data()).result, RowResult::kViolation) << kind;
  }
}

}  // namespace
}  // namespace weftkit
