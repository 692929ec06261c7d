// The struct behind the audit C API's handle (include/weftkit/audit/weftkit_audit.h) and what
// its translation units share. Private to audit/c_api/.
#pragma once

#include <memory>
#include <optional>

#include <weftkit/audit/weftkit_audit.h>
#include <weftkit/audit/writer.h>

// Shared, not owned: stores and authenticators it is attached to hold the same writer, so the
// handle may be closed before them (weftkit_audit.h, Ownership).
struct weftkit_audit_log {
  std::shared_ptr<weftkit::audit::AuditWriter> writer;
};

namespace weftkit::audit::c_api {

// The C++ kind of a C one; nullopt for a value outside the enum (a C caller may pass any int).
std::optional<EventKind> kind_of(weftkit_audit_kind kind);

}  // namespace weftkit::audit::c_api
