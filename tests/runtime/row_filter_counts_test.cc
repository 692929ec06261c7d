// A version has native code ready, before it serves, for every statement of every principal
// roles.yaml names (each user, each role alone, no role) — JIT versions compile those plans
// with the version and ahead-of-time modules carry them — so such statements never reach the
// interpreter. A principal whose combination of roles roles.yaml does not name is answered by
// the interpreter (correctly); a JIT version then compiles its plan in the background.
// Observed through PolicyVersion::row_filter_counts(), the operators' metric.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <weftkit/policy_compiler.h>
#include <weftkit/policy_runtime.h>
#include "tests/runtime/jit_and_module_versions.h"
#include "tests/runtime/policy_files.h"

namespace weftkit {
namespace {

const std::string kRoles =
    "roles:\n"
    "  - name: positive_x\n"
    "    allow: [SELECT, INSERT, UPDATE, DELETE]\n"
    "  - name: positive_y\n"
    "    allow: [SELECT, INSERT, UPDATE, DELETE]\n"
    "users:\n"
    "  - name: xavier\n"
    "    roles: [positive_x]\n"
    "  - name: yvonne\n"
    "    roles: [positive_y]\n";

// Each role narrows what it reads by a restrictive policy of its own; holding both narrows by
// both, a plan no principal of roles.yaml has.
const std::string kPolicies =
    "CREATE TABLE points (x integer, y integer, owner text);\n"
    "CREATE TABLE notes (id integer, body text);\n"
    "ALTER TABLE points ENABLE ROW LEVEL SECURITY;\n"
    "ALTER TABLE notes ENABLE ROW LEVEL SECURITY;\n"
    "CREATE POLICY everyone ON points USING (true) WITH CHECK (owner = current_user);\n"
    "CREATE POLICY only_positive_x ON points AS RESTRICTIVE FOR SELECT TO positive_x USING (x > 0);\n"
    "CREATE POLICY only_positive_y ON points AS RESTRICTIVE FOR SELECT TO positive_y USING (y > 0);\n"
    "CREATE POLICY readable ON notes FOR SELECT USING (id > 10);\n";

Identity identity_of(const std::string& user, std::vector<std::string> roles = {}) {
  Identity identity;
  identity.user = user;
  identity.roles = std::move(roles);
  return identity;
}

std::vector<StatementShape> every_shape() {
  std::vector<StatementShape> shapes;
  for (Command command : {Command::kSelect, Command::kInsert, Command::kUpdate, Command::kDelete}) {
    for (bool reads_columns : {false, true}) {
      for (bool returning : {false, true}) shapes.push_back({command, reads_columns, returning});
    }
  }
  return shapes;
}

// Opens the filter of every table and statement shape for `identity`; returns how many opened.
int open_every_filter(const PolicyVersion& version, const Identity& identity) {
  StatusOr<ResolvedPrincipal> principal = version.resolve(identity);
  EXPECT_TRUE(principal.is_ok()) << principal.status().message();
  if (!principal.is_ok()) return 0;
  int opened = 0;
  for (const char* table : {"points", "notes"}) {
    for (const StatementShape& shape : every_shape()) {
      opened += version.row_filter(principal.value(), identity, table, shape).is_ok();
    }
  }
  return opened;
}

RowResult select_point(const PolicyVersion& version, const Identity& identity, int64_t x, int64_t y) {
  StatusOr<ResolvedPrincipal> principal = version.resolve(identity);
  if (!principal.is_ok()) return RowResult::kError;
  StatusOr<std::unique_ptr<const StatementRowFilter>> filter =
      version.row_filter(principal.value(), identity, "points", {Command::kSelect});
  if (!filter.is_ok()) return RowResult::kError;
  Datum row[3];
  row[0].bits = x;
  row[0].is_null = 0;
  row[1].bits = y;
  row[1].is_null = 0;
  row[2].data = "someone";
  row[2].length = 7;
  row[2].is_null = 0;
  return filter.value()->check(row, nullptr).result;
}

class RowFilterCounts : public ::testing::Test {
 protected:
  RowFilterCounts() : files_(kRoles, kPolicies), versions_(testing::compile_jit_and_module(files_.paths())) {}
  void SetUp() override { ASSERT_EQ(versions_.error, ""); }

  testing::PolicyFiles files_;
  testing::JitAndModuleVersions versions_;
};

TEST_F(RowFilterCounts, EveryStatementOfAPrincipalRolesYamlNamesRunsNativeCodeFromTheStart) {
  for (const auto& [kind, version] : versions_.both()) {
    SCOPED_TRACE(kind);
    weftkit::RowFilterCounts before = version->row_filter_counts();
    EXPECT_GT(before.native_plans, 0u);
    EXPECT_EQ(before.interpreted_filters, 0u);
    int opened = 0;
    for (const Identity& identity : {identity_of("xavier"), identity_of("yvonne"), identity_of("nobody"),
                                     identity_of("nobody", {"positive_x"}), identity_of("nobody", {"positive_y"})}) {
      opened += open_every_filter(*version, identity);
    }
    EXPECT_GE(opened, 5 * 2 * 8 - 5 * 2 * 2);  // a few shapes may not exist (DELETE RETURNING without reading)
    weftkit::RowFilterCounts after = version->row_filter_counts();
    EXPECT_EQ(after.interpreted_filters, 0u);
    EXPECT_EQ(after.native_plans, before.native_plans);  // nothing was compiled on the way
  }
}

TEST_F(RowFilterCounts, AnUnnamedCombinationOfRolesIsInterpretedCorrectlyAndTheJitCompilesItsPlanInTheBackground) {
  Identity both = identity_of("zoe", {"positive_x", "positive_y"});
  for (const auto& [kind, version] : versions_.both()) {
    SCOPED_TRACE(kind);
    weftkit::RowFilterCounts before = version->row_filter_counts();
    // Both restrictive policies apply, whoever answers.
    EXPECT_EQ(select_point(*version, both, 1, 1), RowResult::kPass);
    EXPECT_EQ(version->row_filter_counts().interpreted_filters, 1u);
    EXPECT_EQ(select_point(*version, both, 1, -1), RowResult::kFiltered);
    EXPECT_EQ(select_point(*version, both, -1, 1), RowResult::kFiltered);
    if (std::string(kind) == "module") {
      // A module has no compiler: every such statement is interpreted.
      EXPECT_EQ(version->row_filter_counts().interpreted_filters, 3u);
      EXPECT_EQ(version->row_filter_counts().native_plans, before.native_plans);
      continue;
    }
    // The JIT version compiles the plan off the readers' path; statements after that run it.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (version->row_filter_counts().native_plans == before.native_plans &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ASSERT_EQ(version->row_filter_counts().native_plans, before.native_plans + 1);
    uint64_t interpreted = version->row_filter_counts().interpreted_filters;
    EXPECT_GE(interpreted, 1u);
    EXPECT_LE(interpreted, 3u);
    EXPECT_EQ(select_point(*version, both, 1, 1), RowResult::kPass);
    EXPECT_EQ(select_point(*version, both, 1, -1), RowResult::kFiltered);
    EXPECT_EQ(version->row_filter_counts().interpreted_filters, interpreted);
  }
}

// What every filter of a resolved principal answers for a few rows, one entry per (table,
// shape), in the order of every_shape(); the filters are opened in that order or reversed.
// With no principal given, each filter is opened for a principal resolved just for it, which
// remembers nothing: the reference.
std::vector<std::string> answers_of(const PolicyVersion& version, const ResolvedPrincipal* principal,
                                    const Identity& identity, bool reversed) {
  std::vector<StatementShape> shapes = every_shape();
  if (reversed) std::reverse(shapes.begin(), shapes.end());
  std::vector<std::string> answers;
  for (const char* table : {"points", "notes"}) {
    for (const StatementShape& shape : shapes) {
      StatusOr<ResolvedPrincipal> fresh = version.resolve(identity);
      if (!fresh.is_ok()) return {fresh.status().message()};
      StatusOr<std::unique_ptr<const StatementRowFilter>> filter =
          version.row_filter(principal != nullptr ? *principal : fresh.value(), identity, table, shape);
      std::string answer = std::string(table) + " " + std::to_string(static_cast<int>(shape.command)) +
                           (shape.reads_columns ? "r" : "") + (shape.returning ? "R" : "") + ":";
      if (!filter.is_ok()) {
        answers.push_back(answer + " refused: " + filter.status().message());
        continue;
      }
      for (int64_t x : {-1, 1}) {
        for (int64_t y : {-1, 1}) {
          Datum row[3];
          row[0].bits = x;
          row[0].is_null = 0;
          row[1].bits = y;
          row[1].is_null = 0;
          row[2].data = identity.user.c_str();
          row[2].length = static_cast<int64_t>(identity.user.size());
          row[2].is_null = 0;
          // notes (id, body) reads the first two datums; body is never read by its policy.
          RowOutcome outcome = filter.value()->check(row, shape.command == Command::kUpdate ? row : nullptr);
          answer += " " + std::to_string(static_cast<int>(outcome.result)) + outcome.message;
        }
      }
      answers.push_back(answer);
    }
  }
  return answers;
}

TEST_F(RowFilterCounts, RepeatedStatementsOfEveryKindAnswerAsAPrincipalResolvedAfreshDoes) {
  // From its second statement of a kind on, a principal finds the plan among those it
  // remembers: answers must not change, whatever order the kinds come in.
  for (const auto& [kind, version] : versions_.both()) {
    SCOPED_TRACE(kind);
    for (const Identity& identity : {identity_of("xavier"), identity_of("yvonne"), identity_of("nobody")}) {
      SCOPED_TRACE(identity.user);
      std::vector<std::string> reference = answers_of(*version, nullptr, identity, false);
      ASSERT_EQ(reference.size(), 32u);
      auto in_shape_order = [](std::vector<std::string> answers) {  // undo the reversed opening
        std::reverse(answers.begin(), answers.begin() + 16);
        std::reverse(answers.begin() + 16, answers.end());
        return answers;
      };
      StatusOr<ResolvedPrincipal> principal = version->resolve(identity);
      ASSERT_TRUE(principal.is_ok()) << principal.status().message();
      EXPECT_EQ(answers_of(*version, &principal.value(), identity, false), reference);
      EXPECT_EQ(in_shape_order(answers_of(*version, &principal.value(), identity, true)), reference);
      EXPECT_EQ(answers_of(*version, &principal.value(), identity, false), reference);
      StatusOr<ResolvedPrincipal> other = version->resolve(identity);
      ASSERT_TRUE(other.is_ok());
      EXPECT_EQ(in_shape_order(answers_of(*version, &other.value(), identity, true)), reference);
    }
    EXPECT_EQ(version->row_filter_counts().interpreted_filters, 0u);
  }
}

TEST_F(RowFilterCounts, CompilingPlansOnFewerThreadsCompilesTheSamePlans) {
  StatusOr<PolicyCompiler> compiler = PolicyCompiler::create();
  ASSERT_TRUE(compiler.is_ok()) << compiler.status().message();
  StatusOr<std::shared_ptr<const PolicyVersion>> alone = compiler.value().compile(files_.paths(), {.plan_threads = 1});
  ASSERT_TRUE(alone.is_ok()) << alone.status().message();
  EXPECT_EQ(alone.value()->row_filter_counts().native_plans, versions_.jit->row_filter_counts().native_plans);
  EXPECT_EQ(open_every_filter(*alone.value(), identity_of("xavier")), open_every_filter(*versions_.jit, identity_of("xavier")));
  EXPECT_EQ(alone.value()->row_filter_counts().interpreted_filters, 0u);
  EXPECT_EQ(select_point(*alone.value(), identity_of("xavier"), 1, -1), RowResult::kPass);
  EXPECT_EQ(select_point(*alone.value(), identity_of("xavier"), -1, 1), RowResult::kFiltered);
  // reload() takes the same options.
  PolicyStore store(versions_.jit);
  ASSERT_TRUE(compiler.value().reload(store, files_.paths(), {.plan_threads = 1}).is_ok());
  EXPECT_EQ(store.generation(), 2u);
  EXPECT_EQ(store.current()->row_filter_counts().native_plans, versions_.jit->row_filter_counts().native_plans);
}

TEST_F(RowFilterCounts, TheStoreReportsTheCountsOfTheVersionServingNow) {
  PolicyStore store(versions_.jit);
  Identity both = identity_of("zoe", {"positive_x", "positive_y"});
  EXPECT_EQ(select_point(*store.current(), both, 1, 1), RowResult::kPass);
  EXPECT_EQ(store.current()->row_filter_counts().interpreted_filters, 1u);
  store.publish(versions_.module);
  EXPECT_EQ(store.current()->row_filter_counts().interpreted_filters, 0u);
}

}  // namespace
}  // namespace weftkit
