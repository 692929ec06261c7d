// Deterministic randomness for the case generator: the same seed gives the same case with
// any standard library (std:: distributions are implementation-defined; this is not).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <random>
#include <stdexcept>
#include <vector>

namespace weftkit::policy::pgtest {

class RandomSource {
 public:
  explicit RandomSource(uint64_t seed) : engine_(seed) {}

  uint64_t next() { return engine_(); }
  bool chance(double probability);
  // Uniform in [low, high].
  int between(int low, int high);
  // An index drawn with the given relative weights (zero weights are never drawn).
  size_t weighted(const std::vector<double>& weights);

  template <class T>
  const T& pick(const std::vector<T>& options) {
    if (options.empty()) throw std::logic_error("RandomSource::pick from an empty list");
    return options[static_cast<size_t>(between(0, static_cast<int>(options.size()) - 1))];
  }

  template <class T>
  void shuffle(std::vector<T>& items) {
    for (size_t index = items.size(); index > 1; --index) {
      std::swap(items[index - 1], items[static_cast<size_t>(between(0, static_cast<int>(index) - 1))]);
    }
  }

 private:
  std::mt19937_64 engine_;  // its output sequence is fixed by the standard
};

// The seed of case `index` of a run: cases can be regenerated one at a time.
uint64_t case_seed(uint64_t run_seed, int index);

}  // namespace weftkit::policy::pgtest
