// Memory a test process uses, for tests that check that replaced policy versions are freed.
#pragma once

#include <cstddef>
#include <cstdio>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
// From the sanitizer runtime (sanitizer/allocator_interface.h, which GCC 12 does not install).
extern "C" size_t __sanitizer_get_current_allocated_bytes();
#endif

namespace weftkit::testing {

// In KiB: resident memory from /proc/self/statm; under a sanitizer, the heap its allocator
// holds for live objects. AddressSanitizer keeps freed blocks in a quarantine of up to 256 MB
// and ThreadSanitizer shadows every mapping, so their resident size grows for a long while
// whether or not anything leaks (+55 and +78 MB in two ASan runs of the hot-reload stress
// test, every version freed).
inline long memory_in_use_kib() {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  return static_cast<long>(__sanitizer_get_current_allocated_bytes() / 1024);
#else
  std::FILE* statm = std::fopen("/proc/self/statm", "r");
  long size = 0;
  long resident = 0;
  if (statm != nullptr) {
    if (std::fscanf(statm, "%ld %ld", &size, &resident) != 2) resident = 0;
    std::fclose(statm);
  }
  return resident * 4;
#endif
}

}  // namespace weftkit::testing
