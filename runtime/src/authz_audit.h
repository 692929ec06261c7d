// The authz_deny and authz_allow events of the runtime's checks, built only on the paths that
// report (denials, and allowed checks while a sink wants them), never on the allowed fast path.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <weftkit/audit/sink.h>
#include <weftkit/policy_version.h>

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
};

// Records the check with `sink` if it wants its kind, through AuditSink::record_check: the
// identity's fields and decided_by come shared from the resolution's memo, not copied.
void report_check(audit::AuditSink& sink, CheckReport&& check, std::optional<Operation> op);

}  // namespace weftkit::detail
