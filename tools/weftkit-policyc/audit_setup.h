// The audit log of the verbs that act as an engine would (watch): an AuditWriter from the same
// checked WEFTKIT_AUDIT_* configuration an engine reads.
#pragma once

#include <memory>

#include <weftkit/audit/writer.h>
#include <weftkit/status.h>

namespace weftkit::policy::cli {

// Null when WEFTKIT_AUDIT is not true; an error when the configuration does not load (with
// WEFTKIT_AUDIT set, an audit log that cannot be opened must not be silently skipped) or the
// log cannot be opened.
StatusOr<std::shared_ptr<audit::AuditWriter>> audit_writer_from_environment();

}  // namespace weftkit::policy::cli
