// The C API's enums against the C++ ones they mirror.
#include "audit/c_api/handles.h"

namespace weftkit::audit::c_api {

// The C values are the C++ enumerators' positions, so a range check is the whole conversion.
static_assert(static_cast<int>(EventKind::kAuth) == WEFTKIT_AUDIT_EVENT_AUTH);
static_assert(static_cast<int>(EventKind::kAuthzDeny) == WEFTKIT_AUDIT_EVENT_AUTHZ_DENY);
static_assert(static_cast<int>(EventKind::kAuthzAllow) == WEFTKIT_AUDIT_EVENT_AUTHZ_ALLOW);
static_assert(static_cast<int>(EventKind::kSchemaChange) == WEFTKIT_AUDIT_EVENT_SCHEMA_CHANGE);
static_assert(static_cast<int>(EventKind::kDataExport) == WEFTKIT_AUDIT_EVENT_DATA_EXPORT);
static_assert(static_cast<int>(EventKind::kPolicyReload) == WEFTKIT_AUDIT_EVENT_POLICY_RELOAD);
static_assert(static_cast<int>(EventKind::kKeyRotation) == WEFTKIT_AUDIT_EVENT_KEY_ROTATION);
static_assert(static_cast<int>(EventKind::kTenantViolation) == WEFTKIT_AUDIT_EVENT_TENANT_VIOLATION);

std::optional<EventKind> kind_of(weftkit_audit_kind kind) {
  const int value = static_cast<int>(kind);
  if (value < WEFTKIT_AUDIT_EVENT_AUTH || value > WEFTKIT_AUDIT_EVENT_TENANT_VIOLATION) return std::nullopt;
  return static_cast<EventKind>(value);
}

}  // namespace weftkit::audit::c_api
