// Mapping raw 64-bit draws to the shapes the generator needs.
#include "tests/pg/random_source.h"

namespace weftkit::policy::pgtest {

bool RandomSource::chance(double probability) {
  // 53 random bits as a double in [0, 1).
  double unit = static_cast<double>(next() >> 11) * 0x1.0p-53;
  return unit < probability;
}

int RandomSource::between(int low, int high) {
  if (high < low) throw std::logic_error("RandomSource::between with high < low");
  uint64_t span = static_cast<uint64_t>(static_cast<int64_t>(high) - low) + 1;
  return static_cast<int>(low + static_cast<int64_t>(next() % span));
}

size_t RandomSource::weighted(const std::vector<double>& weights) {
  double total = 0;
  for (double weight : weights) total += weight;
  if (total <= 0) throw std::logic_error("RandomSource::weighted with no positive weight");
  double point = static_cast<double>(next() >> 11) * 0x1.0p-53 * total;
  for (size_t index = 0; index < weights.size(); ++index) {
    if (point < weights[index]) return index;
    point -= weights[index];
  }
  for (size_t index = weights.size(); index > 0; --index) {
    if (weights[index - 1] > 0) return index - 1;
  }
  return 0;
}

uint64_t case_seed(uint64_t run_seed, int index) {
  // splitmix64 of the pair, so neighbouring indexes give unrelated cases.
  uint64_t z = run_seed + 0x9E3779B97F4A7C15ULL * (static_cast<uint64_t>(index) + 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

}  // namespace weftkit::policy::pgtest
