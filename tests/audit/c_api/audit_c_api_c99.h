/* The C99 caller of the audit C API (audit_c_api_c99.c). */
#ifndef WEFTKIT_TESTS_AUDIT_C_API_C99_H
#define WEFTKIT_TESTS_AUDIT_C_API_C99_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* 0 when all of this worked: opens a log on `path`, submits one event of its own, attaches the log to a store compiled from
 * `roles` and `policies`, has `user` denied DELETE on `table`, closes the handle, frees the
 * store and reads the file back. `report` says what went wrong. */
int weftkit_audit_c99_denied_check(const char* path, const char* roles, const char* policies, const char* user,
                                   const char* table, char* report, size_t report_size);

#ifdef __cplusplus
}
#endif

#endif
