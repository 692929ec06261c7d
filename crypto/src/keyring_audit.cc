// key_rotation events, one per rotate, rewrap or retire call.
#include "crypto/src/keyring_audit.h"

#include <utility>

#include <weftkit/audit/sink.h>

namespace weftkit::crypto::detail {

bool audits_key_changes(const KeyringSettings& settings) {
  return settings.audit_sink != nullptr && settings.audit_sink->wants(audit::EventKind::kKeyRotation);
}

void report_key_change(const KeyringSettings& settings, std::string_view operation, std::string tenant,
                       const Error* failure, std::string detail) {
  audit::AuditEvent event;
  event.kind = audit::EventKind::kKeyRotation;
  event.identity = settings.audit_identity;
  event.tenant = std::move(tenant);
  event.operation = std::string(operation);
  event.resource = settings.path;
  event.result = failure == nullptr ? "success" : "failure";
  // The error's name, not its message: the name is stable, and says no more than it must.
  event.reason = failure == nullptr ? std::move(detail) : std::string(failure->name()) + ": " + detail;
  settings.audit_sink->record(std::move(event));
}

}  // namespace weftkit::crypto::detail
