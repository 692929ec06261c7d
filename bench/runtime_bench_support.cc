// Helpers for the runtime benchmarks (see runtime_bench_support.h).
#include "bench/runtime_bench_support.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#ifndef WEFTKIT_POLICYC_PATH
#error "WEFTKIT_POLICYC_PATH must be defined by the build"
#endif

namespace weftkit::bench {

void fail(const std::string& why) {
  std::fprintf(stderr, "%s: %s\n", program_invocation_short_name, why.c_str());
  std::exit(1);
}

std::string source_file(const std::string& relative) { return std::string(WEFTKIT_SOURCE_DIR) + "/" + relative; }

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

namespace {

void write_all(int descriptor, const std::string& text, const std::string& path) {
  size_t written = 0;
  while (written < text.size()) {
    ssize_t step = ::write(descriptor, text.data() + written, text.size() - written);
    if (step <= 0) fail("cannot write " + path);
    written += static_cast<size_t>(step);
  }
}

}  // namespace

void write_file_atomically(const std::string& path, const std::string& text) {
  std::string temporary = path + ".tmp";
  int descriptor = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (descriptor < 0) fail("cannot create " + temporary);
  write_all(descriptor, text, temporary);
  ::close(descriptor);
  if (std::rename(temporary.c_str(), path.c_str()) != 0) fail("cannot rename " + temporary + " to " + path);
}

void write_file_in_place(const std::string& path, const std::string& text) {
  int descriptor = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (descriptor < 0) fail("cannot open " + path);
  write_all(descriptor, text, path);
  ::close(descriptor);
}

ScratchDirectory::ScratchDirectory() {
  std::string pattern = (std::filesystem::temp_directory_path() / "weftkit-bench-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) fail("cannot create a scratch directory");
  directory_ = pattern;
}

ScratchDirectory::~ScratchDirectory() {
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
}

void build_policy_module(const std::vector<std::string>& inputs, const std::string& output) {
  std::string command = "'" WEFTKIT_POLICYC_PATH "' compile --emit=so -o '" + output + "'";
  for (const std::string& input : inputs) command += " '" + input + "'";
  command += " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) fail("cannot run " WEFTKIT_POLICYC_PATH);
  std::string printed;
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) printed += buffer;
  if (::pclose(pipe) != 0) fail("weftkit-policyc --emit=so failed:\n" + printed);
}

double tsc_ticks_per_ns() {
  static const double ticks_per_ns = [] {
    auto start_time = std::chrono::steady_clock::now();
    uint64_t start_ticks = tsc_begin();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto end_time = std::chrono::steady_clock::now();
    uint64_t end_ticks = tsc_end();
    double ns = std::chrono::duration<double, std::nano>(end_time - start_time).count();
    return static_cast<double>(end_ticks - start_ticks) / ns;
  }();
  return ticks_per_ns;
}

LatencyHistogram::LatencyHistogram() : exact_(kExact, 0), coarse_(52 * 32, 0) {}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  for (size_t index = 0; index < exact_.size(); ++index) exact_[index] += other.exact_[index];
  for (size_t index = 0; index < coarse_.size(); ++index) coarse_[index] += other.coarse_[index];
  count_ += other.count_;
  if (other.max_ > max_) max_ = other.max_;
}

namespace {

// The largest latency a coarse bucket holds.
uint64_t coarse_upper_edge(size_t bucket) {
  int exponent = static_cast<int>(bucket / 32) + 12;
  uint64_t sub = bucket % 32;
  return (uint64_t{1} << exponent) + ((sub + 1) << (exponent - 5)) - 1;
}

}  // namespace

uint64_t LatencyHistogram::percentile(double fraction) const {
  if (count_ == 0) return 0;
  uint64_t wanted = static_cast<uint64_t>(fraction * static_cast<double>(count_));
  if (wanted == 0) wanted = 1;
  uint64_t seen = 0;
  for (size_t ticks = 0; ticks < exact_.size(); ++ticks) {
    seen += exact_[ticks];
    if (seen >= wanted) return ticks;
  }
  for (size_t bucket = 0; bucket < coarse_.size(); ++bucket) {
    seen += coarse_[bucket];
    if (seen >= wanted) return std::min(coarse_upper_edge(bucket), max_);
  }
  return max_;
}

uint64_t LatencyHistogram::count_above(uint64_t ticks) const {
  uint64_t above = 0;
  for (size_t index = 0; index < exact_.size(); ++index) {
    if (index > ticks) above += exact_[index];
  }
  for (size_t bucket = 0; bucket < coarse_.size(); ++bucket) {
    // Buckets straddling the threshold count as above: an upper bound, stated in the README.
    if (coarse_upper_edge(bucket) > ticks) above += coarse_[bucket];
  }
  return above;
}

}  // namespace weftkit::bench
