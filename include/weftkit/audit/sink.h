// Where producers (the runtime's checks, the auth module, policy reloads, the page cipher)
// report security events. The runtime and the other modules depend on this interface only,
// never on the writer, so an engine may attach the audit library's AuditWriter, its own
// forwarder, or nothing.
#pragma once

#include <weftkit/audit/event.h>

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
};

}  // namespace weftkit::audit
