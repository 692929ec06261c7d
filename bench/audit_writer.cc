// The audit writer's throughput and its producers' latency (targets: >= 1 M chained events/s to
// a file, SHA-256 and HMAC-SHA256; submit() <= 100 ns at p50 and <= 2 us at p99.9), side by side
// in the same run with spdlog's asynchronous logger writing the same JSON lines without a chain.
//
// Throughput: each iteration opens a writer on a fresh file, submits kEvents events built the way
// a producer builds them (the strings of a typical authorization event, moved in), then stop(),
// which drains, writes and fsyncs: events/s is end to end, the disk write included.
//
// Latency: the producer timestamps each submit() with rdtsc (converted with a calibration against
// steady_clock) while the writer drains, keeps every delta and reports p50/p99/p99.9/max of the
// whole run. The event is built before the first timestamp: only submit() itself is timed.
#include <benchmark/benchmark.h>
#include <stdlib.h>
#include <time.h>
#include <x86intrin.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <weftkit/audit/record.h>
#include <weftkit/audit/writer.h>

#ifdef WEFTKIT_BENCH_HAVE_SPDLOG
#include <spdlog/async.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/spdlog.h>
#endif

namespace {

using namespace weftkit::audit;

constexpr int64_t kEvents = 1'000'000;
constexpr char kHmacKey[] = "bench-audit-hmac-key-0123456789abcdef";

class BenchDir {
 public:
  BenchDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "weftkit-audit-bench-XXXXXX").string();
    path_ = mkdtemp(pattern.data()) ? pattern : "";
  }
  ~BenchDir() { std::filesystem::remove_all(path_); }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// A typical authorization decision as the runtime reports it: some strings past the small-string
// buffer (so producers pay the allocations a real one pays), one varying per event.
AuditEvent typical_event(int64_t i) {
  AuditEvent event;
  event.kind = weftkit::config::AuditEvent::kAuthzAllow;
  event.identity = "alice@sales.example.com";
  event.tenant = "tenant-0042";
  event.operation = "select";
  event.resource = "sales.orders_" + std::to_string(i & 63);
  event.result = "allowed";
  event.source_ip = "192.0.2.17";
  event.policy_generation = 7;
  event.decided_by = "policies.sql:12:18";
  event.session_id = "3f2a9c1e-5b7d-4e21-9a3c-0d8e6f4b2a71";
  return event;
}

WriterOptions bench_options(const std::string& path, bool keyed, bool fsync = true) {
  WriterOptions options;
  options.output = path;
  if (keyed) options.hmac_key = kHmacKey;
  options.max_bytes = 0;  // one file: rotation is not what is measured
  // The default policy (fdatasync at most once a second, and at stop), or none as spdlog.
  options.fsync = fsync ? weftkit::config::AuditFsync::kInterval : weftkit::config::AuditFsync::kNever;
  return options;
}

// CPU time of the whole process and of the calling thread, in nanoseconds. On this shared
// machine wall time says how much CPU the other builds left; the background thread's CPU per
// event (process minus producer) says what a core of its own would do.
int64_t cpu_ns(clockid_t clock) {
  timespec now{};
  clock_gettime(clock, &now);
  return static_cast<int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

struct CpuSplit {
  int64_t process = cpu_ns(CLOCK_PROCESS_CPUTIME_ID);
  int64_t producer = cpu_ns(CLOCK_THREAD_CPUTIME_ID);
};

void report_cpu(benchmark::State& state, const CpuSplit& start, int64_t events) {
  const CpuSplit end;
  const double producer = static_cast<double>(end.producer - start.producer);
  const double background = static_cast<double>(end.process - start.process) - producer;
  state.counters["producer_cpu_ns_per_event"] = producer / static_cast<double>(events);
  state.counters["writer_cpu_ns_per_event"] = background / static_cast<double>(events);
}

// --- throughput --------------------------------------------------------------------------------

void BM_AuditWriterThroughput(benchmark::State& state) {
  const bool keyed = state.range(0) != 0;
  const bool fsync = state.range(1) != 0;
  BenchDir dir;
  int64_t round = 0;
  const CpuSplit cpu_start;
  for (auto _ : state) {
    const std::string path = dir.file("audit-" + std::to_string(round++) + ".jsonl");
    auto writer = AuditWriter::open(bench_options(path, keyed, fsync));
    if (!writer.is_ok()) {
      state.SkipWithError("cannot open the writer");
      return;
    }
    for (int64_t i = 0; i < kEvents; ++i) writer.value()->submit(typical_event(i));
    writer.value()->stop();
    state.PauseTiming();
    if (writer.value()->stats().written != static_cast<uint64_t>(kEvents)) state.SkipWithError("events missing");
    std::filesystem::remove(path);
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * kEvents);
  report_cpu(state, cpu_start, state.iterations() * kEvents);
  state.SetLabel(std::string(keyed ? "chain HMAC-SHA256" : "chain SHA-256") + (fsync ? ", fsync interval" : ", fsync never"));
}
BENCHMARK(BM_AuditWriterThroughput)
    ->ArgNames({"hmac", "fsync"})
    ->Args({0, 1})
    ->Args({1, 1})
    ->Args({0, 0})
    ->Args({1, 0})
    ->Iterations(3)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

#ifdef WEFTKIT_BENCH_HAVE_SPDLOG
// The peer: the same line (the record's canonical JSON with the project's escaping, formatted on
// the producer as spdlog's users do) handed to spdlog's async logger, pattern "%v", one worker
// thread, blocking on a full queue. No chain, no hash, no sequence kept by the logger.
std::shared_ptr<spdlog::logger> spdlog_file_logger(const std::string& path) {
  spdlog::init_thread_pool(65536, 1);
  auto sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(path, true);
  auto logger = std::make_shared<spdlog::async_logger>("audit-bench", sink, spdlog::thread_pool(),
                                                       spdlog::async_overflow_policy::block);
  logger->set_pattern("%v");
  return logger;
}

std::string unchained_line(const AuditEvent& event, uint64_t seq) {
  AuditEvent stamped = event;
  stamped.timestamp = Clock::now();
  return canonical_record(stamped, ChainPosition{seq, kGenesisHash});
}

void BM_SpdlogAsyncThroughput(benchmark::State& state) {
  BenchDir dir;
  int64_t round = 0;
  const CpuSplit cpu_start;
  for (auto _ : state) {
    const std::string path = dir.file("spdlog-" + std::to_string(round++) + ".jsonl");
    {
      auto logger = spdlog_file_logger(path);
      for (int64_t i = 0; i < kEvents; ++i) {
        const std::string line = unchained_line(typical_event(i), static_cast<uint64_t>(i + 1));
        logger->info(line);
      }
      logger->flush();  // async: queued behind every line, so it returns once they are written
      logger.reset();
      spdlog::shutdown();  // joins the worker thread
    }
    state.PauseTiming();
    std::filesystem::remove(path);
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * kEvents);
  report_cpu(state, cpu_start, state.iterations() * kEvents);
  state.SetLabel("no chain");
}
BENCHMARK(BM_SpdlogAsyncThroughput)->Iterations(3)->UseRealTime()->Unit(benchmark::kMillisecond);
#endif

// --- producer latency --------------------------------------------------------------------------

// Nanoseconds per rdtsc tick, measured against steady_clock over 50 ms.
double ns_per_tick() {
  const auto start_time = std::chrono::steady_clock::now();
  const uint64_t start_ticks = __rdtsc();
  while (std::chrono::steady_clock::now() - start_time < std::chrono::milliseconds(50)) {
  }
  const uint64_t ticks = __rdtsc() - start_ticks;
  const auto elapsed = std::chrono::steady_clock::now() - start_time;
  return static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count()) /
         static_cast<double>(ticks);
}

// The median cost of the timing itself (fenced rdtsc around nothing), reported beside the
// percentiles, which include it: the time submit() adds is the percentile minus this.
double timer_overhead_ticks() {
  std::vector<uint64_t> empty(100'000);
  for (auto& delta : empty) {
    _mm_lfence();
    const uint64_t start = __rdtsc();
    _mm_lfence();
    _mm_lfence();
    delta = __rdtsc() - start;
  }
  std::nth_element(empty.begin(), empty.begin() + static_cast<std::ptrdiff_t>(empty.size() / 2), empty.end());
  return static_cast<double>(empty[empty.size() / 2]);
}

void report_percentiles(benchmark::State& state, std::vector<uint64_t>& ticks) {
  if (ticks.empty()) return;
  std::sort(ticks.begin(), ticks.end());
  const double scale = ns_per_tick();
  state.counters["timer_ns"] = timer_overhead_ticks() * scale;
  const auto at = [&](double quantile) {
    const auto index = std::min(ticks.size() - 1, static_cast<std::size_t>(quantile * static_cast<double>(ticks.size())));
    return static_cast<double>(ticks[index]) * scale;
  };
  state.counters["p50_ns"] = at(0.50);
  state.counters["p99_ns"] = at(0.99);
  state.counters["p999_ns"] = at(0.999);
  state.counters["max_ns"] = static_cast<double>(ticks.back()) * scale;
}

// Each producer submits `count` events, timing each call; each event is built before the first
// timestamp, so only the call is timed. `per_second` > 0 paces the producer (in bursts of 64,
// sleeping between them) at a rate the writer keeps up with; 0 submits flat out.
template <typename Submit>
void timed_submits(int64_t count, int64_t per_second, Submit&& submit, std::vector<uint64_t>& out) {
  out.reserve(out.size() + static_cast<std::size_t>(count));
  const auto start_time = std::chrono::steady_clock::now();
  for (int64_t i = 0; i < count; ++i) {
    if (per_second > 0 && i % 64 == 0) {
      std::this_thread::sleep_until(start_time + std::chrono::nanoseconds(i * 1'000'000'000 / per_second));
    }
    AuditEvent event = typical_event(i);
    _mm_lfence();
    const uint64_t start = __rdtsc();
    _mm_lfence();
    submit(std::move(event));
    _mm_lfence();
    const uint64_t end = __rdtsc();
    out.push_back(end - start);
  }
}

// Arg 0: producer threads; arg 1: events/s in all (0: flat out). 1M submits in all.
void BM_AuditSubmitLatency(benchmark::State& state) {
  const int producers = static_cast<int>(state.range(0));
  const int64_t per_producer_rate = state.range(1) / producers;
  const int64_t per_producer = kEvents / producers;
  BenchDir dir;
  std::vector<uint64_t> all;
  for (auto _ : state) {
    auto options = bench_options(dir.file("latency.jsonl"), true);
    options.queue_capacity = 1 << 20;  // block mode never waits: the writer's speed is not timed here
    auto writer = AuditWriter::open(options);
    if (!writer.is_ok()) {
      state.SkipWithError("cannot open the writer");
      return;
    }
    AuditWriter& sink = *writer.value();
    std::vector<std::vector<uint64_t>> per_thread(static_cast<std::size_t>(producers));
    std::vector<std::thread> threads;
    for (int t = 0; t < producers; ++t) {
      threads.emplace_back([&, t] {
        timed_submits(per_producer, per_producer_rate, [&](AuditEvent&& event) { sink.submit(std::move(event)); },
                      per_thread[static_cast<std::size_t>(t)]);
      });
    }
    for (auto& thread : threads) thread.join();
    sink.stop();
    for (auto& ticks : per_thread) all.insert(all.end(), ticks.begin(), ticks.end());
  }
  state.SetItemsProcessed(static_cast<int64_t>(all.size()));
  report_percentiles(state, all);
  state.SetLabel(std::to_string(producers) + " producer(s), HMAC chain");
}
BENCHMARK(BM_AuditSubmitLatency)
    ->ArgNames({"producers", "rate"})
    ->Args({1, 0})
    ->Args({4, 0})
    ->Args({1, 200'000})
    ->Args({4, 200'000})
    ->Iterations(1)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

#ifdef WEFTKIT_BENCH_HAVE_SPDLOG
// spdlog's producer side for the same events: format the line, then logger->info().
void BM_SpdlogSubmitLatency(benchmark::State& state) {
  const int producers = static_cast<int>(state.range(0));
  const int64_t per_producer_rate = state.range(1) / producers;
  const int64_t per_producer = kEvents / producers;
  BenchDir dir;
  std::vector<uint64_t> all;
  for (auto _ : state) {
    auto logger = spdlog_file_logger(dir.file("latency.jsonl"));
    std::atomic<uint64_t> seq{0};
    std::vector<std::vector<uint64_t>> per_thread(static_cast<std::size_t>(producers));
    std::vector<std::thread> threads;
    for (int t = 0; t < producers; ++t) {
      threads.emplace_back([&, t] {
        timed_submits(per_producer, per_producer_rate,
                      [&](AuditEvent&& event) {
                        logger->info(unchained_line(event, seq.fetch_add(1, std::memory_order_relaxed) + 1));
                      },
                      per_thread[static_cast<std::size_t>(t)]);
      });
    }
    for (auto& thread : threads) thread.join();
    logger->flush();
    logger.reset();
    spdlog::shutdown();
    for (auto& ticks : per_thread) all.insert(all.end(), ticks.begin(), ticks.end());
  }
  state.SetItemsProcessed(static_cast<int64_t>(all.size()));
  report_percentiles(state, all);
  state.SetLabel(std::to_string(producers) + " producer(s), line formatted in the call");
}
BENCHMARK(BM_SpdlogSubmitLatency)
    ->ArgNames({"producers", "rate"})
    ->Args({1, 0})
    ->Args({4, 0})
    ->Args({1, 200'000})
    ->Args({4, 200'000})
    ->Iterations(1)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
#endif

}  // namespace

BENCHMARK_MAIN();
