// Engine events through the C API: a context's or statement's EngineEvent, recorded with the
// log attached to the context's store.
#include <optional>
#include <string>

#include <weftkit/detail/c_api_bridge.h>

#include "audit/c_api/handles.h"

using weftkit::c_api::fail;
using weftkit::c_api::guarded;

namespace {

// Checks the arguments and converts the event, or fails with a message naming `function`.
template <class Handle, class Record>
weftkit_status report_engine_event(const char* function, const Handle* handle, const weftkit_engine_event* event,
                                   bool* recorded, weftkit_error** error, Record&& record) {
  return guarded(error, [&]() -> weftkit_status {
    if (recorded != nullptr) *recorded = false;
    if (handle == nullptr || event == nullptr) {
      return fail(WEFTKIT_INVALID_ARGUMENT, std::string(function) + ": the handle and event must not be NULL", error);
    }
    const std::optional<weftkit::audit::EventKind> kind = weftkit::audit::c_api::kind_of(event->kind);
    if (!kind) {
      return fail(WEFTKIT_INVALID_ARGUMENT, std::string(function) + ": event->kind is not a weftkit_audit_kind", error);
    }
    weftkit::EngineEvent engine_event;
    engine_event.kind = *kind;
    if (event->operation != nullptr) engine_event.operation = event->operation;
    if (event->resource != nullptr) engine_event.resource = event->resource;
    if (event->result != nullptr) engine_event.result = event->result;
    if (event->reason != nullptr) engine_event.reason = event->reason;
    const bool kept = record(*handle, engine_event);
    if (recorded != nullptr) *recorded = kept;
    return WEFTKIT_OK;
  });
}

}  // namespace

extern "C" {

weftkit_status weftkit_context_report(const weftkit_context* context, const weftkit_engine_event* event,
                                      bool* recorded, weftkit_error** error) {
  return report_engine_event("weftkit_context_report", context, event, recorded, error,
                             [](const weftkit_context& handle, const weftkit::EngineEvent& engine_event) {
                               return weftkit::c_api::context_of(handle).report(engine_event);
                             });
}

weftkit_status weftkit_statement_report(const weftkit_statement* statement, const weftkit_engine_event* event,
                                        bool* recorded, weftkit_error** error) {
  return report_engine_event("weftkit_statement_report", statement, event, recorded, error,
                             [](const weftkit_statement& handle, const weftkit::EngineEvent& engine_event) {
                               return weftkit::c_api::statement_of(handle).report(engine_event);
                             });
}

}  // extern "C"
