// Shared pieces of the seeded mutation tests: a platform-independent random source, a cap
// on the address space (outside sanitizer builds) so that a runaway allocation fails a case
// instead of exhausting the machine, and small helpers.
#pragma once

#include <sys/resource.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

namespace weftkit::policy::mutation {

// A case that takes longer than this is a hang in the making (e.g. super-linear work on a
// small input); a normal case takes microseconds, even under a sanitizer.
constexpr auto kSlowCase = std::chrono::seconds(2);

// Deterministic across platforms: mt19937_64 is fully specified, and no std distribution
// (whose algorithms differ between standard libraries) is used.
class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}
  uint64_t below(uint64_t bound) { return bound == 0 ? 0 : engine_() % bound; }
  bool percent(unsigned chance) { return below(100) < chance; }
  uint8_t byte() { return static_cast<uint8_t>(engine_()); }
  template <class T, size_t N>
  const T& pick(const T (&items)[N]) {
    return items[below(N)];
  }

 private:
  std::mt19937_64 engine_;
};

// Outside sanitizer builds (which reserve terabytes of address space and limit memory through
// ASAN_OPTIONS instead), a runaway allocation becomes std::bad_alloc, reported as a failure of
// its case, rather than a process that eats the machine's memory.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define WEFTKIT_TEST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define WEFTKIT_TEST_SANITIZED 1
#endif
#endif

class AddressSpaceLimit {
 public:
  explicit AddressSpaceLimit(rlim_t bytes) {
#if !defined(WEFTKIT_TEST_SANITIZED)
    if (getrlimit(RLIMIT_AS, &saved_) == 0 && (saved_.rlim_cur == RLIM_INFINITY || saved_.rlim_cur > bytes)) {
      rlimit lowered = saved_;
      lowered.rlim_cur = bytes;
      active_ = setrlimit(RLIMIT_AS, &lowered) == 0;
    }
#else
    (void)bytes;
#endif
  }
  ~AddressSpaceLimit() {
    if (active_) setrlimit(RLIMIT_AS, &saved_);
  }
  AddressSpaceLimit(const AddressSpaceLimit&) = delete;
  AddressSpaceLimit& operator=(const AddressSpaceLimit&) = delete;

 private:
  rlimit saved_{};
  bool active_ = false;
};

constexpr rlim_t kAddressSpaceLimit = rlim_t{4} << 30;

inline bool tracing() {
  static const bool enabled = std::getenv("WEFTKIT_MUTATION_TRACE") != nullptr;
  return enabled;
}

inline std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace weftkit::policy::mutation
