// Failed logins per (user, source address): a fixed budget per minute, after which attempts
// are refused before any hashing until the minute is over. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace weftkit::auth {

class FailureThrottle {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr uint32_t kDefaultFailuresPerMinute = 5;

  // `now` lets tests move time; it defaults to the steady clock.
  explicit FailureThrottle(uint32_t failures_per_minute = kDefaultFailuresPerMinute,
                           std::function<Clock::time_point()> now = {});

  // False when the pair used up its budget this minute; such a refusal is counted.
  bool allows(std::string_view user, std::string_view source_address);
  void record_failure(std::string_view user, std::string_view source_address);
  // A good login forgets the pair's failures (a user who mistyped twice starts afresh).
  void record_success(std::string_view user, std::string_view source_address);

  uint64_t failures() const;
  uint64_t throttled() const;

 private:
  struct Window {
    Clock::time_point start;
    uint32_t failures = 0;
  };
  using Key = std::pair<std::string, std::string>;
  Clock::time_point now() const { return now_ ? now_() : Clock::now(); }
  void forget_expired(Clock::time_point now);

  const uint32_t failures_per_minute_;
  const std::function<Clock::time_point()> now_;
  mutable std::mutex mutex_;
  std::map<Key, Window, std::less<>> windows_;
  uint64_t failures_ = 0;
  uint64_t throttled_ = 0;
};

}  // namespace weftkit::auth
