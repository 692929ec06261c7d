// The serving policy version and its replacement (see policy_runtime.h, detail/rcu_cell.h).
#include <weftkit/policy_runtime.h>

#include "runtime/src/resource_name_cache.h"

namespace weftkit {

PolicyStore::PolicyStore(std::shared_ptr<const PolicyVersion> initial)
    : reclaimer_(detail::Reclaimer::start()),
      current_(std::make_shared<const Serving>(
          Serving{reclaimer_->adopt(std::move(initial)), 1, std::make_shared<const detail::ResourceNameCache>()})) {}

void PolicyStore::publish(std::shared_ptr<const PolicyVersion> next) {
  if (!next) return;
  // Whoever lets go of it last, the reclaimer thread frees it.
  next = reclaimer_->adopt(std::move(next));
  uint64_t generation = 0;
  current_.update([&](const std::shared_ptr<const Serving>& serving) {
    generation = serving->generation + 1;
    return std::make_shared<const Serving>(
        Serving{std::move(next), generation, std::make_shared<const detail::ResourceNameCache>()});
  });
  // After the version: whoever sees the new generation finds (at least) the new version.
  {
    std::lock_guard<std::mutex> writers(generation_writers_);
    uint64_t reporting = generation_.load(std::memory_order_relaxed) & kAuditBits;
    generation_.store(generation | reporting, std::memory_order_release);
  }
  // Versions readers let go of since the last publish are freed here, by the reloading
  // thread; the reclaimer thread frees those let go of later.
  reclaimer_->reclaim_now();
}

void PolicyStore::set_audit_sink(std::shared_ptr<audit::AuditSink> sink) {
  const bool report_allowed = sink && sink->wants(audit::EventKind::kAuthzAllow);
  const bool report_denied = sink && sink->wants(audit::EventKind::kAuthzDeny);
  const bool report_schema = sink && sink->wants(audit::EventKind::kSchemaChange);
  const bool report_export = sink && sink->wants(audit::EventKind::kDataExport);
  std::lock_guard<std::mutex> writers(generation_writers_);
  // The sink first, then the bit: a check sent down the slow path by the bit finds the sink.
  const bool attached = sink != nullptr;
  audit_.store(std::make_shared<const AuditAttachment>(AuditAttachment{std::move(sink)}));
  audit_attached_.store(attached, std::memory_order_release);
  uint64_t generation = generation_.load(std::memory_order_relaxed) & ~kAuditBits;
  generation |= (report_allowed ? kAuditAllowedChecks : 0) | (report_denied ? kAuditDeniedChecks : 0) |
                (report_schema ? kAuditSchemaChecks : 0) | (report_export ? kAuditExportChecks : 0);
  generation_.store(generation, std::memory_order_release);
}

}  // namespace weftkit
