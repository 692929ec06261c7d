// Row-predicate throughput: one 1,000,000-row batch (int32 tenant_id, int64 amount, text owner,
// text name, each with some NULLs) filtered by three SELECT plans — an integer predicate, a text
// equality and a LIKE — through the JIT (the host's Arrow entry point filter_batch, the raw
// generated batch function, the row function one row at a time with and without the host's
// wrapper), through the reference evaluator, and through hand-written C++ loops compiled at -O3
// for this CPU (bench/predicate_baseline.cc). The integer predicate is timed over the first
// 65,536 rows as well (L2-resident). Reports the time per row. Every variant is checked at
// start-up to produce the reference evaluator's selection bitmap over every row it covers.
//
// --dump_jit_code=PREFIX writes the JIT's executable memory from the integer plan's batch
// function to the end of its mapping to PREFIX.batch.bin (and the row function's to
// PREFIX.row.bin), for `objdump -D -b binary -m i386:x86-64`.
#include <benchmark/benchmark.h>

#include <bit>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "bench/predicate_baseline.h"
#include "codegen/interp/expr_evaluator.h"
#include "codegen/semantics/principal.h"
#include "codegen/interp/row_filter.h"
#include "codegen/llvm/jit_program.h"
#include "codegen/native/compiled_row_filter.h"
#include "compiler/driver/compile_files.h"
#include "compiler/ir/statement_plan.h"
#include "compiler/values/sql_error.h"

namespace weftkit::policy {
namespace {

constexpr int64_t kRows = 1'000'000;
constexpr int64_t kReferenceRows = 65'536;  // the reference evaluator is timed over these rows
// The integer predicate is also timed over the first kCacheRows rows: 12 bytes a row, so they
// stay in L2 (1 MiB here) and the loops are timed without the L3 and memory traffic.
constexpr int64_t kCacheRows = 65'536;
constexpr int32_t kTenant = 3;
constexpr int64_t kAmountLimit = 100;
constexpr const char* kUser = "alice";

const char* const kRoles =
    "roles:\n"
    "  - name: reader\n"
    "    allow: [SELECT]\n"
    "users:\n"
    "  - name: alice\n"
    "    roles: [reader]\n";

const char* const kTable =
    "CREATE TABLE events (tenant_id integer, amount bigint, owner text, name text);\n"
    "ALTER TABLE events ENABLE ROW LEVEL SECURITY;\n";

enum Column { kTenantColumn = 0, kAmountColumn = 1, kOwnerColumn = 2, kNameColumn = 3, kColumnCount = 4 };

[[noreturn]] void fail(const std::string& why) {
  std::fprintf(stderr, "predicate_throughput: %s\n", why.c_str());
  std::exit(1);
}

bool bit_at(const std::vector<uint64_t>& words, int64_t row) { return (words[static_cast<size_t>(row >> 6)] >> (row & 63)) & 1; }
void set_bit(std::vector<uint64_t>& words, int64_t row) { words[static_cast<size_t>(row >> 6)] |= uint64_t{1} << (row & 63); }
size_t word_count(int64_t rows) { return static_cast<size_t>((rows + 63) / 64); }

// The batch as an engine holds it: Arrow buffers. Validity bitmaps are allocated as whole
// 64-bit words (Arrow's byte bitmap, least significant bit first, read as little-endian words).
struct Columns {
  std::vector<uint64_t> valid[kColumnCount];
  std::vector<int32_t> tenant;
  std::vector<int64_t> amount;
  std::vector<int32_t> owner_offsets, name_offsets;
  std::string owner_data, name_data;
  int64_t null_count[kColumnCount] = {};

  Columns() {
    std::mt19937_64 random(20240607);
    auto chance = [&random](int percent) { return static_cast<int>(random() % 100) < percent; };
    for (std::vector<uint64_t>& words : valid) words.assign(word_count(kRows), 0);
    tenant.resize(kRows);
    amount.resize(kRows);
    owner_offsets.push_back(0);
    name_offsets.push_back(0);
    const char* owners[] = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy"};
    for (int64_t row = 0; row < kRows; ++row) {
      // About 2 % NULLs per column; tenants 1..10 (10 % are tenant 3); amounts 0..1000 (90 % over 100).
      bool present[kColumnCount];
      for (int column = 0; column < kColumnCount; ++column) {
        present[column] = !chance(2);
        if (present[column]) set_bit(valid[column], row);
        else ++null_count[column];
      }
      tenant[row] = present[kTenantColumn] ? static_cast<int32_t>(1 + random() % 10) : 0;
      amount[row] = present[kAmountColumn] ? static_cast<int64_t>(random() % 1001) : 0;
      if (present[kOwnerColumn]) owner_data += owners[random() % 10];
      owner_offsets.push_back(static_cast<int32_t>(owner_data.size()));
      // Names: 0..16 letters of a-d, so that about 1/16 start with 'a' and end with 'b'.
      if (present[kNameColumn]) {
        size_t size = random() % 17;
        for (size_t index = 0; index < size; ++index) name_data += static_cast<char>('a' + random() % 4);
      }
      name_offsets.push_back(static_cast<int32_t>(name_data.size()));
    }
  }

  std::string text_at(const std::vector<int32_t>& offsets, const std::string& data, int64_t row) const {
    return data.substr(static_cast<size_t>(offsets[row]), static_cast<size_t>(offsets[row + 1] - offsets[row]));
  }

  // Row `row` as the reference evaluator takes it.
  void read_values(int64_t row, std::vector<Value>& out) const {
    out.resize(kColumnCount);
    out[kTenantColumn] = bit_at(valid[kTenantColumn], row) ? Value::integer_of(TypeId::kInt4, tenant[row])
                                                           : Value::null_of(TypeId::kInt4);
    out[kAmountColumn] = bit_at(valid[kAmountColumn], row) ? Value::integer_of(TypeId::kInt8, amount[row])
                                                           : Value::null_of(TypeId::kInt8);
    out[kOwnerColumn] = bit_at(valid[kOwnerColumn], row) ? Value::text_of(text_at(owner_offsets, owner_data, row))
                                                         : Value::null_of(TypeId::kText);
    out[kNameColumn] = bit_at(valid[kNameColumn], row) ? Value::text_of(text_at(name_offsets, name_data, row))
                                                       : Value::null_of(TypeId::kText);
  }

  std::string describe_row(int64_t row) const {
    std::vector<Value> values;
    read_values(row, values);
    std::ostringstream out;
    out << "row " << row << ": tenant_id=" << (values[0].is_null ? "NULL" : std::to_string(values[0].integer))
        << " amount=" << (values[1].is_null ? "NULL" : std::to_string(values[1].integer))
        << " owner=" << (values[2].is_null ? "NULL" : "'" + values[2].text + "'")
        << " name=" << (values[3].is_null ? "NULL" : "'" + values[3].text + "'");
    return out.str();
  }

  // Row `row` as NativeDatums, read straight from the buffers (an engine's row-at-a-time path).
  void read_datums(int64_t row, native::NativeDatum* out) const {
    size_t word = static_cast<size_t>(row >> 6);
    int shift = static_cast<int>(row & 63);
    for (int column = 0; column < kColumnCount; ++column) out[column].is_null = ((valid[column][word] >> shift) & 1) ^ 1;
    out[kTenantColumn].bits = tenant[row];
    out[kAmountColumn].bits = amount[row];
    out[kOwnerColumn].data = owner_data.data() + owner_offsets[row];
    out[kOwnerColumn].length = owner_offsets[row + 1] - owner_offsets[row];
    out[kNameColumn].data = name_data.data() + name_offsets[row];
    out[kNameColumn].length = name_offsets[row + 1] - name_offsets[row];
  }
};

void no_release_schema(ArrowSchema* schema) { schema->release = nullptr; }
void no_release_array(ArrowArray* array) { array->release = nullptr; }

// The Arrow C data interface structs over Columns' buffers (no copy). Not movable: the
// structs point at each other.
struct ArrowExport {
  ArrowSchema schema{};
  ArrowSchema child_schemas[kColumnCount]{};
  ArrowSchema* child_schema_pointers[kColumnCount]{};
  ArrowArray array{};
  ArrowArray child_arrays[kColumnCount]{};
  ArrowArray* child_array_pointers[kColumnCount]{};
  const void* buffers[kColumnCount][3]{};

  explicit ArrowExport(const Columns& columns) {
    const char* formats[kColumnCount] = {"i", "l", "u", "u"};
    const char* names[kColumnCount] = {"tenant_id", "amount", "owner", "name"};
    for (int column = 0; column < kColumnCount; ++column) {
      ArrowSchema& child_schema = child_schemas[column];
      child_schema.format = formats[column];
      child_schema.name = names[column];
      child_schema.flags = ARROW_FLAG_NULLABLE;
      child_schema.release = no_release_schema;
      child_schema_pointers[column] = &child_schema;
      buffers[column][0] = columns.valid[column].data();
      ArrowArray& child = child_arrays[column];
      child.length = kRows;
      child.null_count = columns.null_count[column];
      child.buffers = buffers[column];
      child.release = no_release_array;
      child_array_pointers[column] = &child;
    }
    buffers[kTenantColumn][1] = columns.tenant.data();
    buffers[kAmountColumn][1] = columns.amount.data();
    buffers[kOwnerColumn][1] = columns.owner_offsets.data();
    buffers[kOwnerColumn][2] = columns.owner_data.data();
    buffers[kNameColumn][1] = columns.name_offsets.data();
    buffers[kNameColumn][2] = columns.name_data.data();
    child_arrays[kTenantColumn].n_buffers = 2;
    child_arrays[kAmountColumn].n_buffers = 2;
    child_arrays[kOwnerColumn].n_buffers = 3;
    child_arrays[kNameColumn].n_buffers = 3;
    schema.format = "+s";
    schema.name = "events";
    schema.n_children = kColumnCount;
    schema.children = child_schema_pointers;
    schema.release = no_release_schema;
    array.length = kRows;
    array.n_buffers = 1;
    static const void* no_validity[1] = {nullptr};
    array.buffers = no_validity;
    array.n_children = kColumnCount;
    array.children = child_array_pointers;
    array.release = no_release_array;
  }
  ArrowExport(const ArrowExport&) = delete;
  ArrowExport& operator=(const ArrowExport&) = delete;
};

// One policy compiled to a SELECT plan for alice, with everything each variant needs.
struct Predicate {
  std::string name;
  std::string policy;
  PolicyProgram program;
  semantics::SessionValues session;
  std::shared_ptr<const native::CompiledPlan> jit;
  std::optional<native::JitRowFilter> jit_filter;
  std::optional<interp::RowFilter> reference;
  // The plan's parameters, bound as JitRowFilter binds them, for calling the generated
  // functions directly.
  std::vector<Value> param_values;
  std::vector<native::NativeDatum> params;
  std::vector<native::NativeColumn> native_columns;
  std::vector<uint64_t> expected;  // the reference evaluator's selection over all rows
  int64_t passing = 0;

  Predicate(std::string predicate_name, const std::string& using_clause, llvm_backend::JitEngine& engine,
            const Columns& columns)
      : name(std::move(predicate_name)), policy("CREATE POLICY p ON events USING (" + using_clause + ");\n") {
    SourceTexts sources;
    Result<PolicyProgram> compiled =
        compile_sources({SourceInput{"roles.yaml", kRoles}, SourceInput{"events.sql", kTable + policy}}, sources);
    if (!compiled.ok()) fail(render_diagnostics(compiled.diagnostics(), sources));
    program = std::move(compiled).value();
    semantics::Principal principal = semantics::resolve_principal(program, kUser, {});
    bool bypass = semantics::bypasses_row_security(program, principal);
    auto applies = [&](const RowPolicy& row_policy) { return semantics::policy_applies_to(program, principal, row_policy); };
    const TableDefinition& table = program.tables.at(0);
    StatementPlan plan = plan_statement(table, StatementShape{StatementCommand::kSelect, true, false}, applies, bypass);
    if (!plan.filtered_by_row_security || plan.plan_error || plan.row_filters.empty()) fail(name + ": unexpected plan");
    session.current_user = kUser;
    session.session_user = kUser;
    session.set("app.tenant_id", std::to_string(kTenant));

    Result<std::shared_ptr<const native::CompiledPlan>> code = engine.compile_plan(plan, table);
    if (!code.ok()) fail(name + ": " + render_diagnostics(code.diagnostics(), sources));
    jit = std::move(code).value();
    jit_filter.emplace(jit, session);
    reference.emplace(plan, session);

    static const std::vector<Value> kNoRow;
    for (const Expr* param : jit->layout().params) {
      try {
        param_values.push_back(interp::evaluate(*param, kNoRow, session));
      } catch (const SqlError& error) {
        fail(name + ": parameter raised " + error.what());
      }
    }
    params = native::to_native_datums(param_values);

    native_columns.resize(kColumnCount);
    for (int column = 0; column < kColumnCount; ++column) native_columns[column].validity = columns.valid[column].data();
    native_columns[kTenantColumn].values = columns.tenant.data();
    native_columns[kAmountColumn].values = columns.amount.data();
    native_columns[kOwnerColumn].values = columns.owner_offsets.data();
    native_columns[kOwnerColumn].data = columns.owner_data.data();
    native_columns[kNameColumn].values = columns.name_offsets.data();
    native_columns[kNameColumn].data = columns.name_data.data();
  }
};

// Each variant writes the selection bitmap of the whole batch.
using Variant = std::function<void(std::vector<uint64_t>& selection)>;

struct Fixture {
  Columns columns;
  ArrowExport arrow{columns};
  llvm_backend::JitEngine engine;
  std::vector<std::unique_ptr<Predicate>> predicates;
  std::vector<std::vector<Value>> reference_rows;  // the first kReferenceRows rows as Values

  Fixture() : engine(create_engine()) {
    predicates.push_back(std::make_unique<Predicate>(
        "integer", "tenant_id = current_setting('app.tenant_id')::int AND amount > " + std::to_string(kAmountLimit),
        engine, columns));
    predicates.push_back(std::make_unique<Predicate>("text_equal", "owner = current_user", engine, columns));
    predicates.push_back(std::make_unique<Predicate>("like", "name LIKE 'a%b'", engine, columns));
    reference_rows.resize(kReferenceRows);
    for (int64_t row = 0; row < kReferenceRows; ++row) columns.read_values(row, reference_rows[static_cast<size_t>(row)]);
  }

  static llvm_backend::JitEngine create_engine() {
    Result<llvm_backend::JitEngine> engine = llvm_backend::JitEngine::create();
    if (!engine.ok()) fail("cannot create the JIT engine");
    return std::move(engine).value();
  }
};

Fixture& fixture() {
  static Fixture* instance = new Fixture();
  return *instance;
}

// ---- the variants, each over all kRows rows (the reference evaluator over `rows` of them)

void run_reference(const Predicate& predicate, const std::vector<std::vector<Value>>& rows, std::vector<uint64_t>& selection) {
  std::fill(selection.begin(), selection.end(), 0);
  for (size_t row = 0; row < rows.size(); ++row) {
    if (predicate.reference->check(rows[row]).result == interp::RowResult::kPass) set_bit(selection, static_cast<int64_t>(row));
  }
}

void run_filter_batch(const Predicate& predicate, const ArrowExport& arrow, std::vector<uint64_t>& selection) {
  std::string error;
  std::optional<native::BatchOutcome> outcome = predicate.jit_filter->filter_batch(arrow.schema, arrow.array, nullptr, error);
  if (!outcome) fail(predicate.name + ": filter_batch: " + error);
  if (!outcome->exceptions.empty()) fail(predicate.name + ": filter_batch reported a violation or error");
  selection.swap(outcome->selection);  // the outcome's vector is the batch's answer
}

void run_batch_function(const Predicate& predicate, int64_t rows, std::vector<uint64_t>& selection,
                        std::vector<uint64_t>& exceptions) {
  predicate.jit->batch_function()(predicate.native_columns.data(), predicate.native_columns.data(), rows,
                                  predicate.params.data(), selection.data(), exceptions.data());
}

void run_check_datums(const Predicate& predicate, const Columns& columns, std::vector<uint64_t>& selection) {
  std::fill(selection.begin(), selection.end(), 0);
  native::NativeDatum datums[kColumnCount];
  for (int64_t row = 0; row < kRows; ++row) {
    columns.read_datums(row, datums);
    if (predicate.jit_filter->check_datums(datums, nullptr).result == interp::RowResult::kPass) set_bit(selection, row);
  }
}

void run_row_function(const Predicate& predicate, const Columns& columns, std::vector<uint64_t>& selection) {
  std::fill(selection.begin(), selection.end(), 0);
  native::PlanRowFunction row_function = predicate.jit->row_function();
  const native::NativeDatum* params = predicate.params.data();
  native::NativeDatum datums[kColumnCount];
  for (int64_t row = 0; row < kRows; ++row) {
    columns.read_datums(row, datums);
    uint64_t outcome = row_function(datums, datums, params);
    if (native::outcome_result(outcome) == native::NativeResult::kPass) set_bit(selection, row);
  }
}

void run_hand_written(const Predicate& predicate, const Columns& columns, bool naive, int64_t rows,
                      std::vector<uint64_t>& selection) {
  const std::vector<uint64_t>* valid = columns.valid;
  if (predicate.name == "integer") {
    (naive ? bench::select_integer_naive : bench::select_integer)(valid[kTenantColumn].data(), columns.tenant.data(),
                                                                  valid[kAmountColumn].data(), columns.amount.data(),
                                                                  rows, kTenant, kAmountLimit, selection.data());
  } else if (predicate.name == "text_equal") {
    bench::select_text_equal(valid[kOwnerColumn].data(), columns.owner_offsets.data(), columns.owner_data.data(), rows,
                             kUser, static_cast<int64_t>(std::strlen(kUser)), selection.data());
  } else {
    bench::select_like_a_percent_b(valid[kNameColumn].data(), columns.name_offsets.data(), columns.name_data.data(),
                                   rows, selection.data());
  }
}

// ---- start-up check: every variant gives the reference evaluator's bitmap over every row

// Over the first `rows` rows (a multiple of 64).
void expect_same(const Fixture& f, const Predicate& predicate, const std::string& variant, const std::vector<uint64_t>& got,
                 int64_t rows = kRows) {
  if (got.size() < word_count(rows)) fail(predicate.name + "/" + variant + ": short selection bitmap");
  for (size_t word = 0; word < word_count(rows); ++word) {
    if (got[word] == predicate.expected[word]) continue;
    int64_t row = static_cast<int64_t>(word * 64) + std::countr_zero(got[word] ^ predicate.expected[word]);
    fail(predicate.name + "/" + variant + " disagrees with the reference evaluator at " + f.columns.describe_row(row) +
         ": reference " + (bit_at(predicate.expected, row) ? "pass" : "filtered") + ", " + variant + " " +
         (bit_at(got, row) ? "pass" : "filtered"));
  }
}

void verify(Fixture& f) {
  for (std::unique_ptr<Predicate>& owned : f.predicates) {
    Predicate& predicate = *owned;
    // The reference over every row; every outcome must be pass or filtered (no errors).
    predicate.expected.assign(word_count(kRows), 0);
    std::vector<Value> values;
    for (int64_t row = 0; row < kRows; ++row) {
      f.columns.read_values(row, values);
      interp::RowOutcome outcome = predicate.reference->check(values);
      if (outcome.result == interp::RowResult::kPass) set_bit(predicate.expected, row);
      else if (outcome.result != interp::RowResult::kFiltered) fail(predicate.name + ": the reference raised " + outcome.message);
    }
    for (uint64_t word : predicate.expected) predicate.passing += std::popcount(word);

    std::vector<uint64_t> selection(word_count(kRows), 0);
    std::vector<uint64_t> exceptions(word_count(kRows), 0);
    run_filter_batch(predicate, f.arrow, selection);
    expect_same(f, predicate, "jit_filter_batch", selection);
    selection.assign(word_count(kRows), ~uint64_t{0});
    run_batch_function(predicate, kRows, selection, exceptions);
    expect_same(f, predicate, "jit_batch_function", selection);
    for (uint64_t word : exceptions) {
      if (word != 0) fail(predicate.name + "/jit_batch_function: exception bits set");
    }
    run_check_datums(predicate, f.columns, selection);
    expect_same(f, predicate, "jit_row_check_datums", selection);
    run_row_function(predicate, f.columns, selection);
    expect_same(f, predicate, "jit_row_function", selection);
    selection.assign(word_count(kRows), ~uint64_t{0});
    run_hand_written(predicate, f.columns, false, kRows, selection);
    expect_same(f, predicate, "hand_written", selection);
    if (predicate.name == "integer") {
      selection.assign(word_count(kRows), ~uint64_t{0});
      run_hand_written(predicate, f.columns, true, kRows, selection);
      expect_same(f, predicate, "hand_written_naive", selection);
      for (bool naive : {false, true}) {
        selection.assign(word_count(kRows), ~uint64_t{0});
        run_hand_written(predicate, f.columns, naive, kCacheRows, selection);
        expect_same(f, predicate, naive ? "hand_written_naive_l2" : "hand_written_l2", selection, kCacheRows);
      }
      selection.assign(word_count(kRows), ~uint64_t{0});
      run_batch_function(predicate, kCacheRows, selection, exceptions);
      expect_same(f, predicate, "jit_batch_function_l2", selection, kCacheRows);
    }
    std::fprintf(stderr, "predicate_throughput: %-10s %7lld of %lld rows pass; every variant agrees (%s)\n",
                 predicate.name.c_str(), static_cast<long long>(predicate.passing), static_cast<long long>(kRows),
                 predicate.policy.substr(0, predicate.policy.size() - 1).c_str());
  }
}

// ---- timing

void set_counters(benchmark::State& state, int64_t rows_per_iteration) {
  // Seconds per row, printed with an SI prefix: "350p" is 0.35 ns.
  double rows = static_cast<double>(state.iterations()) * static_cast<double>(rows_per_iteration);
  state.counters["per_row"] = benchmark::Counter(rows, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.SetItemsProcessed(static_cast<int64_t>(rows));
}

void time_variant(benchmark::State& state, int64_t rows, const Variant& variant) {
  std::vector<uint64_t> selection(word_count(kRows), 0);
  for (auto _ : state) {
    variant(selection);
    benchmark::DoNotOptimize(selection.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, rows);
}

void register_benchmarks(Fixture& f) {
  for (std::unique_ptr<Predicate>& owned : f.predicates) {
    const Predicate* predicate = owned.get();
    const Columns* columns = &f.columns;
    const ArrowExport* arrow = &f.arrow;
    auto add = [&](const std::string& variant, int64_t rows, Variant body) {
      benchmark::RegisterBenchmark((predicate->name + "/" + variant).c_str(),
                                   [rows, body](benchmark::State& state) { time_variant(state, rows, body); });
    };
    add("jit_filter_batch", kRows, [=](std::vector<uint64_t>& selection) { run_filter_batch(*predicate, *arrow, selection); });
    auto exceptions = std::make_shared<std::vector<uint64_t>>(word_count(kRows), 0);
    add("jit_batch_function", kRows,
        [=](std::vector<uint64_t>& selection) { run_batch_function(*predicate, kRows, selection, *exceptions); });
    add("jit_row_check_datums", kRows,
        [=](std::vector<uint64_t>& selection) { run_check_datums(*predicate, *columns, selection); });
    add("jit_row_function", kRows, [=](std::vector<uint64_t>& selection) { run_row_function(*predicate, *columns, selection); });
    const std::vector<std::vector<Value>>* rows = &f.reference_rows;
    add("reference_row_filter", kReferenceRows,
        [=](std::vector<uint64_t>& selection) { run_reference(*predicate, *rows, selection); });
    add("hand_written", kRows,
        [=](std::vector<uint64_t>& selection) { run_hand_written(*predicate, *columns, false, kRows, selection); });
    if (predicate->name == "integer") {
      add("hand_written_naive", kRows,
          [=](std::vector<uint64_t>& selection) { run_hand_written(*predicate, *columns, true, kRows, selection); });
      add("jit_batch_function_l2", kCacheRows,
          [=](std::vector<uint64_t>& selection) { run_batch_function(*predicate, kCacheRows, selection, *exceptions); });
      add("hand_written_l2", kCacheRows,
          [=](std::vector<uint64_t>& selection) { run_hand_written(*predicate, *columns, false, kCacheRows, selection); });
      add("hand_written_naive_l2", kCacheRows,
          [=](std::vector<uint64_t>& selection) { run_hand_written(*predicate, *columns, true, kCacheRows, selection); });
    }
  }
}

// ---- --dump_jit_code: the bytes of the JIT's code, from a function to the end of its mapping

void dump_code(const void* function, const std::string& path) {
  auto address = reinterpret_cast<uintptr_t>(function);
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    unsigned long long start = 0, end = 0;
    if (std::sscanf(line.c_str(), "%llx-%llx", &start, &end) != 2 || address < start || address >= end) continue;
    std::ofstream out(path, std::ios::binary);
    out.write(static_cast<const char*>(function), static_cast<std::streamsize>(end - address));
    std::fprintf(stderr, "predicate_throughput: wrote %llu bytes of JIT code at %p to %s (mapping %s)\n",
                 static_cast<unsigned long long>(end - address), function, path.c_str(), line.c_str());
    return;
  }
  fail("no mapping holds the JIT function");
}

}  // namespace
}  // namespace weftkit::policy

int main(int argc, char** argv) {
  using namespace weftkit::policy;
  std::string dump_prefix;
  int kept = 1;
  for (int index = 1; index < argc; ++index) {
    std::string argument = argv[index];
    if (argument.rfind("--dump_jit_code=", 0) == 0) dump_prefix = argument.substr(std::strlen("--dump_jit_code="));
    else argv[kept++] = argv[index];
  }
  argc = kept;
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  Fixture& f = fixture();
  verify(f);
  if (!dump_prefix.empty()) {
    const native::CompiledPlan& code = *f.predicates.at(0)->jit;
    dump_code(reinterpret_cast<const void*>(code.batch_function()), dump_prefix + ".batch.bin");
    dump_code(reinterpret_cast<const void*>(code.row_function()), dump_prefix + ".row.bin");
  }
  register_benchmarks(f);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
