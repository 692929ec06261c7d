// The JIT against the reference evaluator on random typed predicates: for seeded random tables,
// plans (row filters and new-row checks over every node kind and type the code generator
// lowers) and Arrow batches (NULLs, edge values, lengths around the 64-row vector step, nonzero
// offsets), the row function, the batch function and interp::RowFilter give every row the same
// result and the same message.
//
//   WEFTKIT_JIT_SEED   run seed (decimal or 0x hex); default kDefaultSeed
//   WEFTKIT_JIT_CASES  number of random plans; default kDefaultCases
//   WEFTKIT_JIT_CASE   run only this case index of the seed (reproduces one report)
#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "codegen/interp/row_filter.h"
#include "codegen/native/arrow_batch_builder.h"
#include "codegen/llvm/jit_program.h"
#include "codegen/native/compiled_row_filter.h"
#include "codegen/native/native_plan.h"
#include "tests/codegen/llvm/expr_features.h"
#include "tests/codegen/llvm/random_predicates.h"
#include "tests/codegen/llvm/random_values.h"
#include "tests/codegen/support/jit_agreement.h"

namespace weftkit::policy::jittest {
namespace {

using interp::RowOutcome;
using interp::RowResult;

constexpr uint64_t kDefaultSeed = 20240611;
constexpr uint64_t kDefaultCases = 400;
constexpr size_t kMaxReports = 3;

// Lengths around the batch code's 64-row vector step and its one-row tail.
const std::vector<int64_t> kEdgeLengths = {0, 1, 63, 64, 65, 127, 128, 129};
constexpr int64_t kMaxRandomLength = 1000;

struct RunSettings {
  uint64_t seed = kDefaultSeed;
  uint64_t cases = kDefaultCases;
  std::optional<uint64_t> only_case;
  std::string problem;  // a variable that could not be read
};

std::optional<uint64_t> number_from_environment(const char* name, RunSettings& settings) {
  const char* text = std::getenv(name);
  if (text == nullptr || *text == '\0') return std::nullopt;
  char* end = nullptr;
  errno = 0;
  unsigned long long value = std::strtoull(text, &end, 0);
  if (errno != 0 || *end != '\0' || *text == '-') {
    settings.problem = std::string(name) + " must be a number (decimal or 0x hex), not '" + text + "'";
    return std::nullopt;
  }
  return value;
}

RunSettings settings_from_environment() {
  RunSettings settings;
  if (auto seed = number_from_environment("WEFTKIT_JIT_SEED", settings)) settings.seed = *seed;
  if (auto cases = number_from_environment("WEFTKIT_JIT_CASES", settings)) settings.cases = *cases;
  settings.only_case = number_from_environment("WEFTKIT_JIT_CASE", settings);
  if (settings.cases == 0) settings.problem = "WEFTKIT_JIT_CASES must be positive";
  return settings;
}

llvm_backend::JitEngine& engine() {
  static llvm_backend::JitEngine* shared = [] {
    Result<llvm_backend::JitEngine> created = llvm_backend::JitEngine::create();
    if (!created.ok()) return static_cast<llvm_backend::JitEngine*>(nullptr);
    return new llvm_backend::JitEngine(std::move(created).value());
  }();
  return *shared;
}

// What one case is made of before any batch, drawn in this order from the case's seed (the
// coverage test regenerates exactly these).
struct GeneratedCase {
  TableDefinition table;
  semantics::SessionValues session;
  RandomPlan plan;
};

GeneratedCase generate_case(RandomSource& random) {
  GeneratedCase out;
  out.table = random_table(random);
  out.session = random_session(random);
  out.plan = random_plan(random, out.table);
  return out;
}

std::vector<const Expr*> all_conditions(const StatementPlan& plan) {
  std::vector<const Expr*> conditions;
  for (const Expr& condition : plan.row_filters) conditions.push_back(&condition);
  for (const NewRowCheck& check : plan.new_row_checks) {
    for (const Expr& condition : check.conditions) conditions.push_back(&condition);
  }
  return conditions;
}

struct RandomBatch {
  std::vector<std::vector<Value>> rows;
  std::vector<std::vector<Value>> new_rows;  // UPDATE-like plans only
  int64_t offset = 0;
  int64_t new_offset = 0;
};

RandomBatch random_batch(RandomSource& random, const GeneratedCase& generated, int64_t length) {
  RandomBatch batch;
  auto offset = [&] { return random.chance(0.5) ? 0 : random.between(1, 70); };
  batch.offset = offset();
  batch.rows = random_rows(random, generated.table, random_profiles(random, generated.table), static_cast<size_t>(length));
  if (generated.plan.separate_new_rows()) {
    batch.new_offset = offset();
    batch.new_rows =
        random_rows(random, generated.table, random_profiles(random, generated.table), static_cast<size_t>(length));
  }
  return batch;
}

// The batch function's answer per row, or why it cannot be read as one.
std::vector<RowOutcome> batch_answers(const native::BatchOutcome& outcome, size_t length, std::string& problem) {
  std::vector<RowOutcome> answers(length);
  if (outcome.selection.size() != (length + 63) / 64) {
    problem = "selection has " + std::to_string(outcome.selection.size()) + " words for " + std::to_string(length) + " rows";
    return {};
  }
  for (size_t row = 0; row < length; ++row) {
    bool selected = (outcome.selection[row / 64] >> (row % 64)) & 1;
    answers[row].result = selected ? RowResult::kPass : RowResult::kFiltered;
  }
  if (length % 64 != 0 && (outcome.selection.back() >> (length % 64)) != 0) {
    problem = "selection bits set past the batch's end";
    return {};
  }
  int64_t previous = -1;
  for (const auto& [row, row_outcome] : outcome.exceptions) {
    if (row <= previous || row >= static_cast<int64_t>(length)) {
      problem = "exception rows out of order or range at row " + std::to_string(row);
      return {};
    }
    if (answers[static_cast<size_t>(row)].result == RowResult::kPass) {
      problem = "row " + std::to_string(row) + " both selected and exceptional";
      return {};
    }
    answers[static_cast<size_t>(row)] = row_outcome;
    previous = row;
  }
  return answers;
}

std::string describe_row(const TableDefinition& table, const std::vector<Value>& row) {
  std::string text;
  for (size_t index = 0; index < row.size(); ++index) {
    text += "    " + table.columns[index].name + " = " + describe_value(row[index]) + "\n";
  }
  return text;
}

std::string describe_case(uint64_t seed, uint64_t index, const GeneratedCase& generated) {
  std::ostringstream out;
  out << "seed " << seed << ", case " << index << " (rerun alone: WEFTKIT_JIT_SEED=" << seed
      << " WEFTKIT_JIT_CASE=" << index << ")\n";
  out << "  plan: " << plan_shape_name(generated.plan.shape) << "\n";
  for (size_t filter = 0; filter < generated.plan.plan.row_filters.size(); ++filter) {
    out << "  filter " << filter << ": " << describe_expr(generated.plan.plan.row_filters[filter]) << "\n";
  }
  for (size_t check = 0; check < generated.plan.plan.new_row_checks.size(); ++check) {
    const NewRowCheck& new_row_check = generated.plan.plan.new_row_checks[check];
    out << "  check " << check << " (" << new_row_check.violation_message << "):\n";
    for (const Expr& condition : new_row_check.conditions) out << "    " << describe_expr(condition) << "\n";
  }
  out << "  session: current_user '" << generated.session.current_user << "', session_user '"
      << generated.session.session_user << "'";
  for (const auto& [name, value] : generated.session.settings) out << ", " << name << " = '" << value << "'";
  out << "\n";
  return out.str();
}

struct SweepTally {
  uint64_t cases = 0;
  int64_t rows = 0;
  std::map<RowResult, int64_t> results;          // the reference's answer, per row
  std::map<std::string, int64_t> error_messages;  // the reference's errors, per row
  int refused_plans = 0;
  int64_t disagreements = 0;
  std::vector<std::string> reports;  // the first kMaxReports
};

void report(SweepTally& tally, const std::string& text) {
  if (tally.reports.size() < kMaxReports) tally.reports.push_back(text);
}

void check_batch(const std::string& case_text, const GeneratedCase& generated, const interp::RowFilter& reference,
                 const native::JitRowFilter& jit, const RandomBatch& batch, SweepTally& tally) {
  const TableDefinition& table = generated.table;
  const bool separate = generated.plan.separate_new_rows();
  native::ArrowBatchBuilder arrow(table, batch.rows, batch.offset);
  std::optional<native::ArrowBatchBuilder> new_arrow;
  if (separate) new_arrow.emplace(table, batch.new_rows, batch.new_offset);
  std::string batch_text = "batch of " + std::to_string(batch.rows.size()) + " rows at offset " +
                           std::to_string(batch.offset) +
                           (separate ? ", new rows at offset " + std::to_string(batch.new_offset) : "");
  // A timestamp beyond Arrow's timestamp[us] has no batch: the row function alone answers.
  const bool batchable = arrow.unrepresentable().empty() && (!new_arrow || new_arrow->unrepresentable().empty());
  std::string error;
  std::optional<native::BatchOutcome> outcome;
  if (batchable) outcome = jit.filter_batch(arrow.schema(), arrow.array(), new_arrow ? &new_arrow->array() : nullptr, error);
  std::string problem = outcome || !batchable ? "" : "filter_batch refused the batch: " + error;
  std::vector<RowOutcome> batch_rows;
  if (outcome) batch_rows = batch_answers(*outcome, batch.rows.size(), problem);
  if (!problem.empty()) {
    ++tally.disagreements;
    report(tally, case_text + "  " + batch_text + ": " + problem + "\n");
    return;
  }
  for (size_t row = 0; row < batch.rows.size(); ++row) {
    const std::vector<Value>* new_row = separate ? &batch.new_rows[row] : nullptr;
    RowOutcome expected = reference.check(batch.rows[row], new_row);
    std::string want = testing::describe_outcome(expected);
    std::string by_row = testing::describe_outcome(jit.check(batch.rows[row], new_row));
    std::string by_batch = batchable ? testing::describe_outcome(batch_rows[row]) : want;
    ++tally.rows;
    ++tally.results[expected.result];
    if (expected.result == RowResult::kError) ++tally.error_messages[expected.message];
    if (by_row == want && by_batch == want) continue;
    ++tally.disagreements;
    std::string text = case_text + "  " + batch_text + ", row " + std::to_string(row) + ":\n" +
                       describe_row(table, batch.rows[row]);
    if (new_row != nullptr) text += "  new row:\n" + describe_row(table, *new_row);
    text += "  reference: " + want + "\n  JIT row:   " + by_row + "\n  JIT batch: " + by_batch + "\n";
    report(tally, text);
  }
}

void run_case(uint64_t seed, uint64_t index, SweepTally& tally) {
  RandomSource random(case_seed(seed, index));
  GeneratedCase generated = generate_case(random);
  std::string case_text = describe_case(seed, index, generated);
  ++tally.cases;
  Result<std::shared_ptr<const native::CompiledPlan>> compiled = engine().compile_plan(generated.plan.plan, generated.table);
  if (!compiled.ok()) {
    // The generator makes only what the code generator lowers: a refusal is its bug.
    std::string reason;
    for (const Diagnostic& diagnostic : compiled.diagnostics().all()) reason += diagnostic.message;
    ++tally.refused_plans;
    report(tally, case_text + "  compile_plan refused it: " + reason + "\n");
    return;
  }
  interp::RowFilter reference(generated.plan.plan, generated.session);
  native::JitRowFilter jit(compiled.value(), generated.session);
  // Rows are cheap next to compiling the plan: two batches of edge lengths (each in turn), one
  // of a random length.
  for (int64_t length : {kEdgeLengths[index % kEdgeLengths.size()], kEdgeLengths[(index + 3) % kEdgeLengths.size()],
                         random.between(0, kMaxRandomLength)}) {
    check_batch(case_text, generated, reference, jit, random_batch(random, generated, length), tally);
  }
}

std::string join(const std::vector<std::string>& texts) {
  std::string out;
  for (const std::string& text : texts) out += "\n" + text;
  return out;
}

TEST(JitRandomDifferential, RowAndBatchFunctionsGiveTheReferenceAnswerOnEveryRandomRow) {
  RunSettings settings = settings_from_environment();
  ASSERT_TRUE(settings.problem.empty()) << settings.problem;
  ASSERT_NE(&engine(), nullptr) << "no JIT engine for this machine";
  auto started = std::chrono::steady_clock::now();
  SweepTally tally;
  if (settings.only_case) {
    run_case(settings.seed, *settings.only_case, tally);
  } else {
    for (uint64_t index = 0; index < settings.cases; ++index) run_case(settings.seed, index, tally);
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << "seed " << settings.seed << ": " << tally.cases << " plans, " << tally.rows << " rows in " << seconds
            << " s; reference: " << tally.results[RowResult::kPass] << " pass, " << tally.results[RowResult::kFiltered]
            << " filtered, " << tally.results[RowResult::kViolation] << " violation, "
            << tally.results[RowResult::kError] << " error\n";

  EXPECT_EQ(tally.refused_plans, 0) << "generated plans the JIT does not compile:" << join(tally.reports);
  EXPECT_EQ(tally.disagreements, 0) << tally.disagreements << " disagreements; the first ones:" << join(tally.reports);

  // A sweep that never passes, filters, violates or fails, or never meets an error the
  // generated code raises itself, would prove little: the default run meets all of them.
  if (settings.only_case || settings.cases < kDefaultCases) return;
  for (RowResult result : {RowResult::kPass, RowResult::kFiltered, RowResult::kViolation, RowResult::kError}) {
    EXPECT_GT(tally.results[result], 0) << "no row ended as " << interp::row_result_name(result);
  }
  const std::vector<std::string> kMessagePrefixes = {
      "division by zero",
      "smallint out of range",
      "integer out of range",
      "bigint out of range",
      "value out of range: overflow",
      "value out of range: underflow",
      "LIKE pattern must not end with escape character",
      "invalid escape string",
      "date out of range for timestamp",
      "invalid input syntax for type",        // a setting or text that does not read as its type
      "unrecognized configuration parameter",  // an unset setting without missing_ok
      // Raised by helper calls (messages rebuilt from their error sites) and date arithmetic.
      "value too long for type character varying",
      "cannot convert NaN to",
      "cannot convert infinity to",
      "value \"",  // value "32768" is out of range for type smallint (text -> integer)
      "date out of range",
      "cannot subtract infinite dates",
  };
  for (const std::string& prefix : kMessagePrefixes) {
    int64_t rows = 0;
    for (const auto& [message, count] : tally.error_messages) {
      if (message.rfind(prefix, 0) == 0) rows += count;
    }
    EXPECT_GT(rows, 0) << "no row raised \"" << prefix << "...\"";
  }
}

// What the generator must reach, named as collect_features names it.
std::vector<std::string> required_features() {
  const std::vector<TypeId> integers = {TypeId::kInt2, TypeId::kInt4, TypeId::kInt8};
  const std::vector<TypeId> floats = {TypeId::kFloat4, TypeId::kFloat8};
  const std::vector<TypeId> all = {TypeId::kBool,   TypeId::kInt2,   TypeId::kInt4,      TypeId::kInt8,
                                   TypeId::kFloat4, TypeId::kFloat8, TypeId::kText,      TypeId::kDate,
                                   TypeId::kTimestamp, TypeId::kTimestamptz, TypeId::kNumeric, TypeId::kUuid};
  auto name = [](TypeId type) { return std::string(type_name(type)); };
  std::vector<std::string> features = {"and", "or", "not", "is null", "is not null", "is true", "is not true", "is false",
                                       "is not false", "is unknown", "is not unknown", "like", "not like", "ilike",
                                       "not ilike", "like escape", "ilike escape", "null constant", "constant",
                                       "param current_setting", "param current_setting missing_ok", "param current_user"};
  for (TypeId type : all) {
    features.push_back("column " + name(type));
    for (const char* op : {"=", "<>", "<", "<=", ">", ">="}) features.push_back(std::string("compare ") + op + " " + name(type));
    for (const char* kind : {"in ", "not in ", "case with else ", "case without else ", "coalesce ", "nullif ",
                             "greatest ", "least "}) {
      features.push_back(kind + name(type));
    }
    if (type != TypeId::kText) features.push_back("param cast to " + name(type));
  }
  for (TypeId type : integers) {
    for (const char* op : {"+", "-", "*", "/", "%"}) features.push_back(std::string(op) + " " + name(type));
  }
  for (TypeId type : floats) {
    for (const char* op : {"+", "-", "*", "/"}) features.push_back(std::string(op) + " " + name(type));
  }
  for (TypeId type : integers) {
    features.push_back("negate " + name(type));
    features.push_back("abs " + name(type));
    for (TypeId to : integers) {
      if (to != type) features.push_back("cast " + name(type) + " -> " + name(to));
    }
    for (TypeId to : floats) {
      features.push_back("cast " + name(type) + " -> " + name(to));
      features.push_back("cast " + name(to) + " -> " + name(type));
    }
  }
  for (TypeId type : floats) {
    features.push_back("negate " + name(type));
    features.push_back("abs " + name(type));
  }
  const std::string date = name(TypeId::kDate), timestamp = name(TypeId::kTimestamp), timestamptz = name(TypeId::kTimestamptz);
  for (const char* cast : {"real -> double precision", "double precision -> real", "boolean -> integer",
                                  "integer -> boolean"}) {
    features.push_back(std::string("cast ") + cast);
  }
  for (const std::string& to : {timestamp, timestamptz}) {
    features.push_back("cast " + date + " -> " + to);
    features.push_back("cast " + date + " -> " + to + " (cross-type operand)");
  }
  features.push_back("cast " + timestamp + " -> " + timestamptz);
  features.push_back("cast " + timestamptz + " -> " + timestamp);
  // Through helper calls: numeric, text functions, casts from and to text, varchar(n).
  const std::string numeric = name(TypeId::kNumeric), text = name(TypeId::kText);
  for (const char* op : {"+", "-", "*", "/", "%"}) features.push_back(std::string(op) + " " + numeric);
  features.push_back("negate " + numeric);
  features.push_back("abs " + numeric);
  for (TypeId type : all) {
    if (type == TypeId::kText) continue;
    features.push_back("cast " + name(type) + " -> " + text);
    features.push_back("cast " + text + " -> " + name(type));
  }
  for (TypeId type : {TypeId::kInt2, TypeId::kInt4, TypeId::kInt8, TypeId::kFloat4, TypeId::kFloat8}) {
    features.push_back("cast " + name(type) + " -> " + numeric);
    features.push_back("cast " + numeric + " -> " + name(type));
  }
  for (const char* feature : {"concat", "lower", "upper", "length", "cast text -> varchar", "cast text -> varchar (assignment)"}) {
    features.push_back(feature);
  }
  // Inline: date arithmetic, timestamp -> date, NULLIF with a cross-type =.
  for (const std::string& arithmetic : {date + " + integer", "integer + " + date, date + " - integer", date + " - " + date}) {
    features.push_back(arithmetic);
  }
  features.push_back("cast " + timestamp + " -> " + date);
  features.push_back("cast " + timestamptz + " -> " + date);
  for (TypeId type : {TypeId::kInt2, TypeId::kInt4, TypeId::kFloat4, TypeId::kDate, TypeId::kTimestamp}) {
    features.push_back("nullif " + name(type) + " (cross-type)");
  }
  return features;
}

TEST(JitRandomDifferential, GeneratedPlansReachEveryLoweredNodeKindAndTypeAndAreAllNative) {
  RunSettings settings = settings_from_environment();
  ASSERT_TRUE(settings.problem.empty()) << settings.problem;
  std::set<std::string> features;
  // The plans the default sweep checks (more when the sweep is longer); generating is cheap.
  uint64_t cases = std::max(settings.cases, kDefaultCases);
  for (uint64_t index = 0; index < cases; ++index) {
    RandomSource random(case_seed(settings.seed, index));
    GeneratedCase generated = generate_case(random);
    native::NativePlanLayout layout = native::lay_out_native_plan(generated.plan.plan);
    ASSERT_TRUE(layout.supported) << layout.unsupported_reason << "\n" << describe_case(settings.seed, index, generated);
    for (const Expr* condition : all_conditions(generated.plan.plan)) collect_features(*condition, features);
  }
  std::vector<std::string> missing;
  for (const std::string& feature : required_features()) {
    if (features.count(feature) == 0) missing.push_back(feature);
  }
  EXPECT_TRUE(missing.empty()) << "never generated:" << join(missing);
  std::vector<std::string> unexpected;
  for (const std::string& feature : features) {
    if (feature.rfind("unexpected ", 0) == 0) unexpected.push_back(feature);
  }
  EXPECT_TRUE(unexpected.empty()) << "row-dependent nodes of kinds the JIT does not lower:" << join(unexpected);
}

}  // namespace
}  // namespace weftkit::policy::jittest
