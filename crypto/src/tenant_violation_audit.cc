// Refused cross-tenant page reads as tenant_violation audit events.
#include <weftkit/crypto/tenant_violation_audit.h>

#include <string>
#include <utility>

namespace weftkit::crypto {

TenantViolationSink tenant_violation_sink(std::shared_ptr<audit::AuditSink> sink) {
  // Decided once: the configured event kinds do not change while the sink lives.
  if (sink == nullptr || !sink->wants(audit::EventKind::kTenantViolation)) return {};
  return [sink = std::move(sink)](const TenantViolation& violation) {
    audit::AuditEvent event;
    event.kind = audit::EventKind::kTenantViolation;
    event.identity = violation.user;
    event.tenant = violation.context_tenant.value_or("");
    event.operation = "READ_PAGE";
    event.resource = violation.page_tenant + "/" + std::to_string(violation.page.object) + "/" +
                     std::to_string(violation.page.page_number);
    event.result = "denied";
    event.reason = violation.context_tenant
                       ? "a page of tenant '" + violation.page_tenant + "' asked for by tenant '" +
                             *violation.context_tenant + "'"
                       : "a page of tenant '" + violation.page_tenant + "' asked for without a tenant";
    sink->record(std::move(event));
  };
}

}  // namespace weftkit::crypto
