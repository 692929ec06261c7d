// The events of denied and allowed checks (authz_audit.h).
#include "runtime/src/authz_audit.h"

namespace weftkit::detail {

std::string_view operation_word(Operation op) {
  switch (op) {
    case Operation::kSelect: return "SELECT";
    case Operation::kInsert: return "INSERT";
    case Operation::kUpdate: return "UPDATE";
    case Operation::kDelete: return "DELETE";
    case Operation::kTruncate: return "TRUNCATE";
    case Operation::kReferences: return "REFERENCES";
    case Operation::kTrigger: return "TRIGGER";
    case Operation::kCopyTo: return "COPY TO";
    case Operation::kCopyFrom: return "COPY FROM";
    case Operation::kCreate: return "CREATE";
    case Operation::kAlter: return "ALTER";
    case Operation::kDrop: return "DROP";
    case Operation::kGrant: return "GRANT";
    case Operation::kRevoke: return "REVOKE";
    case Operation::kConnect: return "CONNECT";
    case Operation::kExecute: return "EXECUTE";
  }
  return "UNKNOWN";
}

std::string_view auth_method_word(AuthMethod method) {
  switch (method) {
    case AuthMethod::kPassword: return "password";
    case AuthMethod::kJwt: return "jwt";
    case AuthMethod::kMtls: return "mtls";
  }
  return "unknown";
}

void report_check(audit::AuditSink* sink, const CheckReport& check, std::optional<Operation> op) {
  if (sink == nullptr) return;
  const audit::EventKind kind = check.allowed ? audit::EventKind::kAuthzAllow : audit::EventKind::kAuthzDeny;
  if (!sink->wants(kind)) return;
  audit::AuditEvent event;
  event.kind = kind;
  event.identity = check.identity->user;
  event.tenant = check.identity->tenant.value_or("");
  event.operation = std::string(check.operation);
  event.resource = std::string(check.table);
  event.result = check.allowed ? "allowed" : "denied";
  event.source_ip = check.identity->source_address;
  event.auth_method = std::string(auth_method_word(check.identity->auth_method));
  if (check.generation != 0) event.policy_generation = check.generation;
  event.reason = check.reason;
  if (!check.allowed && op && check.principal != nullptr && check.version != nullptr) {
    event.decided_by = check.version->denied_by(*check.principal, *op, check.table);
    if (!event.reason) {
      // Short enough for the string's inline buffer: no allocation for the reason itself.
      event.reason = event.decided_by ? "a rule denies" : "no role allows";
    }
  }
  sink->record(std::move(event));
}

}  // namespace weftkit::detail
