// Recording through the C handle: events, the writer's health and counters, and stopping.
#include <optional>
#include <string>

#include <weftkit/detail/c_api_bridge.h>

#include "audit/c_api/handles.h"

using weftkit::c_api::fail;
using weftkit::c_api::guarded;

namespace weftkit::audit::c_api {
namespace {

std::string text_of(const char* text) { return text == nullptr ? std::string() : std::string(text); }

std::optional<std::string> optional_text_of(const char* text) {
  if (text == nullptr) return std::nullopt;
  return std::string(text);
}

AuditEvent event_from_c(const weftkit_audit_event& in, EventKind kind) {
  AuditEvent event;
  event.kind = kind;
  event.identity = text_of(in.identity);
  event.tenant = text_of(in.tenant);
  event.operation = text_of(in.operation);
  event.resource = text_of(in.resource);
  event.result = text_of(in.result);
  event.source_ip = text_of(in.source_ip);
  event.auth_method = optional_text_of(in.auth_method);
  event.reason = optional_text_of(in.reason);
  if (in.policy_generation != nullptr) event.policy_generation = *in.policy_generation;
  event.decided_by = optional_text_of(in.decided_by);
  event.session_id = optional_text_of(in.session_id);
  event.statement_id = optional_text_of(in.statement_id);
  return event;
}

}  // namespace
}  // namespace weftkit::audit::c_api

extern "C" {

bool weftkit_audit_wants(const weftkit_audit_log* log, weftkit_audit_kind kind) {
  if (log == nullptr) return false;
  const std::optional<weftkit::audit::EventKind> known = weftkit::audit::c_api::kind_of(kind);
  return known.has_value() && log->writer->wants(*known);
}

weftkit_status weftkit_audit_submit(weftkit_audit_log* log, const weftkit_audit_event* event, bool* queued,
                                    weftkit_error** error) {
  return guarded(error, [&]() -> weftkit_status {
    if (log == nullptr || event == nullptr) {
      return fail(WEFTKIT_INVALID_ARGUMENT, "weftkit_audit_submit: log and event must not be NULL", error);
    }
    const std::optional<weftkit::audit::EventKind> kind = weftkit::audit::c_api::kind_of(event->kind);
    if (!kind) return fail(WEFTKIT_INVALID_ARGUMENT, "weftkit_audit_submit: event->kind is not a weftkit_audit_kind", error);
    // An unwanted kind costs no copy of the strings.
    const bool kept = log->writer->wants(*kind) &&
                      log->writer->submit(weftkit::audit::c_api::event_from_c(*event, *kind));
    if (queued != nullptr) *queued = kept;
    return WEFTKIT_OK;
  });
}

bool weftkit_audit_healthy(const weftkit_audit_log* log) { return log != nullptr && log->writer->healthy(); }

weftkit_status weftkit_audit_get_stats(const weftkit_audit_log* log, weftkit_audit_stats* out, weftkit_error** error) {
  return guarded(error, [&]() -> weftkit_status {
    if (log == nullptr || out == nullptr) {
      return fail(WEFTKIT_INVALID_ARGUMENT, "weftkit_audit_get_stats: log and out must not be NULL", error);
    }
    const weftkit::audit::WriterStats stats = log->writer->stats();
    *out = weftkit_audit_stats{stats.written, stats.dropped, stats.rotations, stats.write_errors};
    return WEFTKIT_OK;
  });
}

weftkit_status weftkit_audit_stop(weftkit_audit_log* log, weftkit_error** error) {
  return guarded(error, [&]() -> weftkit_status {
    if (log == nullptr) return fail(WEFTKIT_INVALID_ARGUMENT, "weftkit_audit_stop: log must not be NULL", error);
    log->writer->stop();
    return WEFTKIT_OK;
  });
}

}  // extern "C"
