// An AuditSink for producer tests: keeps every event it is given, for the kinds it wants.
#pragma once

#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <weftkit/audit/sink.h>

namespace weftkit::audit::testing {

class RecordingSink final : public AuditSink {
 public:
  // Empty: every kind is wanted.
  explicit RecordingSink(std::set<EventKind> wanted = {}) : wanted_(std::move(wanted)) {}

  bool wants(EventKind kind) const noexcept override { return wanted_.empty() || wanted_.count(kind) != 0; }
  void record(AuditEvent event) override {
    std::lock_guard lock(mutex_);
    events_.push_back(std::move(event));
  }

  std::vector<AuditEvent> events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }

 private:
  const std::set<EventKind> wanted_;
  mutable std::mutex mutex_;
  std::vector<AuditEvent> events_;
};

// Every text field of an event, one string, for "no secret anywhere" checks.
inline std::string all_fields(const AuditEvent& event) {
  std::string text = event.identity + "\n" + event.tenant + "\n" + event.operation + "\n" + event.resource + "\n" +
                     event.result + "\n" + event.source_ip + "\n" + event.auth_method.value_or("") + "\n" +
                     event.reason.value_or("") + "\n" + event.decided_by.value_or("") + "\n" +
                     event.session_id.value_or("") + "\n" + event.statement_id.value_or("");
  return text;
}

}  // namespace weftkit::audit::testing
