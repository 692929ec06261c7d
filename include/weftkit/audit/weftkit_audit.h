/* The C API of WeftKit's audit log, for engines not written in C++: open the hash-chained
 * audit log (from the WEFTKIT_AUDIT_* variables or from explicit options), record events,
 * and attach the log to a runtime store (denied and allowed checks, policy reloads) and to
 * the authenticators of the auth C API (logins; weftkit_authenticator_create_audited in
 * weftkit_auth.h).
 *
 * Plain C99 (also valid C++). Link weftkit_audit (installed: libweftkit_audit.so, CMake target
 * WeftKitPolicy::audit, pkg-config weftkit-policy-audit; in the source tree weftkit_audit_c); it
 * links weftkit_runtime.
 *
 * Conventions: those of weftkit_policy.h
 *  - Every fallible call returns a weftkit_status; WEFTKIT_OK is 0. A handle out-parameter is
 *    set to NULL when the call fails; other out-parameters are written only on success.
 *  - `weftkit_error** error` may be NULL. Otherwise *error is set to NULL on success and, on
 *    failure, to a weftkit_error the caller frees with weftkit_error_free.
 *  - A NULL handle or required pointer is never dereferenced: WEFTKIT_INVALID_ARGUMENT.
 *  - No C++ exception crosses this API; an allocation failure is WEFTKIT_INTERNAL with the
 *    message "out of memory".
 *  - Strings passed in are NUL-terminated UTF-8 and copied. No message ever holds the HMAC
 *    key.
 *
 * Ownership, lifetime, threads
 *  - A log is shared: the handle, and every store and authenticator it is attached to, each
 *    hold a reference. weftkit_audit_close lets go of the handle's reference only; the writer
 *    writes what is queued, fsyncs and stops when the last holder lets go (weftkit_store_free,
 *    weftkit_authenticator_free, or weftkit_store_set_audit_log(store, NULL)). So closing the
 *    handle while a store still reports to it is safe, and the store keeps recording.
 *  - weftkit_audit_stop stops the writer at once for every holder (a clean shutdown: call it
 *    before the process exits, or records still queued may be lost). Events recorded after
 *    it are not written.
 *  - Every function is thread-safe: any thread may submit while others check, log in or
 *    reload. The one exception is weftkit_audit_close, after which that handle is not used.
 */
#ifndef WEFTKIT_AUDIT_H
#define WEFTKIT_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* weftkit_status, weftkit_error, weftkit_store and WEFTKIT_ENUM_BASE; one directory up from
 * this header wherever the headers are installed. */
#include "../weftkit_policy.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped whenever a signature, a struct layout or an enum value below changes. */
#define WEFTKIT_AUDIT_API_VERSION 1

/* The WEFTKIT_AUDIT_API_VERSION the library was built with. */
uint32_t weftkit_audit_api_version(void);

typedef struct weftkit_audit_log weftkit_audit_log; /* thread-safe, shared (see above) */

/* The kinds of events, as WEFTKIT_AUDIT_EVENTS names them ("auth", "authz_deny", ...). */
typedef enum weftkit_audit_kind WEFTKIT_ENUM_BASE {
  WEFTKIT_AUDIT_EVENT_AUTH = 0,
  WEFTKIT_AUDIT_EVENT_AUTHZ_DENY = 1,
  WEFTKIT_AUDIT_EVENT_AUTHZ_ALLOW = 2,
  WEFTKIT_AUDIT_EVENT_SCHEMA_CHANGE = 3,
  WEFTKIT_AUDIT_EVENT_DATA_EXPORT = 4,
  WEFTKIT_AUDIT_EVENT_POLICY_RELOAD = 5,
  WEFTKIT_AUDIT_EVENT_KEY_ROTATION = 6,
  WEFTKIT_AUDIT_EVENT_TENANT_VIOLATION = 7
} weftkit_audit_kind;

/* WEFTKIT_AUDIT_OVERFLOW: what a producer does when the writer's queue is full. */
typedef enum weftkit_audit_overflow WEFTKIT_ENUM_BASE {
  WEFTKIT_AUDIT_OVERFLOW_BLOCK = 0, /* wait for room: no event is lost */
  WEFTKIT_AUDIT_OVERFLOW_DROP = 1   /* drop the event and count it in an events_dropped record */
} weftkit_audit_overflow;

/* WEFTKIT_AUDIT_FSYNC: when the writer fsyncs the file. */
typedef enum weftkit_audit_fsync WEFTKIT_ENUM_BASE {
  WEFTKIT_AUDIT_FSYNC_ALWAYS = 0,   /* after every batch of records */
  WEFTKIT_AUDIT_FSYNC_INTERVAL = 1, /* at most once a second */
  WEFTKIT_AUDIT_FSYNC_NEVER = 2     /* left to the kernel */
} weftkit_audit_fsync;

/* ---------------------------------------------------------------------------------------- */
/* Opening                                                                                   */

/* The explicit options; fill with weftkit_audit_options_init, then set what differs. */
typedef struct weftkit_audit_options {
  const char* output;               /* required: a file path, or "-" for standard output */
  const char* hmac_key;             /* NULL: a SHA-256 chain; otherwise HMAC-SHA256 under this key (32 bytes or more) */
  const weftkit_audit_kind* events; /* NULL: every kind; otherwise the event_count kinds to record */
  size_t event_count;
  weftkit_audit_overflow overflow;  /* default WEFTKIT_AUDIT_OVERFLOW_BLOCK */
  weftkit_audit_fsync fsync;        /* default WEFTKIT_AUDIT_FSYNC_INTERVAL */
  uint64_t max_bytes;               /* the size that rotates the file; default 100 MiB; 0: never */
} weftkit_audit_options;

/* The defaults of WEFTKIT_AUDIT_*, with no output. Does nothing for NULL. */
void weftkit_audit_options_init(weftkit_audit_options* options);

/* Opens (or continues: an existing file is carried on from its last complete record) the log
 * and starts its writer thread. WEFTKIT_INVALID_ARGUMENT for a missing output, a short HMAC
 * key or a kind or mode out of range; the status of the failure, with the path, when the file
 * cannot be opened. */
weftkit_status weftkit_audit_open(const weftkit_audit_options* options, weftkit_audit_log** out,
                                  weftkit_error** error);

/* The log the WEFTKIT_AUDIT_* variables of this process describe (other WEFTKIT_* variables
 * are not read). WEFTKIT_AUDIT not true: WEFTKIT_OK with *out NULL and no error, as an engine
 * without auditing runs. A bad configuration: WEFTKIT_INVALID_ARGUMENT and a message listing
 * every problem, one per line (the key is never quoted); a file that cannot be opened: as
 * weftkit_audit_open, the message naming WEFTKIT_AUDIT_OUTPUT. */
weftkit_status weftkit_audit_open_from_environment(weftkit_audit_log** out, weftkit_error** error);
/* The same from `count` "NAME=value" strings, as environ holds them (names not starting with
 * WEFTKIT_AUDIT are ignored): for engines that keep their settings elsewhere, and for tests. */
weftkit_status weftkit_audit_open_from_variables(const char* const* variables, size_t count, weftkit_audit_log** out,
                                                 weftkit_error** error);

/* Lets go of the handle's reference (see Ownership above). Accepts NULL. */
void weftkit_audit_close(weftkit_audit_log* log);

/* ---------------------------------------------------------------------------------------- */
/* Recording                                                                                 */

/* One event. Every string is copied. NULL: "" for the fields every record has (identity to
 * source_ip), absent from the record for the optional ones (auth_method and after). */
typedef struct weftkit_audit_event {
  weftkit_audit_kind kind;
  const char* identity;
  const char* tenant;
  const char* operation;
  const char* resource;
  const char* result;    /* "success", "failure", "denied", "allowed", "accepted", "rejected", ... */
  const char* source_ip;
  const char* auth_method;
  const char* reason;
  const uint64_t* policy_generation; /* NULL: absent */
  const char* decided_by;            /* "policies.sql:12:18" */
  const char* session_id;
  const char* statement_id;
} weftkit_audit_event;

/* Whether events of `kind` are recorded at all (WEFTKIT_AUDIT_EVENTS): ask before building
 * an event that costs something. False for NULL. */
bool weftkit_audit_wants(const weftkit_audit_log* log, weftkit_audit_kind kind);

/* Queues the event; the writer thread stamps, numbers, chains and writes it. `*queued`
 * (`queued` may be NULL) is false when the event was not kept: a kind not recorded, a full
 * queue in drop mode (counted in stats and in an events_dropped record), or a stopped
 * writer. Those are not errors; an error is a NULL argument or a kind out of range. In
 * block mode this may wait for room in the queue. */
weftkit_status weftkit_audit_submit(weftkit_audit_log* log, const weftkit_audit_event* event, bool* queued,
                                    weftkit_error** error);

/* False from a failed write (open, write or fsync) until a write succeeds again; the writer
 * keeps the records and retries. False for NULL. */
bool weftkit_audit_healthy(const weftkit_audit_log* log);

typedef struct weftkit_audit_stats {
  uint64_t written;      /* records written (events_dropped records included) */
  uint64_t dropped;      /* events refused by a full queue in drop mode */
  uint64_t rotations;
  uint64_t write_errors;
} weftkit_audit_stats;

weftkit_status weftkit_audit_get_stats(const weftkit_audit_log* log, weftkit_audit_stats* out, weftkit_error** error);

/* Writes everything queued, fsyncs and joins the writer thread, for every holder of the log.
 * Idempotent. */
weftkit_status weftkit_audit_stop(weftkit_audit_log* log, weftkit_error** error);

/* ---------------------------------------------------------------------------------------- */
/* Attaching                                                                                 */

/* The store reports its denied (and, when the log wants them, allowed) checks and its policy
 * reloads to `log`, which it keeps alive; NULL detaches (letting go of the store's
 * reference). Replaces a log attached before. Thread-safe: checks running meanwhile report
 * to the old log or the new one. */
weftkit_status weftkit_store_set_audit_log(weftkit_store* store, weftkit_audit_log* log, weftkit_error** error);

/* ---------------------------------------------------------------------------------------- */
/* Engine events                                                                             */

/* An event only the engine knows of: a DDL statement it executed (WEFTKIT_AUDIT_EVENT_SCHEMA_CHANGE,
 * operation "CREATE TABLE"), rows it sent out (WEFTKIT_AUDIT_EVENT_DATA_EXPORT, operation
 * "COPY TO", reason "1204 rows"). Recorded through a context, so that it carries the
 * connection's identity, tenant, source address, session id and policy generation; through a
 * statement it also carries the statement's id. Strings are copied. */
typedef struct weftkit_engine_event {
  weftkit_audit_kind kind;
  const char* operation; /* NULL: "" */
  const char* resource;  /* NULL: "" */
  const char* result;    /* NULL: "success" */
  const char* reason;    /* NULL: none */
} weftkit_engine_event;

/* Records `event` with the log attached to the context's store (weftkit_store_set_audit_log).
 * `*recorded` (`recorded` may be NULL) is false when nothing took it: no log attached, or a
 * kind the log does not record. An error is a NULL context or event, or a kind out of range. */
weftkit_status weftkit_context_report(const weftkit_context* context, const weftkit_engine_event* event,
                                      bool* recorded, weftkit_error** error);
weftkit_status weftkit_statement_report(const weftkit_statement* statement, const weftkit_engine_event* event,
                                        bool* recorded, weftkit_error** error);

#ifdef __cplusplus
}
#endif

#endif /* WEFTKIT_AUDIT_H */
