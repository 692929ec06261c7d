// Deterministic randomness for the JIT's randomized tests: the same seed gives the same case
// with any standard library (std:: distributions are implementation-defined; this is not).
#pragma once

#include <cstdint>
#include <random>
#include <stdexcept>
#include <vector>

namespace weftkit::policy::jittest {

class RandomSource {
 public:
  explicit RandomSource(uint64_t seed) : engine_(seed) {}

  uint64_t next() { return engine_(); }

  // Uniform in [low, high] (the modulo bias of a 64-bit draw is negligible at these ranges).
  int64_t between(int64_t low, int64_t high) {
    if (high < low) throw std::logic_error("RandomSource::between with high < low");
    uint64_t span = static_cast<uint64_t>(high) - static_cast<uint64_t>(low) + 1;
    if (span == 0) return static_cast<int64_t>(next());  // the whole int64 range
    return static_cast<int64_t>(static_cast<uint64_t>(low) + next() % span);
  }

  bool chance(double probability) { return static_cast<double>(next() >> 11) * 0x1.0p-53 < probability; }

  // An index drawn with the given relative weights (zero weights are never drawn).
  size_t weighted(const std::vector<int>& weights) {
    int64_t total = 0;
    for (int weight : weights) total += weight;
    if (total <= 0) throw std::logic_error("RandomSource::weighted with no positive weight");
    int64_t draw = between(0, total - 1);
    for (size_t index = 0; index < weights.size(); ++index) {
      if (draw < weights[index]) return index;
      draw -= weights[index];
    }
    return weights.size() - 1;
  }

  template <class T>
  const T& pick(const std::vector<T>& options) {
    if (options.empty()) throw std::logic_error("RandomSource::pick from an empty list");
    return options[static_cast<size_t>(between(0, static_cast<int64_t>(options.size()) - 1))];
  }

 private:
  std::mt19937_64 engine_;  // its output sequence is fixed by the standard
};

// The seed of case `index` of a run (splitmix64 of both), so that one case can be rerun alone.
inline uint64_t case_seed(uint64_t run_seed, uint64_t index) {
  uint64_t z = run_seed + 0x9E3779B97F4A7C15ull * (index + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace weftkit::policy::jittest
