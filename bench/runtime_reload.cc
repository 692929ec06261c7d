// Hot reload through the runtime's public API: how long from a changed policy file to the new
// version serving (PolicyWatcher, PolicyCompiler::reload, reload_policy_module), and what
// continuous reloads do to readers: per-operation latency percentiles of single checks and of
// whole statements (begin_statement, allowed, row_filter, check one row) while another thread
// reloads as fast as it can, against the same readers with no reloads, and against a thread
// that compiles just as hard but never publishes (to tell sharing the CPU with a compiler from
// being held up by the reload itself). Latencies are reported as counters, in ns or ms.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "bench/runtime_bench_support.h"
#include <weftkit/policy_compiler.h>
#include <weftkit/policy_module.h>
#include <weftkit/policy_runtime.h>

namespace weftkit {
namespace {

using Clock = std::chrono::steady_clock;

double ms_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

// p-th fraction of `values` (sorted in place).
double quantile(std::vector<double>& values, double fraction) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  size_t index = static_cast<size_t>(fraction * static_cast<double>(values.size() - 1) + 0.5);
  return values[std::min(index, values.size() - 1)];
}

// Two versions of the examples that a reader can tell apart: B lets analysts use REFERENCES.
const std::string& roles_a() {
  static const std::string text = bench::read_file(bench::source_file("examples/roles.yaml"));
  return text;
}
const std::string& roles_b() {
  static const std::string text = [] {
    std::string changed = roles_a();
    const std::string line = "allow: [SELECT, \"COPY TO\"]";
    size_t at = changed.find(line);
    if (at == std::string::npos) bench::fail("examples/roles.yaml no longer has the analyst's allow line");
    changed.replace(at, line.size(), "allow: [SELECT, \"COPY TO\", REFERENCES]");
    return changed;
  }();
  return text;
}
const std::string& policies() {
  static const std::string text = bench::read_file(bench::source_file("examples/policies.sql"));
  return text;
}

// The scratch files: a/ and b/ hold the two versions for reloads that alternate without
// writing; watched/ is rewritten for the watcher; a.so and b.so are the two as modules.
struct PolicyFileSets {
  bench::ScratchDirectory scratch;
  std::vector<std::string> a;
  std::vector<std::string> b;
  std::vector<std::string> watched;
  std::string module_a;
  std::string module_b;

  PolicyFileSets() {
    for (const char* set : {"a", "b", "watched"}) {
      std::filesystem::create_directory(scratch.path(set));
    }
    a = {scratch.path("a/roles.yaml"), scratch.path("a/policies.sql")};
    b = {scratch.path("b/roles.yaml"), scratch.path("b/policies.sql")};
    watched = {scratch.path("watched/roles.yaml"), scratch.path("watched/policies.sql")};
    bench::write_file_atomically(a[0], roles_a());
    bench::write_file_atomically(b[0], roles_b());
    bench::write_file_atomically(watched[0], roles_a());
    for (const auto* files : {&a, &b, &watched}) bench::write_file_atomically((*files)[1], policies());
    module_a = scratch.path("a.so");
    module_b = scratch.path("b.so");
    bench::build_policy_module(a, module_a);
    bench::build_policy_module(b, module_b);
  }
};

PolicyFileSets& file_sets() {
  static PolicyFileSets* instance = new PolicyFileSets();
  return *instance;
}

PolicyCompiler& compiler() {
  static PolicyCompiler* instance = [] {
    StatusOr<PolicyCompiler> created = PolicyCompiler::create();
    if (!created.is_ok()) bench::fail(created.status().message());
    return new PolicyCompiler(std::move(created).value());
  }();
  return *instance;
}

std::shared_ptr<const PolicyVersion> compile_or_fail(const std::vector<std::string>& files) {
  StatusOr<std::shared_ptr<const PolicyVersion>> version = compiler().compile(files);
  if (!version.is_ok()) bench::fail(version.status().message());
  return std::move(version).value();
}

// alice (analyst, tenant-001) as a connection would present her.
Identity alice() {
  Identity identity;
  identity.user = "alice";
  identity.tenant = "tenant-001";
  identity.settings = {{"app.tenant_id", "tenant-001"}};
  return identity;
}

// Which version serves, asked as a reader would: A and B both let alice SELECT on orders,
// only B lets her use REFERENCES; anything else (a half-written roles file that still
// compiled, say) is neither.
enum class Serving { kA, kB, kNeither };
Serving serving(const PolicyStore& store) {
  StatusOr<SecurityContext> context = SecurityContext::build(store, alice());
  if (!context.is_ok() || !context.value().allowed(Operation::kSelect, "orders")) return Serving::kNeither;
  return context.value().allowed(Operation::kReferences, "orders") ? Serving::kB : Serving::kA;
}

constexpr int kReloadsPerRun = 30;

// ---- 1. From a file change to the new version serving -------------------------------------

enum class WriteMode { kRename, kInPlace };

// The watcher with no debounce. The clock starts just before the roles file is written and
// stops in the watcher's callback for the reload that published the written version (the
// callback runs right after the store's publish). Every reload is recorded with what it left
// serving; after the written version serves, the run waits 100 ms for stragglers.
void BM_WatcherReload(benchmark::State& state, WriteMode mode) {
  PolicyFileSets& sets = file_sets();
  bench::write_file_atomically(sets.watched[0], roles_a());
  PolicyStore store(compile_or_fail(sets.watched));

  struct Event {
    Clock::time_point at;
    bool ok;
    Serving serving;
  };
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<Event> events;
  StatusOr<std::unique_ptr<PolicyWatcher>> watcher = PolicyWatcher::start(
      compiler(), store, sets.watched, std::chrono::milliseconds(0), [&](const ReloadEvent& event) {
        Clock::time_point now = Clock::now();
        Serving now_serving = serving(store);
        std::lock_guard<std::mutex> lock(mutex);
        events.push_back({now, event.status.is_ok(), now_serving});
        changed.notify_all();
      });
  if (!watcher.is_ok()) bench::fail(watcher.status().message());

  std::vector<double> latencies;
  long reloads = 0;
  long failed_reloads = 0;
  long served_neither = 0;
  long missed = 0;
  long writes = 0;
  for (auto _ : state) {
    for (int index = 0; index < kReloadsPerRun; ++index) {
      Serving target = index % 2 == 0 ? Serving::kB : Serving::kA;
      size_t before;
      {
        std::lock_guard<std::mutex> lock(mutex);
        before = events.size();
      }
      Clock::time_point start = Clock::now();
      const std::string& text = target == Serving::kB ? roles_b() : roles_a();
      if (mode == WriteMode::kRename) {
        bench::write_file_atomically(sets.watched[0], text);
      } else {
        bench::write_file_in_place(sets.watched[0], text);
      }
      ++writes;
      std::unique_lock<std::mutex> lock(mutex);
      size_t served_at = 0;
      bool served = changed.wait_for(lock, std::chrono::seconds(5), [&] {
        for (size_t event = before; event < events.size(); ++event) {
          if (events[event].ok && events[event].serving == target) {
            served_at = event;
            return true;
          }
        }
        return false;
      });
      if (served) {
        latencies.push_back(ms_between(start, events[served_at].at));
      } else {
        ++missed;
      }
      changed.wait_for(lock, std::chrono::milliseconds(100), [] { return false; });
      for (size_t event = before; event < events.size(); ++event) {
        ++reloads;
        if (!events[event].ok) ++failed_reloads;
        if (events[event].ok && events[event].serving == Serving::kNeither) ++served_neither;
      }
    }
  }
  state.counters["p50_ms"] = quantile(latencies, 0.5);
  state.counters["p90_ms"] = quantile(latencies, 0.9);
  state.counters["max_ms"] = quantile(latencies, 1.0);
  state.counters["reloads_per_write"] = static_cast<double>(reloads) / static_cast<double>(writes);
  // Reloads that read the file half-written: rejected (the old version kept serving), or
  // accepted and published a version that is neither A nor B.
  state.counters["failed_reloads"] = static_cast<double>(failed_reloads);
  state.counters["served_neither"] = static_cast<double>(served_neither);
  state.counters["never_served"] = static_cast<double>(missed);  // within 5 s of the write
}

// PolicyCompiler::reload called directly (files already written): compile, then publish.
// Also timed apart: compile() alone and publish() alone (which frees the replaced version,
// JIT code included, when no reader holds it any more).
void BM_CompilerReload(benchmark::State& state) {
  PolicyFileSets& sets = file_sets();
  PolicyStore store(compile_or_fail(sets.a));
  std::vector<double> reload_ms;
  std::vector<double> compile_ms;
  std::vector<double> publish_us;
  for (auto _ : state) {
    for (int index = 0; index < kReloadsPerRun; ++index) {
      const std::vector<std::string>& files = index % 2 == 0 ? sets.b : sets.a;
      Clock::time_point start = Clock::now();
      Status reloaded = compiler().reload(store, files);
      Clock::time_point end = Clock::now();
      if (!reloaded.is_ok()) bench::fail(reloaded.message());
      reload_ms.push_back(ms_between(start, end));

      start = Clock::now();
      std::shared_ptr<const PolicyVersion> version = compile_or_fail(index % 2 == 0 ? sets.a : sets.b);
      Clock::time_point compiled = Clock::now();
      store.publish(std::move(version));
      end = Clock::now();
      compile_ms.push_back(ms_between(start, compiled));
      publish_us.push_back(ms_between(compiled, end) * 1000);
    }
  }
  state.counters["reload_p50_ms"] = quantile(reload_ms, 0.5);
  state.counters["reload_p90_ms"] = quantile(reload_ms, 0.9);
  state.counters["reload_max_ms"] = quantile(reload_ms, 1.0);
  state.counters["compile_p50_ms"] = quantile(compile_ms, 0.5);
  state.counters["publish_p50_us"] = quantile(publish_us, 0.5);
  state.counters["publish_max_us"] = quantile(publish_us, 1.0);
}

// reload_policy_module with prebuilt modules (copy, dlopen, ABI check, publish).
void BM_ModuleReload(benchmark::State& state) {
  PolicyFileSets& sets = file_sets();
  StatusOr<std::shared_ptr<const PolicyVersion>> first = load_policy_module(sets.module_a);
  if (!first.is_ok()) bench::fail(first.status().message());
  PolicyStore store(std::move(first).value());
  std::vector<double> reload_ms;
  for (auto _ : state) {
    for (int index = 0; index < kReloadsPerRun; ++index) {
      Clock::time_point start = Clock::now();
      Status reloaded = reload_policy_module(store, index % 2 == 0 ? sets.module_b : sets.module_a);
      Clock::time_point end = Clock::now();
      if (!reloaded.is_ok()) bench::fail(reloaded.message());
      reload_ms.push_back(ms_between(start, end));
    }
  }
  state.counters["reload_p50_ms"] = quantile(reload_ms, 0.5);
  state.counters["reload_p90_ms"] = quantile(reload_ms, 0.9);
  state.counters["reload_max_ms"] = quantile(reload_ms, 1.0);
}

// The operator's step before a module reload: weftkit-policyc compile --emit=so.
void BM_ModuleBuild(benchmark::State& state) {
  PolicyFileSets& sets = file_sets();
  std::vector<double> build_ms;
  for (auto _ : state) {
    Clock::time_point start = Clock::now();
    bench::build_policy_module(sets.b, sets.scratch.path("built.so"));
    build_ms.push_back(ms_between(start, Clock::now()));
  }
  state.counters["build_p50_ms"] = quantile(build_ms, 0.5);
}

// What the first statement on a freshly published version costs its reader when nothing
// else runs: it re-resolves the principal and asks the version for the row filter, which a
// JIT-backed version compiles on first use (an ahead-of-time module has it precompiled); and
// the context lets go of the old version, which it frees if it held the last reference. The
// next statement on the same version, for comparison.
void BM_FirstStatementAfterReload(benchmark::State& state, bool module) {
  PolicyFileSets& sets = file_sets();
  auto load = [&](bool b) -> std::shared_ptr<const PolicyVersion> {
    if (!module) return compile_or_fail(b ? sets.b : sets.a);
    StatusOr<std::shared_ptr<const PolicyVersion>> version = load_policy_module(b ? sets.module_b : sets.module_a);
    if (!version.is_ok()) bench::fail(version.status().message());
    return std::move(version).value();
  };
  PolicyStore store(load(false));
  StatusOr<SecurityContext> built = SecurityContext::build(store, alice());
  if (!built.is_ok()) bench::fail(built.status().message());
  SecurityContext context = std::move(built).value();
  auto statement_us = [&context] {
    Clock::time_point start = Clock::now();
    StatusOr<Statement> statement = context.begin_statement();
    if (!statement.is_ok()) bench::fail(statement.status().message());
    StatusOr<std::unique_ptr<const StatementRowFilter>> filter =
        statement.value().row_filter("orders", {Command::kSelect});
    if (!filter.is_ok()) bench::fail(filter.status().message());
    return ms_between(start, Clock::now()) * 1000;
  };
  std::vector<double> first_us;
  std::vector<double> first_kept_us;
  std::vector<double> next_us;
  for (auto _ : state) {
    for (int index = 0; index < 2 * kReloadsPerRun; ++index) {
      // Every other time the old version is held here, so that the reader's statement is not
      // the one that lets go of it last (and frees it): what the first use itself costs.
      bool keep_old = index % 4 >= 2;
      std::shared_ptr<const PolicyVersion> old = keep_old ? store.current() : nullptr;
      store.publish(load(index % 2 == 0));
      (keep_old ? first_kept_us : first_us).push_back(statement_us());
      next_us.push_back(statement_us());
    }
  }
  state.counters["first_p50_us"] = quantile(first_us, 0.5);
  state.counters["first_max_us"] = quantile(first_us, 1.0);
  state.counters["first_old_kept_p50_us"] = quantile(first_kept_us, 0.5);
  state.counters["next_p50_us"] = quantile(next_us, 0.5);
}

// ---- 2. Readers during continuous reloads ---------------------------------------------------

enum class Kind { kJit, kModule };
// kReloads reloads back to back, a stress far beyond any operator's pace (it also keeps one of
// the 2 cores busy compiling or loading, as kCompileOnly does without publishing); kPacedReloads
// reloads every 100 ms, so that what remains is what a reload itself does to readers.
enum class Background { kNone, kCompileOnly, kReloads, kPacedReloads };
constexpr auto kReloadPace = std::chrono::milliseconds(100);

constexpr auto kReaderDuration = std::chrono::milliseconds(2000);
constexpr int kChecksPerStatement = 64;

struct ReaderResult {
  bench::LatencyHistogram checks;
  bench::LatencyHistogram statements;
  // The first statement of the reader on each newly published version (also in `statements`):
  // it re-resolves the principal and, for a JIT-backed version, compiles its row plan.
  bench::LatencyHistogram first_statements;
  // Checks that took the slow path because a reload intervened (also in `checks`): the first
  // one re-resolves the context, each handle looks its table up again.
  bench::LatencyHistogram slow_checks;
  bench::LatencyHistogram timer;  // an empty timed region: what the clock itself costs
  long failures = 0;
  long involuntary_switches = 0;  // times the scheduler took the reader's CPU away
};

// One connection: single checks through handles (a random stream of operations over the
// examples' tables) and, every 64 checks, one statement: begin_statement, allowed(SELECT,
// orders), row_filter(orders, SELECT), check one row, and the filter and statement released.
void read_until(const PolicyStore& store, const std::atomic<bool>& stop, ReaderResult& result) {
  StatusOr<SecurityContext> built = SecurityContext::build(store, alice());
  if (!built.is_ok()) bench::fail(built.status().message());
  SecurityContext context = std::move(built).value();
  std::vector<ResourceHandle> handles;
  for (const char* table : {"orders", "customers", "audit_log", "sales.invoices", "staging.raw", "reporting.daily"}) {
    handles.push_back(context.resource(table));
  }
  struct Check {
    Operation op;
    uint32_t table;
  };
  std::vector<Check> stream;
  std::mt19937 random(7);
  for (int index = 0; index < 4096; ++index) {
    stream.push_back({static_cast<Operation>(random() % 16), static_cast<uint32_t>(random() % handles.size())});
  }
  // An order of tenant-001, paid: visible to alice in both versions.
  const char* tenant = "tenant-001";
  const char* status = "paid";
  Datum row[6];
  row[0].bits = 1;
  row[0].is_null = 0;
  row[1].data = tenant;
  row[1].length = 10;
  row[1].is_null = 0;
  row[4].data = status;
  row[4].length = 4;
  row[4].is_null = 0;

  for (int index = 0; index < 100000; ++index) {
    uint64_t start = bench::tsc_begin();
    uint64_t end = bench::tsc_end();
    result.timer.record(end - start);
  }

  rusage usage_before{};
  getrusage(RUSAGE_THREAD, &usage_before);
  size_t next = 0;
  uint32_t allowed = 0;
  uint64_t last_generation = store.generation();
  while (!stop.load(std::memory_order_relaxed)) {
    for (int index = 0; index < kChecksPerStatement; ++index) {
      const Check& check = stream[next++ & 4095];
      ResourceHandle& handle = handles[check.table];
      uint64_t before = handle.generation;
      uint64_t start = bench::tsc_begin();
      allowed += context.allowed(check.op, handle);
      uint64_t end = bench::tsc_end();
      result.checks.record(end - start);
      if (handle.generation != before) result.slow_checks.record(end - start);
    }
    uint64_t generation = store.generation();
    uint64_t start = bench::tsc_begin();
    bool passed = false;
    {
      StatusOr<Statement> statement = context.begin_statement();
      if (statement.is_ok() && statement.value().allowed(Operation::kSelect, "orders")) {
        StatusOr<std::unique_ptr<const StatementRowFilter>> filter =
            statement.value().row_filter("orders", {Command::kSelect});
        passed = filter.is_ok() && filter.value()->check(row, nullptr).result == RowResult::kPass;
      }
    }
    uint64_t end = bench::tsc_end();
    result.statements.record(end - start);
    // A publish seen before it began: the statement ran on a version newer than the previous
    // statement's (the store sets the generation after the version, never before).
    if (generation != last_generation) result.first_statements.record(end - start);
    last_generation = generation;
    if (!passed) ++result.failures;
  }
  rusage usage_after{};
  getrusage(RUSAGE_THREAD, &usage_after);
  result.involuntary_switches = usage_after.ru_nivcsw - usage_before.ru_nivcsw;
  benchmark::DoNotOptimize(allowed);
}

void BM_ReaderLatency(benchmark::State& state, Kind kind, Background background) {
  PolicyFileSets& sets = file_sets();
  auto load = [&](bool b) -> std::shared_ptr<const PolicyVersion> {
    if (kind == Kind::kJit) return compile_or_fail(b ? sets.b : sets.a);
    StatusOr<std::shared_ptr<const PolicyVersion>> version = load_policy_module(b ? sets.module_b : sets.module_a);
    if (!version.is_ok()) bench::fail(version.status().message());
    return std::move(version).value();
  };
  const double ticks_per_ns = bench::tsc_ticks_per_ns();
  ReaderResult total;
  long reloads = 0;
  for (auto _ : state) {
    PolicyStore store(load(false));
    // Warm the plan cache of the first version, as a server that has been running would have.
    {
      StatusOr<SecurityContext> context = SecurityContext::build(store, alice());
      if (context.is_ok()) {
        StatusOr<Statement> statement = context.value().begin_statement();
        if (statement.is_ok()) (void)statement.value().row_filter("orders", {Command::kSelect});
      }
    }
    std::atomic<bool> stop{false};
    ReaderResult result;
    std::thread reader(read_until, std::cref(store), std::cref(stop), std::ref(result));
    Clock::time_point until = Clock::now() + kReaderDuration;
    bool b = true;
    if (background == Background::kNone) {
      std::this_thread::sleep_until(until);
    } else if (background == Background::kPacedReloads) {
      for (Clock::time_point next = Clock::now() + kReloadPace; next < until; next += kReloadPace) {
        std::this_thread::sleep_until(next);
        store.publish(load(b));
        ++reloads;
        b = !b;
      }
      std::this_thread::sleep_until(until);
    } else {
      while (Clock::now() < until) {
        std::shared_ptr<const PolicyVersion> version = load(b);
        if (background == Background::kReloads) {
          store.publish(std::move(version));
          ++reloads;
        }
        b = !b;
      }
    }
    stop.store(true);
    reader.join();
    total.checks.merge(result.checks);
    total.statements.merge(result.statements);
    total.first_statements.merge(result.first_statements);
    total.slow_checks.merge(result.slow_checks);
    total.timer.merge(result.timer);
    // alice may read that order in both versions: a statement that did not say so saw a
    // broken version, and the figures of a wrong run are worth nothing.
    if (result.failures != 0) bench::fail(std::to_string(result.failures) + " statements did not pass the row");
    total.involuntary_switches += result.involuntary_switches;
  }
  auto ns = [ticks_per_ns](uint64_t ticks) { return static_cast<double>(ticks) / ticks_per_ns; };
  state.counters["check_p50_ns"] = ns(total.checks.percentile(0.5));
  state.counters["check_p99_ns"] = ns(total.checks.percentile(0.99));
  state.counters["check_p999_ns"] = ns(total.checks.percentile(0.999));
  state.counters["check_max_us"] = ns(total.checks.max()) / 1000;
  state.counters["stmt_p50_ns"] = ns(total.statements.percentile(0.5));
  state.counters["stmt_p99_ns"] = ns(total.statements.percentile(0.99));
  state.counters["stmt_p999_ns"] = ns(total.statements.percentile(0.999));
  state.counters["stmt_max_us"] = ns(total.statements.max()) / 1000;
  // Statements that took longer than 100 us (an upper bound: the histogram bucket holding the
  // threshold counts as above it), next to the number of reloads they could be blamed on.
  const uint64_t hundred_us = static_cast<uint64_t>(100000 * ticks_per_ns);
  state.counters["stmt_over_100us"] = static_cast<double>(total.statements.count_above(hundred_us));
  state.counters["first_stmt_over_100us"] = static_cast<double>(total.first_statements.count_above(hundred_us));
  state.counters["first_stmt_p50_us"] = ns(total.first_statements.percentile(0.5)) / 1000;
  state.counters["first_stmt_max_us"] = ns(total.first_statements.max()) / 1000;
  state.counters["slow_check_max_us"] = ns(total.slow_checks.max()) / 1000;
  state.counters["slow_checks_over_100us"] = static_cast<double>(total.slow_checks.count_above(hundred_us));
  state.counters["reader_preempted"] = static_cast<double>(total.involuntary_switches);
  state.counters["checks_over_100us"] = static_cast<double>(total.checks.count_above(hundred_us));
  state.counters["statements"] = static_cast<double>(total.statements.count());
  state.counters["reloads"] = static_cast<double>(reloads);
  state.counters["timer_p50_ns"] = ns(total.timer.percentile(0.5));
}

void register_benchmarks() {
  file_sets();  // modules built and files written before anything is timed
  benchmark::RegisterBenchmark("BM_WatcherReload/rename", BM_WatcherReload, WriteMode::kRename)
      ->Iterations(1)->Repetitions(3)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_WatcherReload/in_place", BM_WatcherReload, WriteMode::kInPlace)
      ->Iterations(1)->Repetitions(3)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_CompilerReload", BM_CompilerReload)
      ->Iterations(1)->Repetitions(3)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_ModuleReload", BM_ModuleReload)
      ->Iterations(1)->Repetitions(3)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_FirstStatementAfterReload/jit", BM_FirstStatementAfterReload, false)
      ->Iterations(1)->Repetitions(3)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_FirstStatementAfterReload/aot", BM_FirstStatementAfterReload, true)
      ->Iterations(1)->Repetitions(3)->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_ModuleBuild", BM_ModuleBuild)
      ->Iterations(3)->Repetitions(1)->Unit(benchmark::kMillisecond);
  struct Case {
    const char* name;
    Kind kind;
    Background background;
  };
  for (Case c : {Case{"jit/no_reloads", Kind::kJit, Background::kNone},
                 Case{"jit/compile_only", Kind::kJit, Background::kCompileOnly},
                 Case{"jit/reloads", Kind::kJit, Background::kReloads},
                 Case{"jit/reloads_every_100ms", Kind::kJit, Background::kPacedReloads},
                 Case{"aot/no_reloads", Kind::kModule, Background::kNone},
                 Case{"aot/load_only", Kind::kModule, Background::kCompileOnly},
                 Case{"aot/reloads", Kind::kModule, Background::kReloads},
                 Case{"aot/reloads_every_100ms", Kind::kModule, Background::kPacedReloads}}) {
    benchmark::RegisterBenchmark((std::string("BM_ReaderLatency/") + c.name).c_str(), BM_ReaderLatency, c.kind,
                                 c.background)
        ->Iterations(1)
        ->Repetitions(3)
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
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
