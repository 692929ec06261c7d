// The audit writer the auth and keys verbs report to: opened from the WEFTKIT_AUDIT*
// variables when WEFTKIT_AUDIT=true, and stopped (everything written and fsynced) before the
// process exits.
#pragma once

#include <memory>
#include <string>

#include <weftkit/audit/writer.h>

namespace weftkit::policy::cli {

struct CliAudit {
  std::shared_ptr<audit::AuditWriter> writer;  // null: auditing is off
  bool failed = false;  // a WEFTKIT_AUDIT* problem or an output that cannot be opened (printed)
};

// Reads only the WEFTKIT_AUDIT* variables, so that the verb's own configuration problems are
// reported by the verb as before.
CliAudit open_cli_audit();

// Stops the writer, if any, and says on stderr when records could not be written. Returns
// `exit_code` unchanged: the verb's work is done either way.
int finish_cli_audit(CliAudit& audit, int exit_code);

// Who the verbs' events name: the operator's login name ($USER, else $LOGNAME, else "uid N").
std::string cli_operator();

}  // namespace weftkit::policy::cli
