// Fixed one-minute windows per (user, address), starting at the pair's first failure.
#include "weftkit/auth/failure_throttle.h"

namespace weftkit::auth {
namespace {

constexpr auto kWindow = std::chrono::minutes(1);
// Beyond this many pairs, windows that are over are dropped (they no longer limit anything).
constexpr size_t kPairsBeforeCleanup = 65536;

}  // namespace

FailureThrottle::FailureThrottle(uint32_t failures_per_minute, std::function<Clock::time_point()> now)
    : failures_per_minute_(failures_per_minute), now_(std::move(now)) {}

bool FailureThrottle::allows(std::string_view user, std::string_view source_address) {
  const Clock::time_point at = now();
  std::lock_guard lock(mutex_);
  auto found = windows_.find(Key(user, source_address));
  if (found == windows_.end()) return true;
  if (at - found->second.start >= kWindow) {
    windows_.erase(found);
    return true;
  }
  if (found->second.failures < failures_per_minute_) return true;
  ++throttled_;
  return false;
}

void FailureThrottle::record_failure(std::string_view user, std::string_view source_address) {
  const Clock::time_point at = now();
  std::lock_guard lock(mutex_);
  ++failures_;
  if (windows_.size() >= kPairsBeforeCleanup) forget_expired(at);
  auto [window, inserted] = windows_.try_emplace(Key(user, source_address), Window{at, 0});
  if (!inserted && at - window->second.start >= kWindow) window->second = Window{at, 0};
  ++window->second.failures;
}

void FailureThrottle::record_success(std::string_view user, std::string_view source_address) {
  std::lock_guard lock(mutex_);
  auto found = windows_.find(Key(user, source_address));
  if (found != windows_.end()) windows_.erase(found);
}

uint64_t FailureThrottle::failures() const {
  std::lock_guard lock(mutex_);
  return failures_;
}

uint64_t FailureThrottle::throttled() const {
  std::lock_guard lock(mutex_);
  return throttled_;
}

void FailureThrottle::forget_expired(Clock::time_point now) {
  for (auto it = windows_.begin(); it != windows_.end();) {
    it = now - it->second.start >= kWindow ? windows_.erase(it) : std::next(it);
  }
}

}  // namespace weftkit::auth
