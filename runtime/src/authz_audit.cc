// The events of denied and allowed checks (authz_audit.h).
#include "runtime/src/authz_audit.h"

#include "runtime/src/check_audit_memo.h"
#include "runtime/src/context_resolution.h"

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

void report_check(audit::AuditSink& sink, CheckReport&& check, std::optional<Operation> op) {
  const audit::EventKind kind = check.allowed ? audit::EventKind::kAuthzAllow : audit::EventKind::kAuthzDeny;
  if (!sink.wants(kind)) return;
  const CheckAuditMemo* memo = check.resolution != nullptr ? &check.resolution->audit_memo() : nullptr;
  audit::CheckEvent event;
  event.kind = kind;
  // An identity that does not resolve has no memo: its (rare) denials build the subject anew.
  event.subject = memo != nullptr ? memo->subject() : make_check_subject(*check.identity);
  event.operation = check.operation;
  event.resource = std::string(check.table);
  event.allowed = check.allowed;
  if (check.generation != 0) event.policy_generation = check.generation;
  event.reason = std::move(check.reason);
  if (!check.allowed && op && memo != nullptr) {
    const ContextResolution& resolution = *check.resolution;
    event.decided_by = memo->decided_by(*resolution.version, resolution.principal,
                                        resolution.resource_class(check.table), *op, check.table);
    if (!event.reason) {
      // Short enough for the string's inline buffer: no allocation for the reason itself.
      event.reason = event.decided_by ? "a rule denies" : "no role allows";
    }
  }
  sink.record_check(std::move(event));
}

}  // namespace weftkit::detail
