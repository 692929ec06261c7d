// The events of denied and allowed checks (authz_audit.h).
#include "runtime/src/authz_audit.h"

#include <weftkit/policy_runtime.h>

#include <atomic>
#include <cstdio>
#include <random>

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

std::string next_session_id() {
  static const uint32_t prefix = [] {
    std::random_device entropy;
    return static_cast<uint32_t>(entropy());
  }();
  static std::atomic<uint64_t> counter{0};
  char text[32];
  std::snprintf(text, sizeof text, "%08x-%llu", prefix,
                static_cast<unsigned long long>(counter.fetch_add(1, std::memory_order_relaxed) + 1));
  return text;
}

std::optional<audit::EventKind> allowed_operation_event(Operation op) {
  const uint32_t bit = uint32_t{1} << static_cast<unsigned>(op);
  if (bit & kSchemaOperations) return audit::EventKind::kSchemaChange;
  if (bit & kExportOperations) return audit::EventKind::kDataExport;
  return std::nullopt;
}

namespace {

std::shared_ptr<const audit::CheckSubject> subject_of(const CheckReport& check, const CheckAuditMemo* memo) {
  // An identity that does not resolve has no memo: its (rare) denials build the subject anew.
  return memo != nullptr ? memo->subject() : make_check_subject(*check.identity);
}

}  // namespace

void report_check(audit::AuditSink& sink, CheckReport&& check, std::optional<Operation> op) {
  const CheckAuditMemo* memo = check.resolution != nullptr ? &check.resolution->audit_memo() : nullptr;
  audit::CheckEvent event;
  event.operation = check.operation;
  event.allowed = check.allowed;
  event.statement = check.statement;
  if (check.generation != 0) event.policy_generation = check.generation;
  if (!check.allowed) {
    if (!sink.wants(audit::EventKind::kAuthzDeny)) return;
    event.kind = audit::EventKind::kAuthzDeny;
    event.subject = subject_of(check, memo);
    event.resource = std::string(check.table);
    event.reason = std::move(check.reason);
    if (op && memo != nullptr) {
      const ContextResolution& resolution = *check.resolution;
      event.decided_by = memo->decided_by(*resolution.version, resolution.principal,
                                          resolution.resource_class(check.table), *op, check.table);
      if (!event.reason) {
        // Short enough for the string's inline buffer: no allocation for the reason itself.
        event.reason = event.decided_by ? "a rule denies" : "no role allows";
      }
    }
    sink.record_check(std::move(event));
    return;
  }
  const std::optional<audit::EventKind> own = op ? allowed_operation_event(*op) : std::nullopt;
  const bool as_allow = sink.wants(audit::EventKind::kAuthzAllow);
  const bool as_own = own && sink.wants(*own);
  if (!as_allow && !as_own) return;
  event.subject = subject_of(check, memo);
  event.resource = std::string(check.table);
  event.reason = std::move(check.reason);
  if (as_allow) {
    event.kind = audit::EventKind::kAuthzAllow;
    if (!as_own) {
      sink.record_check(std::move(event));
      return;
    }
    sink.record_check(audit::CheckEvent(event));
  }
  event.kind = *own;
  sink.record_check(std::move(event));
}

bool report_engine_event(audit::AuditSink& sink, const Identity& identity, uint64_t generation,
                         uint64_t statement, const EngineEvent& engine_event) {
  if (!sink.wants(engine_event.kind)) return false;
  audit::AuditEvent event;
  event.kind = engine_event.kind;
  event.identity = identity.user;
  event.tenant = identity.tenant.value_or("");
  event.operation = std::string(engine_event.operation);
  event.resource = std::string(engine_event.resource);
  event.result = std::string(engine_event.result);
  event.source_ip = identity.source_address;
  event.auth_method = std::string(auth_method_word(identity.auth_method));
  if (!engine_event.reason.empty()) event.reason = std::string(engine_event.reason);
  if (generation != 0) event.policy_generation = generation;
  if (!identity.session_id.empty()) event.session_id = identity.session_id;
  if (statement != 0) event.statement_id = std::to_string(statement);
  sink.record(std::move(event));
  return true;
}

}  // namespace weftkit::detail
