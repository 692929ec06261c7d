// An audit sink for tests: keeps every event it is given, for the kinds it was told to want.
#pragma once

#include <weftkit/audit/sink.h>

#include <mutex>
#include <set>
#include <utility>
#include <vector>

namespace weftkit::testing {

class RecordingSink final : public audit::AuditSink {
 public:
  explicit RecordingSink(std::set<audit::EventKind> wanted) : wanted_(std::move(wanted)) {}

  bool wants(audit::EventKind kind) const noexcept override { return wanted_.count(kind) != 0; }
  void record(audit::AuditEvent event) override {
    std::lock_guard<std::mutex> lock(mutex_);
    events_.push_back(std::move(event));
  }

  std::vector<audit::AuditEvent> events() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return events_;
  }
  size_t count() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return events_.size();
  }

 private:
  const std::set<audit::EventKind> wanted_;
  mutable std::mutex mutex_;
  std::vector<audit::AuditEvent> events_;
};

}  // namespace weftkit::testing
