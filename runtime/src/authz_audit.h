// The authz_deny and authz_allow events of the runtime's checks, built only on the paths that
// report (denials, and allowed checks while a sink wants them), never on the allowed fast path.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <weftkit/audit/sink.h>
#include <weftkit/policy_version.h>

namespace weftkit {
struct EngineEvent;
}

namespace weftkit::detail {

// The SQL words of an operation, as the audit log's `operation` holds them: "SELECT", "COPY TO".
std::string_view operation_word(Operation op);
// "password", "jwt", "mtls".
std::string_view auth_method_word(AuthMethod method);

struct ContextResolution;

// One check's facts. `resolution` null when the identity did not resolve (`reason` says why).
struct CheckReport {
  const Identity* identity = nullptr;  // read only without a resolution
  const ContextResolution* resolution = nullptr;
  uint64_t generation = 0;  // 0: no version was pinned
  std::string_view operation;  // static text: operation_word(), "BEGIN"
  std::string_view table;
  bool allowed = false;
  std::optional<std::string> reason;
  uint64_t statement = 0;  // the statement's number; 0: a check outside a statement
};

// A session id for a context whose identity has none: a random prefix drawn once per process
// and a counter, "5f3a9c1e-17", so that ids do not repeat across restarts of an engine.
std::string next_session_id();

// The event an allowed check of `op` is besides authz_allow: schema_change for CREATE, ALTER
// and DROP, data_export for COPY TO; nullopt for the others.
std::optional<audit::EventKind> allowed_operation_event(Operation op);

// Records the check with `sink`, through AuditSink::record_check, as every kind it is that the
// sink wants: a denial as authz_deny; an allowed check as authz_allow and as its operation's
// own event (allowed_operation_event). The identity's fields and decided_by come shared from
// the resolution's memo, not copied.
void report_check(audit::AuditSink& sink, CheckReport&& check, std::optional<Operation> op);

// An engine's own event (EngineEvent) as a record of `sink`, if it wants the kind; false if not.
bool report_engine_event(audit::AuditSink& sink, const Identity& identity, uint64_t generation,
                         uint64_t statement, const EngineEvent& engine_event);

}  // namespace weftkit::detail
