// Compile latency: from policy text to callable code, for 10, 100 and 1,000 generated policies.
// The SQL has one table per 20 policies (1 table for 10 policies, 5 for 100, 50 for 1,000) and
// policies with varied commands, roles, permissive/restrictive and USING / WITH CHECK
// expressions. "Callable code" means: for every table, the plans of SELECT, INSERT, UPDATE and
// DELETE for one principal (4 plans per table) compiled by the JIT, both functions of each
// plan (row and batch) looked up and callable.
//
// Timed: compile_sources + plan_statement + JitEngine::compile_plans together (end_to_end), and
// each step alone; and compile_plans with other IR pipelines and code generation levels. The JIT engine is created once per process, as a server would (its creation
// is timed separately). Before timing, every plan of the 1,000-policy program is checked: it
// compiles natively, and its JIT row filter agrees with the reference evaluator on random rows.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "codegen/semantics/principal.h"
#include "codegen/interp/row_filter.h"
#include "codegen/llvm/jit_program.h"
#include "codegen/native/compiled_row_filter.h"
#include "compiler/driver/compile_files.h"
#include "compiler/ir/statement_plan.h"

namespace weftkit::policy {
namespace {

constexpr int kPoliciesPerTable = 20;
constexpr const char* kUser = "alice";

const char* const kRoles =
    "roles:\n"
    "  - name: analyst\n"
    "    allow: [SELECT, INSERT, UPDATE, DELETE]\n"
    "  - name: manager\n"
    "    allow: [SELECT]\n"
    "users:\n"
    "  - name: alice\n"
    "    roles: [analyst]\n";

const StatementShape kShapes[] = {
    {StatementCommand::kSelect, true, false},
    {StatementCommand::kInsert, false, false},
    {StatementCommand::kUpdate, true, false},
    {StatementCommand::kDelete, true, false},
};

[[noreturn]] void fail(const std::string& why) {
  std::fprintf(stderr, "compile_latency: %s\n", why.c_str());
  std::exit(1);
}

int table_count(int policies) { return policies < kPoliciesPerTable ? 1 : policies / kPoliciesPerTable; }

// A policy condition over the generated table's columns, varied by k.
std::string condition(int k) {
  std::string n = std::to_string(k);
  switch (k % 16) {
    case 0: return "tenant_id = current_setting('app.tenant_id')::int";
    case 1: return "owner = current_user";
    case 2: return "amount > " + n + " AND amount < " + std::to_string(k * 10 + 500);
    case 3: return "status IN ('open', 'paid', 's" + n + "')";
    case 4: return "amount BETWEEN " + n + " AND " + std::to_string(k + 1000);
    case 5: return "status LIKE 'p" + std::to_string(k % 10) + "%'";
    case 6: return "created >= DATE '2024-01-01' AND created < DATE '2025-01-01'";
    case 7: return "coalesce(score, 0) > " + std::to_string(k % 100) + ".5";
    case 8: return "CASE WHEN flag THEN amount > " + n + " ELSE owner = current_user END";
    case 9: return "NOT flag OR tenant_id IN (1, 2, " + n + ")";
    case 10: return "(amount * 2) % 7 <> " + std::to_string(k % 7);
    case 11: return "score IS NOT NULL AND score < " + n + ".25";
    case 12: return "greatest(amount, " + n + ") < 100000 OR qty = " + std::to_string(k % 100);
    case 13: return "tenant_id = current_setting('app.tenant_id')::int AND (status = 'open' OR owner = current_user)";
    case 14: return "qty + 1 > " + std::to_string(k % 50) + " AND id <> " + n;
    default: return "nullif(status, 'deleted') IS NOT NULL";
  }
}

// `policies` CREATE POLICY statements over table_count(policies) tables.
std::string generate_sql(int policies) {
  std::string sql;
  int tables = table_count(policies);
  for (int table = 0; table < tables; ++table) {
    std::string name = "t" + std::to_string(table);
    sql += "CREATE TABLE " + name +
           " (id bigint, tenant_id integer, owner text, amount bigint, status text, created date,"
           " score double precision, flag boolean, qty smallint);\n";
    sql += "ALTER TABLE " + name + " ENABLE ROW LEVEL SECURITY;\n";
  }
  const char* commands[] = {"ALL", "SELECT", "INSERT", "UPDATE", "DELETE"};
  const char* roles[] = {"PUBLIC", "analyst", "manager", "alice"};
  for (int k = 0; k < policies; ++k) {
    std::string command = commands[k % 5];
    sql += "CREATE POLICY p" + std::to_string(k) + " ON t" + std::to_string(k % tables);
    if (k % 7 == 3) sql += " AS RESTRICTIVE";
    sql += " FOR " + command + " TO " + roles[(k / 5) % 4];
    if (command != "INSERT") sql += " USING (" + condition(k) + ")";
    if (command == "INSERT" || ((command == "ALL" || command == "UPDATE") && k % 3 == 0)) {
      sql += " WITH CHECK (" + condition(k + 5) + ")";
    }
    sql += ";\n";
  }
  return sql;
}

struct Statement {
  const TableDefinition* table;
  StatementPlan plan;
};

Result<PolicyProgram> compile_text(const std::string& sql, SourceTexts& sources) {
  return compile_sources({SourceInput{"roles.yaml", kRoles}, SourceInput{"policies.sql", sql}}, sources);
}

// For every table, the plans of the four commands for alice.
std::vector<Statement> plan_all(const PolicyProgram& program) {
  semantics::Principal principal = semantics::resolve_principal(program, kUser, {});
  bool bypass = semantics::bypasses_row_security(program, principal);
  auto applies = [&](const RowPolicy& policy) { return semantics::policy_applies_to(program, principal, policy); };
  std::vector<Statement> statements;
  statements.reserve(program.tables.size() * 4);
  for (const TableDefinition& table : program.tables) {
    for (const StatementShape& shape : kShapes) statements.push_back({&table, plan_statement(table, shape, applies, bypass)});
  }
  return statements;
}

// Every plan through JitEngine::compile_plans with its default options, as a policy version
// compiles its plans when it is built.
std::vector<std::shared_ptr<const native::CompiledPlan>> compile_all(llvm_backend::JitEngine& engine,
                                                                      const std::vector<Statement>& statements) {
  std::vector<llvm_backend::JitEngine::PlanSource> sources;
  sources.reserve(statements.size());
  for (const Statement& statement : statements) sources.push_back({&statement.plan, statement.table});
  std::vector<std::shared_ptr<const native::CompiledPlan>> code;
  code.reserve(statements.size());
  for (auto& compiled : engine.compile_plans(sources)) {
    if (!compiled.ok()) fail("compile_plans failed: " + render_diagnostics(compiled.diagnostics(), SourceTexts{}));
    if (!compiled.value()->row_function() || !compiled.value()->batch_function()) fail("compile_plans returned no code");
    code.push_back(std::move(compiled).value());
  }
  return code;
}

llvm_backend::JitEngine& engine() {
  static llvm_backend::JitEngine* shared = [] {
    Result<llvm_backend::JitEngine> created = llvm_backend::JitEngine::create();
    if (!created.ok()) fail("cannot create the JIT engine");
    return new llvm_backend::JitEngine(std::move(created).value());
  }();
  return *shared;
}

// A generated program, compiled and planned once for the benchmarks that time one step.
struct Workload {
  std::string sql;
  PolicyProgram program;
  std::vector<Statement> statements;
  size_t expression_count = 0;  // row filters + new-row conditions over all plans

  explicit Workload(int policies) : sql(generate_sql(policies)) {
    SourceTexts sources;
    Result<PolicyProgram> compiled = compile_text(sql, sources);
    if (!compiled.ok()) fail(render_diagnostics(compiled.diagnostics(), sources));
    program = std::move(compiled).value();
    if (static_cast<int>(program.tables.size()) != table_count(policies)) fail("unexpected table count");
    statements = plan_all(program);
    for (const Statement& statement : statements) {
      expression_count += statement.plan.row_filters.size();
      for (const NewRowCheck& check : statement.plan.new_row_checks) expression_count += check.conditions.size();
    }
  }
};

Workload& workload(int policies) {
  static std::map<int, std::unique_ptr<Workload>> workloads;
  std::unique_ptr<Workload>& slot = workloads[policies];
  if (!slot) slot = std::make_unique<Workload>(policies);
  return *slot;
}

// ---- start-up check: every plan compiles, and the JIT agrees with the reference evaluator

Value random_value(std::mt19937_64& random, TypeId type) {
  if (random() % 8 == 0) return Value::null_of(type);
  switch (type) {
    case TypeId::kInt2: return Value::integer_of(type, static_cast<int64_t>(random() % 120));
    case TypeId::kInt4: return Value::integer_of(type, static_cast<int64_t>(1 + random() % 5));
    case TypeId::kInt8: return Value::integer_of(type, static_cast<int64_t>(random() % 3000) - 100);
    case TypeId::kFloat8: return Value::real_of(type, static_cast<double>(random() % 2000) / 16.0);
    case TypeId::kBool: return Value::boolean(random() % 2 == 0);
    case TypeId::kDate: return Value::date(static_cast<int32_t>(8'400 + random() % 1'000));  // 2023-2025
    case TypeId::kText: {
      const char* texts[] = {"alice", "bob", "open", "paid", "p3x", "deleted", "s7", ""};
      return Value::text_of(texts[random() % 8]);
    }
    default: return Value::null_of(type);
  }
}

std::string describe(const interp::RowOutcome& outcome) {
  return std::string(interp::row_result_name(outcome.result)) + (outcome.message.empty() ? "" : ": " + outcome.message);
}

void verify(int policies, int rows_per_plan) {
  Workload& w = workload(policies);
  std::vector<std::shared_ptr<const native::CompiledPlan>> code = compile_all(engine(), w.statements);
  semantics::SessionValues session;
  session.current_user = kUser;
  session.session_user = kUser;
  session.set("app.tenant_id", "2");
  std::mt19937_64 random(20240608);
  size_t passed = 0;
  size_t checked = 0;
  for (size_t index = 0; index < w.statements.size(); ++index) {
    const Statement& statement = w.statements[index];
    interp::RowFilter reference(statement.plan, session);
    native::JitRowFilter jit(code[index], session);
    for (int sample = 0; sample < rows_per_plan; ++sample) {
      std::vector<Value> row, new_row;
      for (const ColumnDefinition& column : statement.table->columns) {
        row.push_back(random_value(random, column.type.id));
        new_row.push_back(random_value(random, column.type.id));
      }
      const std::vector<Value>* second = statement.plan.new_row_checks.empty() ? nullptr : &new_row;
      std::string want = describe(reference.check(row, second));
      std::string got = describe(jit.check(row, second));
      if (want != got) {
        fail("plan " + std::to_string(index) + " (" + statement.table->name.qualified() + "): reference says " + want +
             ", JIT says " + got);
      }
      ++checked;
      passed += want == "pass" ? 1 : 0;
    }
  }
  std::fprintf(stderr,
               "compile_latency: %d policies over %zu tables -> %zu plans (%zu conditions); every plan compiled; "
               "JIT agrees with the reference evaluator on %zu random rows (%zu pass)\n",
               policies, w.program.tables.size(), w.statements.size(), w.expression_count, checked, passed);
}

// ---- timing

void set_counters(benchmark::State& state, const Workload& w) {
  state.counters["policies"] = static_cast<double>(state.range(0));
  state.counters["plans"] = static_cast<double>(w.statements.size());
  // Seconds per plan, printed with an SI prefix ("2.1m" is 2.1 ms).
  state.counters["per_plan"] = benchmark::Counter(static_cast<double>(state.iterations() * w.statements.size()),
                                                  benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

// Policy text to callable code. The code is freed outside the timed region.
void BM_EndToEnd(benchmark::State& state) {
  Workload& w = workload(static_cast<int>(state.range(0)));
  llvm_backend::JitEngine& jit = engine();
  for (auto _ : state) {
    SourceTexts sources;
    Result<PolicyProgram> program = compile_text(w.sql, sources);
    if (!program.ok()) fail("compile_sources failed");
    std::vector<Statement> statements = plan_all(program.value());
    std::vector<std::shared_ptr<const native::CompiledPlan>> code = compile_all(jit, statements);
    benchmark::DoNotOptimize(code.data());
    state.PauseTiming();
    code.clear();
    statements.clear();
    state.ResumeTiming();
  }
  set_counters(state, w);
}

void BM_CompileSources(benchmark::State& state) {
  Workload& w = workload(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    SourceTexts sources;
    Result<PolicyProgram> program = compile_text(w.sql, sources);
    benchmark::DoNotOptimize(program.ok());
  }
  set_counters(state, w);
}

void BM_PlanStatements(benchmark::State& state) {
  Workload& w = workload(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    std::vector<Statement> statements = plan_all(w.program);
    benchmark::DoNotOptimize(statements.data());
  }
  set_counters(state, w);
}

void BM_JitCompilePlans(benchmark::State& state) {
  Workload& w = workload(static_cast<int>(state.range(0)));
  llvm_backend::JitEngine& jit = engine();
  for (auto _ : state) {
    std::vector<std::shared_ptr<const native::CompiledPlan>> code = compile_all(jit, w.statements);
    benchmark::DoNotOptimize(code.data());
    state.PauseTiming();
    code.clear();
    state.ResumeTiming();
  }
  set_counters(state, w);
}

// All plans through JitEngine::compile_plans: args (policies, IR pipeline 0 = O2 / 1 = vector code only /
// 2 = none, code generation 0 = O2 / 1 = fast, threads).
void BM_JitCompilePlansTogether(benchmark::State& state) {
  Workload& w = workload(static_cast<int>(state.range(0)));
  llvm_backend::JitEngine::PlanCompileOptions options;
  options.ir = static_cast<llvm_backend::JitEngine::PlanCompileOptions::Ir>(state.range(1));
  options.code_generation = static_cast<llvm_backend::JitEngine::PlanCompileOptions::CodeGeneration>(state.range(2));
  options.threads = static_cast<unsigned>(state.range(3));
  std::vector<llvm_backend::JitEngine::PlanSource> sources;
  for (const Statement& statement : w.statements) sources.push_back({&statement.plan, statement.table});
  llvm_backend::JitEngine& jit = engine();
  for (auto _ : state) {
    auto code = jit.compile_plans(sources, options);
    for (auto& result : code) {
      if (!result.ok()) fail("compile_plans failed");
    }
    benchmark::DoNotOptimize(code.data());
    state.PauseTiming();
    code.clear();
    state.ResumeTiming();
  }
  set_counters(state, w);
}

void BM_JitEngineCreate(benchmark::State& state) {
  for (auto _ : state) {
    Result<llvm_backend::JitEngine> created = llvm_backend::JitEngine::create();
    if (!created.ok()) fail("cannot create the JIT engine");
    benchmark::DoNotOptimize(&created);
  }
}

// The SQL parser runs on a thread of its own (a large stack for deep expressions), so the CPU
// column is the whole process's CPU time, not the main thread's. Counters use it as well.
// Wall time (compile_plans uses both cores), with the process's CPU time beside it.
BENCHMARK(BM_EndToEnd)->Arg(10)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond)->UseRealTime()->MeasureProcessCPUTime();
BENCHMARK(BM_CompileSources)->Arg(10)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();
BENCHMARK(BM_PlanStatements)->Arg(10)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();
BENCHMARK(BM_JitCompilePlans)->Arg(10)->Arg(100)->Arg(1000)->Unit(benchmark::kMillisecond)->UseRealTime()->MeasureProcessCPUTime();
BENCHMARK(BM_JitCompilePlansTogether)
    ->ArgsProduct({{1000}, {0, 1}, {0, 1}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MeasureProcessCPUTime();
BENCHMARK(BM_JitEngineCreate)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();

}  // namespace
}  // namespace weftkit::policy

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  weftkit::policy::verify(1000, 64);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
