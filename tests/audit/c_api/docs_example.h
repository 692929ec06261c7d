/* docs/audit.md's C example (docs_example.c). */
#ifndef WEFTKIT_TESTS_AUDIT_C_API_DOCS_EXAMPLE_H
#define WEFTKIT_TESTS_AUDIT_C_API_DOCS_EXAMPLE_H

#include <weftkit/audit/weftkit_audit.h>

#ifdef __cplusplus
extern "C" {
#endif

int start_audit_log(weftkit_store* store, weftkit_audit_log** log);
void record_export(weftkit_audit_log* log, const char* user, const char* table);
void stop_audit_log(weftkit_audit_log* log);

#ifdef __cplusplus
}
#endif

#endif
