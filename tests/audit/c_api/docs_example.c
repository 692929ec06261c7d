/* The example of docs/audit.md's "From C", compiled here as C99 so that it cannot rot
 * (docs_example_test.cc runs it and checks that the page shows exactly the code between the
 * markers). */
#include "tests/audit/c_api/docs_example.h"
/* --- docs/audit.md example begins --- */
#include <stdio.h>
#include <string.h>

#include <weftkit/audit/weftkit_audit.h>

/* At start-up: the log WEFTKIT_AUDIT_* describe, attached to the engine's store. *log stays
 * NULL when WEFTKIT_AUDIT is not true. */
int start_audit_log(weftkit_store* store, weftkit_audit_log** log) {
  weftkit_error* error = NULL;
  if (weftkit_audit_open_from_environment(log, &error) != WEFTKIT_OK ||
      weftkit_store_set_audit_log(store, *log, &error) != WEFTKIT_OK) {
    /* Every problem of the configuration, one per line; never the HMAC key. */
    fprintf(stderr, "audit log: %s\n", error != NULL ? error->message : "out of memory");
    weftkit_error_free(error);
    weftkit_audit_close(*log);
    *log = NULL;
    return -1; /* an engine asked to audit does not start without its log */
  }
  return 0;
}

/* An event of the engine's own: asked first, so that nothing is built for a kind not recorded. */
void record_export(weftkit_audit_log* log, const char* user, const char* table) {
  weftkit_audit_event event;
  if (!weftkit_audit_wants(log, WEFTKIT_AUDIT_EVENT_DATA_EXPORT)) return;
  memset(&event, 0, sizeof event); /* NULL fields are left out of the record */
  event.kind = WEFTKIT_AUDIT_EVENT_DATA_EXPORT;
  event.identity = user;
  event.operation = "COPY TO";
  event.resource = table;
  event.result = "allowed";
  weftkit_audit_submit(log, &event, NULL, NULL);
}

/* At shutdown: write and fsync what is queued, then let go of the handle. */
void stop_audit_log(weftkit_audit_log* log) {
  if (log == NULL) return;
  weftkit_audit_stop(log, NULL);
  weftkit_audit_close(log);
}
/* --- docs/audit.md example ends --- */
