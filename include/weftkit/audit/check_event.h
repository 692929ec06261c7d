// A check's event (authz_deny, authz_allow) in the parts a check can hand over without copying
// text: what stays the same for every check of one connection is built once and shared, the
// decided_by position is shared by every denial it decided, and the operation is static text.
// Sinks that only know AuditEvent get one made from it (AuditSink::record_check).
#pragma once

#include <weftkit/audit/event.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace weftkit::audit {

// Who checks: the identity's fields as the log holds them, the same for all of a context's checks.
struct CheckSubject {
  std::string identity;
  std::string tenant;
  std::string source_ip;
  std::string auth_method;
  std::string session_id;  // empty: none
};

struct CheckEvent {
  EventKind kind = EventKind::kAuthzDeny;
  std::optional<Clock::time_point> timestamp;  // unset: the sink stamps it
  std::shared_ptr<const CheckSubject> subject;  // never null
  // Static text ("SELECT", "BEGIN"): the event is queued and outlives the check.
  std::string_view operation;
  std::string resource;
  bool allowed = false;
  std::optional<uint64_t> policy_generation;
  std::optional<std::string> reason;
  std::shared_ptr<const std::string> decided_by;  // null: no rule decided it
  uint64_t statement = 0;                          // the statement's number; 0: not in a statement
};

// The same event as every other producer's, for a sink's record() or the log's formatter.
inline AuditEvent to_audit_event(CheckEvent&& check) {
  AuditEvent event;
  event.kind = check.kind;
  event.timestamp = check.timestamp;
  event.identity = check.subject->identity;
  event.tenant = check.subject->tenant;
  event.operation = std::string(check.operation);
  event.resource = std::move(check.resource);
  event.result = check.allowed ? "allowed" : "denied";
  event.source_ip = check.subject->source_ip;
  event.auth_method = check.subject->auth_method;
  event.reason = std::move(check.reason);
  event.policy_generation = check.policy_generation;
  if (check.decided_by) event.decided_by = *check.decided_by;
  if (!check.subject->session_id.empty()) event.session_id = check.subject->session_id;
  if (check.statement != 0) event.statement_id = std::to_string(check.statement);
  return event;
}

}  // namespace weftkit::audit
