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

// One check's facts. `principal` null when the identity did not resolve (`reason` says why).
struct CheckReport {
  const Identity* identity = nullptr;
  const PolicyVersion* version = nullptr;
  const ResolvedPrincipal* principal = nullptr;
  uint64_t generation = 0;  // 0: no version was pinned
  std::string_view operation;
  std::string_view table;
  bool allowed = false;
  std::optional<std::string> reason;
};

// Records the check with `sink` if it wants its kind (nothing if `sink` is null).
void report_check(audit::AuditSink* sink, const CheckReport& check, std::optional<Operation> op);

}  // namespace weftkit::detail
