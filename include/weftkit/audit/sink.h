// Where producers (the runtime's checks, the auth module, policy reloads, the page cipher)
// report security events. The runtime and the other modules depend on this interface only,
// never on the writer, so an engine may attach the audit library's AuditWriter, its own
// forwarder, or nothing.
#pragma once

#include <weftkit/audit/check_event.h>
#include <weftkit/audit/event.h>

#include <utility>

namespace weftkit::audit {

class AuditSink {
 public:
  virtual ~AuditSink() = default;

  // Whether events of `kind` are recorded at all. Producers ask before building an event, so a
  // kind nobody records costs no allocation. Cheap, lock-free and thread-safe.
  virtual bool wants(EventKind kind) const noexcept = 0;

  // Records one event. Thread-safe. May wait (a full queue in block mode) but never fails the
  // producer: whether the event was kept is the sink's business (counted, reported).
  virtual void record(AuditEvent event) = 0;

  // Records one check (authz_deny, authz_allow), as record() does. The runtime reports checks
  // here so that a denial copies pointers, not the identity's strings; a sink that queues
  // events (AuditWriter) keeps the CheckEvent and expands it off the checking thread. By
  // default the event is expanded here and given to record(). Taken by reference so that the
  // check's event is moved once, into the sink's queue, not once more into a parameter.
  virtual void record_check(CheckEvent&& event) { record(to_audit_event(std::move(event))); }
};

}  // namespace weftkit::audit
