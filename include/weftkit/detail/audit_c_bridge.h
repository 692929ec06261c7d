// For C++ libraries whose C API takes a weftkit_audit_log (weftkit_audit.h): the sink behind
// the handle, shared, so that the library may keep it past the call (the auth C API's
// authenticators). C++ only; engines written in C never include it.
#pragma once

#include <memory>

#include <weftkit/audit/sink.h>
#include <weftkit/audit/weftkit_audit.h>

namespace weftkit::audit::c_api {

std::shared_ptr<AuditSink> shared_sink_of(const weftkit_audit_log& log);

}  // namespace weftkit::audit::c_api
