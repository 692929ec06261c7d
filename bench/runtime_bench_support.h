// Shared by the runtime benchmarks: scratch files, ahead-of-time modules built with the real
// weftkit-policyc, a TSC clock and a latency histogram for per-operation percentiles.
#pragma once

#include <x86intrin.h>

#include <cstdint>
#include <string>
#include <vector>

namespace weftkit::bench {

// Prints "<program>: why" and exits: a benchmark whose setup failed must not report figures.
[[noreturn]] void fail(const std::string& why);

// A file of the source tree (examples/roles.yaml, ...).
std::string source_file(const std::string& relative);
std::string read_file(const std::string& path);

// Written to a temporary file in the same directory and renamed over `path`, as deployment
// tools and most editors save: a reader (or inotify) never sees a half-written file.
void write_file_atomically(const std::string& path, const std::string& text);
// Truncated and rewritten in place, as `echo > file` does.
void write_file_in_place(const std::string& path, const std::string& text);

// A fresh directory under $TMPDIR, removed with everything in it on destruction.
class ScratchDirectory {
 public:
  ScratchDirectory();
  ~ScratchDirectory();
  ScratchDirectory(const ScratchDirectory&) = delete;
  ScratchDirectory& operator=(const ScratchDirectory&) = delete;
  std::string path(const std::string& name) const { return directory_ + "/" + name; }

 private:
  std::string directory_;
};

// `weftkit-policyc compile --emit=so -o output inputs...`; fails the program if it fails.
void build_policy_module(const std::vector<std::string>& inputs, const std::string& output);

// The time-stamp counter (constant and non-stop on the machines we measure on), fenced so
// that the operation timed cannot drift out of the interval.
inline uint64_t tsc_begin() {
  _mm_lfence();
  uint64_t now = __rdtsc();
  _mm_lfence();
  return now;
}
inline uint64_t tsc_end() {
  unsigned int processor;
  uint64_t now = __rdtscp(&processor);
  _mm_lfence();
  return now;
}
// TSC ticks per nanosecond, measured once against steady_clock (about 100 ms).
double tsc_ticks_per_ns();

// Per-operation latencies in TSC ticks: exact below 4,096 ticks, then within 1/32 (about 3 %),
// so that recording costs an increment and no allocation while readers are timed.
class LatencyHistogram {
 public:
  LatencyHistogram();
  void record(uint64_t ticks) {
    ++count_;
    if (ticks > max_) max_ = ticks;
    if (ticks < kExact) {
      ++exact_[ticks];
      return;
    }
    int exponent = 63 - __builtin_clzll(ticks);          // >= 12
    uint64_t sub = (ticks >> (exponent - 5)) & 31;        // 32 steps per power of two
    ++coarse_[static_cast<size_t>(exponent - 12) * 32 + sub];
  }
  void merge(const LatencyHistogram& other);
  uint64_t count() const { return count_; }
  uint64_t max() const { return max_; }
  // The smallest latency (upper edge of its bucket) that at least `fraction` of the samples do
  // not exceed.
  uint64_t percentile(double fraction) const;
  uint64_t count_above(uint64_t ticks) const;

 private:
  static constexpr uint64_t kExact = 4096;
  std::vector<uint64_t> exact_;
  std::vector<uint64_t> coarse_;
  uint64_t count_ = 0;
  uint64_t max_ = 0;
};

}  // namespace weftkit::bench
