// A TenantPages sink that reports refused cross-tenant reads to an audit sink as
// tenant_violation events. Uses the audit sink interface only (the audit library need not be
// linked): an engine passes its AuditWriter, or any other AuditSink.
#pragma once

#include <memory>

#include <weftkit/audit/sink.h>
#include <weftkit/crypto/tenant_pages.h>

namespace weftkit::crypto {

// Each refusal becomes one event: identity = the statement's user, tenant = the context's
// tenant ("" without one), operation "READ_PAGE", resource "<page tenant>/<object>/<page
// number>" (e.g. "tenant-002/17/3"), result "denied", reason saying whose page was asked for by
// whom. An empty sink, or one that does not want tenant_violation, gives an empty function.
TenantViolationSink tenant_violation_sink(std::shared_ptr<audit::AuditSink> sink);

}  // namespace weftkit::crypto
