// One row through the row API, and one whole statement, as an engine with a row store pays
// them: StatementRowFilter::check and weftkit_row_filter_check on a simple integer predicate
// (`owner_id = 3 AND amount > 100`), against the same predicate hand-written in C++ behind an
// out-of-line call, in the same run; and a statement (begin, open the row filter, check one
// row, release both) through C++ and through C, for a JIT-backed version and an
// ahead-of-time module of the same files. Reports ns per row and per statement.
#include <benchmark/benchmark.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "bench/runtime_bench_support.h"
#include <weftkit/policy_compiler.h>
#include <weftkit/policy_module.h>
#include <weftkit/policy_runtime.h>
#include <weftkit/weftkit_policy.h>

namespace weftkit {
namespace {

constexpr size_t kRowCount = 4096;  // a power of two: rows and answers stay in L1/L2
constexpr size_t kColumns = 3;      // items (id bigint, owner_id integer, amount integer)

const char* const kRoles = R"(users:
  - name: reader
    roles: [read_only]
)";

const char* const kPolicies = R"(CREATE TABLE items (id bigint, owner_id integer, amount integer);
ALTER TABLE items ENABLE ROW LEVEL SECURITY;
CREATE POLICY owners_large_items ON items FOR SELECT USING (owner_id = 3 AND amount > 100);
)";

// The rows, one Datum per column (NULLs among them), and the predicate's answer for each.
struct Rows {
  std::vector<Datum> datums;  // kRowCount * kColumns
  std::vector<bool> passes;

  Rows() {
    std::mt19937 random(20261207);
    std::uniform_int_distribution<int> owner(1, 4);
    std::uniform_int_distribution<int> amount(0, 200);
    std::uniform_int_distribution<int> null_one_in(0, 31);
    for (size_t row = 0; row < kRowCount; ++row) {
      Datum id;
      id.bits = static_cast<int64_t>(row);
      id.is_null = 0;
      Datum owner_id;
      owner_id.bits = owner(random);
      owner_id.is_null = null_one_in(random) == 0;
      Datum amount_value;
      amount_value.bits = amount(random);
      amount_value.is_null = null_one_in(random) == 0;
      datums.insert(datums.end(), {id, owner_id, amount_value});
      passes.push_back(!owner_id.is_null && owner_id.bits == 3 && !amount_value.is_null && amount_value.bits > 100);
    }
  }
  const Datum* row(size_t index) const { return datums.data() + index * kColumns; }
};

const Rows& rows() {
  static const Rows* instance = new Rows();
  return *instance;
}

// The baseline: the predicate written by hand over the same Datums, called out of line as the
// API is (an engine calls into a library for each row).
__attribute__((noinline)) bool hand_written_check(const Datum* row) {
  const Datum& owner_id = row[1];
  const Datum& amount = row[2];
  return (owner_id.is_null == 0) & (owner_id.bits == 3) & (amount.is_null == 0) & (amount.bits > 100);
}

struct Files {
  bench::ScratchDirectory scratch;
  std::vector<std::string> paths;
  Files() {
    paths = {scratch.path("roles.yaml"), scratch.path("policies.sql")};
    bench::write_file_atomically(paths[0], kRoles);
    bench::write_file_atomically(paths[1], kPolicies);
  }
};

const Files& files() {
  static const Files* instance = new Files();
  return *instance;
}

Identity reader() {
  Identity identity;
  identity.user = "reader";
  return identity;
}

// A store serving one version, a context for `reader`, a statement and its SELECT filter on
// items, as an engine keeps them while it scans; and the same through the C API.
struct Served {
  std::unique_ptr<PolicyStore> store;
  std::unique_ptr<SecurityContext> context;
  std::unique_ptr<const StatementRowFilter> filter;
  weftkit_store* c_store = nullptr;
  weftkit_context* c_context = nullptr;
  weftkit_statement* c_statement = nullptr;
  weftkit_row_filter* c_filter = nullptr;

  Served(std::shared_ptr<const PolicyVersion> version, weftkit_store* c_served) : c_store(c_served) {
    store = std::make_unique<PolicyStore>(std::move(version));
    StatusOr<SecurityContext> built = SecurityContext::build(*store, reader());
    if (!built.is_ok()) bench::fail(built.status().message());
    context = std::make_unique<SecurityContext>(std::move(built).value());
    StatusOr<Statement> statement = context->begin_statement();
    if (!statement.is_ok()) bench::fail(statement.status().message());
    StatusOr<std::unique_ptr<const StatementRowFilter>> opened = statement.value().row_filter("items", {Command::kSelect});
    if (!opened.is_ok()) bench::fail(opened.status().message());
    filter = std::move(opened).value();

    weftkit_identity identity{};
    identity.user = "reader";
    check(weftkit_context_build(c_store, &identity, &c_context, nullptr), "weftkit_context_build");
    check(weftkit_statement_begin(c_context, &c_statement, nullptr), "weftkit_statement_begin");
    check(weftkit_row_filter_open(c_statement, "items", WEFTKIT_COMMAND_SELECT, true, false, &c_filter, nullptr),
          "weftkit_row_filter_open");

    // Every path gives the predicate's answer on every row before anything is timed.
    for (size_t index = 0; index < kRowCount; ++index) {
      const Datum* row = rows().row(index);
      bool expected = rows().passes[index];
      weftkit_row_result c_result = WEFTKIT_ROW_ERROR;
      check(weftkit_row_filter_check(c_filter, reinterpret_cast<const weftkit_datum*>(row), kColumns, nullptr, 0,
                                     &c_result, nullptr, nullptr),
            "weftkit_row_filter_check");
      bool answers[] = {filter->check(row, nullptr).result == RowResult::kPass, c_result == WEFTKIT_ROW_PASS,
                        hand_written_check(row)};
      for (bool answer : answers) {
        if (answer != expected) bench::fail("a row path disagrees with the predicate on row " + std::to_string(index));
      }
    }
  }

  static void check(weftkit_status status, const char* what) {
    if (status != WEFTKIT_OK) bench::fail(std::string(what) + " failed: " + weftkit_status_name(status));
  }
};

Served& jit_served() {
  static Served* instance = [] {
    StatusOr<PolicyCompiler> compiler = PolicyCompiler::create();
    if (!compiler.is_ok()) bench::fail(compiler.status().message());
    StatusOr<std::shared_ptr<const PolicyVersion>> version = compiler.value().compile(files().paths);
    if (!version.is_ok()) bench::fail(version.status().message());
    weftkit_compiler* c_compiler = nullptr;
    Served::check(weftkit_compiler_create(&c_compiler, nullptr), "weftkit_compiler_create");
    std::vector<const char*> paths;
    for (const std::string& path : files().paths) paths.push_back(path.c_str());
    weftkit_store* c_store = nullptr;
    Served::check(weftkit_compiler_compile(c_compiler, paths.data(), paths.size(), &c_store, nullptr),
                  "weftkit_compiler_compile");
    weftkit_compiler_free(c_compiler);  // the store keeps its code
    return new Served(std::move(version).value(), c_store);
  }();
  return *instance;
}

Served& aot_served() {
  static Served* instance = [] {
    std::string module = files().scratch.path("policy.so");
    bench::build_policy_module(files().paths, module);
    StatusOr<std::shared_ptr<const PolicyVersion>> version = load_policy_module(module);
    if (!version.is_ok()) bench::fail(version.status().message());
    weftkit_store* c_store = nullptr;
    Served::check(weftkit_store_open_module(module.c_str(), &c_store, nullptr), "weftkit_store_open_module");
    return new Served(std::move(version).value(), c_store);
  }();
  return *instance;
}

void set_per_row(benchmark::State& state) {
  state.counters["per_row"] = benchmark::Counter(static_cast<double>(state.iterations()) * kRowCount,
                                                 benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

// Each iteration answers every row; the loop (next row, count the passes) is the same for
// every variant, only the check differs.
template <class Check>
void run_rows(benchmark::State& state, Check check) {
  const Rows& all = rows();
  for (auto _ : state) {
    uint32_t passed = 0;
    for (size_t index = 0; index < kRowCount; ++index) passed += check(all.row(index));
    benchmark::DoNotOptimize(passed);
  }
  set_per_row(state);
}

void BM_RowHandWrittenCall(benchmark::State& state) {
  bool (*check)(const Datum*) = hand_written_check;
  benchmark::DoNotOptimize(check);
  run_rows(state, [check](const Datum* row) { return check(row); });
}

// StatementRowFilter::check(row, nullptr): the C++ row API.
void BM_RowCheck(benchmark::State& state, Served* served) {
  const StatementRowFilter* filter = served->filter.get();
  run_rows(state, [filter](const Datum* row) { return filter->check(row, nullptr).result == RowResult::kPass; });
}

// weftkit_row_filter_check: the C row API, row length checked, no message asked for.
void BM_CRowCheck(benchmark::State& state, Served* served) {
  const weftkit_row_filter* filter = served->c_filter;
  run_rows(state, [filter](const Datum* row) {
    weftkit_row_result result = WEFTKIT_ROW_ERROR;
    weftkit_row_filter_check(filter, reinterpret_cast<const weftkit_datum*>(row), kColumns, nullptr, 0, &result,
                             nullptr, nullptr);
    return result == WEFTKIT_ROW_PASS;
  });
}

void set_per_statement(benchmark::State& state) {
  state.counters["per_statement"] = benchmark::Counter(static_cast<double>(state.iterations()),
                                                       benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

// A whole statement in C++: begin (pin the serving version), the row filter of SELECT on
// items, one row checked, filter and statement released. The baseline is beginning and
// releasing the statement alone.
void BM_StatementBeginOnly(benchmark::State& state, Served* served) {
  SecurityContext& context = *served->context;
  for (auto _ : state) {
    StatusOr<Statement> statement = context.begin_statement();
    benchmark::DoNotOptimize(statement.is_ok());
  }
  set_per_statement(state);
}

void BM_Statement(benchmark::State& state, Served* served) {
  SecurityContext& context = *served->context;
  const Datum* row = rows().row(0);
  for (auto _ : state) {
    StatusOr<Statement> statement = context.begin_statement();
    StatusOr<std::unique_ptr<const StatementRowFilter>> filter = statement.value().row_filter("items", {Command::kSelect});
    benchmark::DoNotOptimize(filter.value()->check(row, nullptr).result);
  }
  set_per_statement(state);
}

// The same through the C API.
void BM_CStatement(benchmark::State& state, Served* served) {
  weftkit_context* context = served->c_context;
  const auto* row = reinterpret_cast<const weftkit_datum*>(rows().row(0));
  for (auto _ : state) {
    weftkit_statement* statement = nullptr;
    weftkit_row_filter* filter = nullptr;
    weftkit_row_result result = WEFTKIT_ROW_ERROR;
    weftkit_statement_begin(context, &statement, nullptr);
    weftkit_row_filter_open(statement, "items", WEFTKIT_COMMAND_SELECT, true, false, &filter, nullptr);
    weftkit_row_filter_check(filter, row, kColumns, nullptr, 0, &result, nullptr, nullptr);
    benchmark::DoNotOptimize(result);
    weftkit_row_filter_free(filter);
    weftkit_statement_free(statement);
  }
  set_per_statement(state);
}

void register_benchmarks() {
  benchmark::RegisterBenchmark("BM_RowHandWrittenCall", BM_RowHandWrittenCall);
  struct Kind {
    const char* name;
    Served& (*served)();
  };
  for (Kind kind : {Kind{"jit", jit_served}, Kind{"aot", aot_served}}) {
    Served* served = &kind.served();  // built before any timing
    std::string suffix = std::string("/") + kind.name;
    benchmark::RegisterBenchmark(("BM_RowCheck" + suffix).c_str(), BM_RowCheck, served);
    benchmark::RegisterBenchmark(("BM_CRowCheck" + suffix).c_str(), BM_CRowCheck, served);
    benchmark::RegisterBenchmark(("BM_StatementBeginOnly" + suffix).c_str(), BM_StatementBeginOnly, served);
    benchmark::RegisterBenchmark(("BM_Statement" + suffix).c_str(), BM_Statement, served);
    benchmark::RegisterBenchmark(("BM_CStatement" + suffix).c_str(), BM_CStatement, served);
  }
}

}  // namespace
}  // namespace weftkit

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  weftkit::register_benchmarks();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
