// Attaching a C handle's log to a runtime store, and handing its sink to the other C APIs
// (weftkit/detail/audit_c_bridge.h).
#include <weftkit/detail/audit_c_bridge.h>
#include <weftkit/detail/c_api_bridge.h>

#include "audit/c_api/handles.h"

using weftkit::c_api::fail;
using weftkit::c_api::guarded;

namespace weftkit::audit::c_api {

// The writer itself, shared: whoever keeps it keeps the log open after the handle is closed.
std::shared_ptr<AuditSink> shared_sink_of(const weftkit_audit_log& log) { return log.writer; }

}  // namespace weftkit::audit::c_api

extern "C" {

weftkit_status weftkit_store_set_audit_log(weftkit_store* store, weftkit_audit_log* log, weftkit_error** error) {
  return guarded(error, [&]() -> weftkit_status {
    if (store == nullptr) {
      return fail(WEFTKIT_INVALID_ARGUMENT, "weftkit_store_set_audit_log: store must not be NULL", error);
    }
    weftkit::c_api::store_of(*store).set_audit_sink(log == nullptr ? nullptr
                                                                   : weftkit::audit::c_api::shared_sink_of(*log));
    return WEFTKIT_OK;
  });
}

}  // extern "C"
