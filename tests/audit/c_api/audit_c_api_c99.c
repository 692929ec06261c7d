/* The audit C API used from strict C99, as C engines call it: options, an event of the
 * engine's own, a log attached to a store that denies a check, the handle closed while the
 * store still holds the log, and the file read back. Called by c99_test.cc. */
#include <stdio.h>
#include <string.h>

#include <weftkit/audit/weftkit_audit.h>
#include <weftkit/auth/weftkit_auth.h> /* both headers in one C99 unit: no typedef clashes */
#include <weftkit/weftkit_policy.h>

#include "tests/audit/c_api/audit_c_api_c99.h"

static int file_contains(const char* path, const char* text) {
  char line[4096];
  int found = 0;
  FILE* file = fopen(path, "r");
  if (file == NULL) return 0;
  while (!found && fgets(line, sizeof line, file) != NULL) found = strstr(line, text) != NULL;
  fclose(file);
  return found;
}

int weftkit_audit_c99_denied_check(const char* path, const char* roles, const char* policies, const char* user,
                                   const char* table, char* report, size_t report_size) {
  weftkit_audit_options options;
  weftkit_audit_log* log = NULL;
  weftkit_compiler* compiler = NULL;
  weftkit_store* store = NULL;
  weftkit_context* context = NULL;
  weftkit_error* error = NULL;
  weftkit_identity identity;
  weftkit_audit_event event;
  weftkit_audit_stats stats;
  const char* files[2];
  const weftkit_audit_kind kinds[2] = {WEFTKIT_AUDIT_EVENT_AUTHZ_DENY, WEFTKIT_AUDIT_EVENT_SCHEMA_CHANGE};
  bool queued = false;
  int result = 1;
  files[0] = roles;
  files[1] = policies;
  memset(&identity, 0, sizeof identity);
  memset(&event, 0, sizeof event);
  report[0] = '\0';

  weftkit_audit_options_init(&options);
  options.output = path;
  options.events = kinds;
  options.event_count = 2;
  options.fsync = WEFTKIT_AUDIT_FSYNC_ALWAYS;
  event.kind = WEFTKIT_AUDIT_EVENT_SCHEMA_CHANGE;
  event.identity = user;
  event.operation = "CREATE";
  event.resource = "c99_table";
  event.result = "success";
  identity.user = user;
  if (weftkit_audit_open(&options, &log, &error) != WEFTKIT_OK ||
      weftkit_audit_submit(log, &event, &queued, &error) != WEFTKIT_OK ||
      weftkit_compiler_create(&compiler, &error) != WEFTKIT_OK ||
      weftkit_compiler_compile(compiler, files, 2, &store, &error) != WEFTKIT_OK ||
      weftkit_store_set_audit_log(store, log, &error) != WEFTKIT_OK ||
      weftkit_context_build(store, &identity, &context, &error) != WEFTKIT_OK) {
    snprintf(report, report_size, "%s: %s", error ? weftkit_status_name(error->code) : "?",
             error ? error->message : "no message");
    goto done;
  }
  if (!queued || !weftkit_audit_wants(log, WEFTKIT_AUDIT_EVENT_AUTHZ_DENY) ||
      weftkit_audit_wants(log, WEFTKIT_AUDIT_EVENT_AUTH) || !weftkit_audit_healthy(log)) {
    snprintf(report, report_size, "the log did not take its own event or misreports what it wants");
    goto done;
  }
  if (weftkit_allowed(context, WEFTKIT_OP_DELETE, table)) {
    snprintf(report, report_size, "%s was allowed DELETE on %s", user, table);
    goto done;
  }
  /* Closed while the store holds it: the denial above is still written, when the store goes. */
  weftkit_audit_close(log);
  log = NULL;
  weftkit_context_free(context);
  context = NULL;
  weftkit_store_free(store);
  store = NULL;
  if (!file_contains(path, "\"event\":\"authz_deny\"") || !file_contains(path, "\"resource\":\"c99_table\"")) {
    snprintf(report, report_size, "the file lacks the denial or the engine's own event");
    goto done;
  }
  if (weftkit_audit_get_stats(NULL, &stats, &error) != WEFTKIT_INVALID_ARGUMENT || error == NULL) {
    snprintf(report, report_size, "weftkit_audit_get_stats accepted a NULL log");
    goto done;
  }
  snprintf(report, report_size, "ok");
  result = 0;
done:
  weftkit_error_free(error);
  weftkit_context_free(context);
  weftkit_store_free(store);
  weftkit_compiler_free(compiler);
  weftkit_audit_close(log);
  return result;
}
