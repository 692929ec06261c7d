/* The C API of WeftKit Policy, for engines not written in C++: the same as the C++ API
 * (policy_runtime.h, policy_compiler.h) behind opaque handles, with errors as values.
 *
 * Plain C99 (also valid C++). Link weftkit_runtime for everything below except the
 * weftkit_compiler_* functions, which live in weftkit_policy_compiler (the compiler and LLVM's
 * JIT), so that the runtime's part of this API never pulls LLVM in: an engine that serves
 * ahead-of-time modules (`weftkit-policyc compile --emit=so`, weftkit_store_open_module) links
 * weftkit_runtime alone.
 *
 * Conventions
 *  - Every fallible call returns a weftkit_status; WEFTKIT_OK is 0. A handle out-parameter is
 *    set to NULL when the call fails; other out-parameters are written only on success unless
 *    the function says otherwise.
 *  - `weftkit_error** error` parameters may be NULL (the caller does not want the message).
 *    Otherwise *error is set to NULL on success and, on failure, to a weftkit_error the caller
 *    frees with weftkit_error_free. If even that allocation fails, *error stays NULL and the
 *    status still says what happened.
 *  - A NULL handle or a NULL required pointer is never dereferenced: the call returns
 *    WEFTKIT_INVALID_ARGUMENT. Checks (weftkit_allowed and friends) return false instead: a
 *    check that cannot be answered denies.
 *  - Strings passed in are NUL-terminated UTF-8 and are copied when kept; strings handed out
 *    are owned as documented at each function.
 *  - No C++ exception ever crosses this API. An allocation failure is WEFTKIT_INTERNAL with the
 *    message "out of memory".
 *
 * Ownership and lifetime
 *  - Every handle is freed with its own *_free function, which accepts NULL.
 *  - Handles may be freed in any order: a context keeps its store alive, a statement keeps its
 *    policy version alive, a row filter keeps its compiled code alive, a store keeps its
 *    versions' JIT code alive after the compiler that made it is freed.
 *
 * Thread-safety
 *  - Compilers and stores are thread-safe: any thread may compile, reload and build contexts
 *    concurrently; a reload never blocks or disturbs readers.
 *  - A context belongs to one connection and is used by one thread at a time, as are its
 *    resource handles and the statements begun from it. Different contexts on the same store
 *    may be used concurrently.
 *  - A row filter is immutable: several threads may check rows and filter batches through the
 *    same filter at once. Each batch gets its own weftkit_batch_exceptions.
 */
#ifndef WEFTKIT_POLICY_H
#define WEFTKIT_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Next to this header, so that it is found wherever the headers are installed. */
#include "arrow_c_data.h"

#ifdef __cplusplus
extern "C" {
#endif

/* C++ sees every enum below with the fixed underlying type int: any int a C caller passes is
 * then a valid value of the enum (checked by the library and refused when out of range)
 * instead of undefined behaviour. C lays these enums out as 32-bit integers too. */
#ifdef __cplusplus
#define WEFTKIT_ENUM_BASE : int
#else
#define WEFTKIT_ENUM_BASE
#endif

/* The version of this header's API and ABI: bumped whenever a signature, a struct layout or
 * an enum value changes. Compare with weftkit_api_version() at start-up, so that a program
 * built against one header and run against another library stops instead of misbehaving. */
#define WEFTKIT_POLICY_API_VERSION 2 /* 2: weftkit_row_filter_check takes the rows' lengths */

/* The WEFTKIT_POLICY_API_VERSION the library was built with. */
uint32_t weftkit_api_version(void);

/* ---------------------------------------------------------------------------------------- */
/* Status and errors                                                                         */

/* The same codes, with the same values, as weftkit::StatusCode, plus one for short buffers. */
typedef enum weftkit_status WEFTKIT_ENUM_BASE {
  WEFTKIT_OK = 0,
  WEFTKIT_INVALID_ARGUMENT = 1,  /* a NULL handle, an empty user, a batch that fits no table */
  WEFTKIT_NOT_FOUND = 2,         /* a role or table the serving policy version does not define */
  WEFTKIT_PERMISSION_DENIED = 3, /* the principal may not run the statement at all */
  WEFTKIT_POLICY_ERROR = 4,      /* role or policy files rejected; the message has the diagnostics */
  WEFTKIT_INTERNAL = 5,          /* a bug or an environment failure (out of memory); never an allow */
  WEFTKIT_BUFFER_TOO_SMALL = 6   /* the text did not fit the caller's buffer; see the length out */
} weftkit_status;

/* A failed call's explanation. Allocated by the library, freed by the caller. */
typedef struct weftkit_error {
  weftkit_status code;
  char* message; /* never NULL; for WEFTKIT_POLICY_ERROR every diagnostic as file:line:col */
} weftkit_error;

void weftkit_error_free(weftkit_error* error);

/* "WEFTKIT_OK", "WEFTKIT_INVALID_ARGUMENT", ...: a static string, never NULL. */
const char* weftkit_status_name(weftkit_status status);

/* Frees a string the library allocated (weftkit_statement_explain_alloc,
 * weftkit_row_filter_check's message). Accepts NULL. */
void weftkit_string_free(char* text);

/* ---------------------------------------------------------------------------------------- */
/* Vocabulary                                                                                */

/* Bit positions in a permission mask: the same values as weftkit::Operation. */
typedef enum weftkit_operation WEFTKIT_ENUM_BASE {
  WEFTKIT_OP_SELECT = 0,
  WEFTKIT_OP_INSERT = 1,
  WEFTKIT_OP_UPDATE = 2,
  WEFTKIT_OP_DELETE = 3,
  WEFTKIT_OP_TRUNCATE = 4,
  WEFTKIT_OP_REFERENCES = 5,
  WEFTKIT_OP_TRIGGER = 6,
  WEFTKIT_OP_COPY_TO = 7,
  WEFTKIT_OP_COPY_FROM = 8,
  WEFTKIT_OP_CREATE = 9,
  WEFTKIT_OP_ALTER = 10,
  WEFTKIT_OP_DROP = 11,
  WEFTKIT_OP_GRANT = 12,
  WEFTKIT_OP_REVOKE = 13,
  WEFTKIT_OP_CONNECT = 14,
  WEFTKIT_OP_EXECUTE = 15
} weftkit_operation;

/* The same values as weftkit::AuthMethod. */
typedef enum weftkit_auth_method WEFTKIT_ENUM_BASE {
  WEFTKIT_AUTH_PASSWORD = 0,
  WEFTKIT_AUTH_JWT = 1,
  WEFTKIT_AUTH_MTLS = 2
} weftkit_auth_method;

/* The same values as weftkit::Command. */
typedef enum weftkit_command WEFTKIT_ENUM_BASE {
  WEFTKIT_COMMAND_SELECT = 0,
  WEFTKIT_COMMAND_INSERT = 1,
  WEFTKIT_COMMAND_UPDATE = 2,
  WEFTKIT_COMMAND_DELETE = 3
} weftkit_command;

/* A row's fate under row-level security: the same values as weftkit::RowResult. */
typedef enum weftkit_row_result WEFTKIT_ENUM_BASE {
  WEFTKIT_ROW_PASS = 0,      /* visible / may be written */
  WEFTKIT_ROW_FILTERED = 1,  /* silently skipped (SELECT, UPDATE and DELETE's reads) */
  WEFTKIT_ROW_VIOLATION = 2, /* the statement fails: "new row violates row-level security ..." */
  WEFTKIT_ROW_ERROR = 3      /* the statement fails: a PostgreSQL runtime error (division by zero ...) */
} weftkit_row_result;

/* One value of a row, laid out exactly as weftkit::Datum (checked by static_assert):
 *   bool 0/1 in `bits`; smallint/integer/bigint the integer; date days and timestamp /
 *   timestamptz microseconds since 2000-01-01 (PostgreSQL's epoch); double precision the IEEE
 *   bits; real the IEEE bits of the float in the low 32 bits; text `data` + `length` bytes,
 *   `data` never NULL (the helpers below use "" for non-text values).
 * A row is an array of one datum per column, in the order of the table's CREATE TABLE. */
typedef struct weftkit_datum {
  int64_t bits;
  const char* data;
  int64_t length;
  uint8_t is_null;
  uint8_t is_error; /* always 0 in rows */
  uint8_t padding[6];
} weftkit_datum;

static inline weftkit_datum weftkit_datum_null(void) {
  weftkit_datum datum = {0, "", 0, 1, 0, {0, 0, 0, 0, 0, 0}};
  return datum;
}
/* Integers of every width, bool (0/1), date days and timestamp microseconds. */
static inline weftkit_datum weftkit_datum_int(int64_t value) {
  weftkit_datum datum = {value, "", 0, 0, 0, {0, 0, 0, 0, 0, 0}};
  return datum;
}
static inline weftkit_datum weftkit_datum_double(double value) {
  weftkit_datum datum = weftkit_datum_int(0);
  memcpy(&datum.bits, &value, sizeof value);
  return datum;
}
static inline weftkit_datum weftkit_datum_text(const char* data, int64_t length) {
  weftkit_datum datum = {0, data, length, 0, 0, {0, 0, 0, 0, 0, 0}};
  return datum;
}

/* A session setting, as `SET name = 'value'` (e.g. app.tenant_id). */
typedef struct weftkit_setting {
  const char* name;
  const char* value;
} weftkit_setting;

/* Who is connected. Every string is copied by weftkit_context_build. */
typedef struct weftkit_identity {
  const char* user;             /* required and non-empty: there are no anonymous contexts */
  const char* tenant;           /* NULL: none. Not a setting: policies read app.tenant_id, so pass it in settings too */
  const char* const* roles;     /* requested on top of the user's roles.yaml entry; NULL when role_count is 0 */
  size_t role_count;
  const weftkit_setting* settings; /* NULL when setting_count is 0 */
  size_t setting_count;
  const char* source_address;   /* NULL: unknown */
  weftkit_auth_method auth_method;
} weftkit_identity;

/* ---------------------------------------------------------------------------------------- */
/* Handles                                                                                   */

typedef struct weftkit_compiler weftkit_compiler;        /* thread-safe */
typedef struct weftkit_store weftkit_store;              /* thread-safe */
typedef struct weftkit_context weftkit_context;          /* one connection, one thread at a time */
typedef struct weftkit_resource weftkit_resource;        /* a table named once for fast checks */
typedef struct weftkit_statement weftkit_statement;      /* one statement, one policy version */
typedef struct weftkit_row_filter weftkit_row_filter;    /* immutable, shareable between threads */
typedef struct weftkit_batch_exceptions weftkit_batch_exceptions; /* one batch's violations and errors */

/* ---------------------------------------------------------------------------------------- */
/* Compiler (weftkit_policy_compiler only)                                                   */

/* A compiler owns an in-process JIT. Free it whenever: the stores it made keep their code. */
weftkit_status weftkit_compiler_create(weftkit_compiler** out, weftkit_error** error);
void weftkit_compiler_free(weftkit_compiler* compiler);

/* Compiles roles files (.yaml, .yml) and policy files (.sql) into a new store serving the
 * result (generation 1). On failure *out is NULL and the error (WEFTKIT_POLICY_ERROR) holds
 * every diagnostic as file:line:col with the source line and a caret. */
weftkit_status weftkit_compiler_compile(const weftkit_compiler* compiler, const char* const* files, size_t file_count,
                                        weftkit_store** out, weftkit_error** error);

/* Compiles `files` off the hot path and publishes the result in `store` (its generation goes
 * up by one). A failure changes nothing: the store keeps serving its version, and the error
 * says why. Readers are never blocked; statements already begun keep their version. */
weftkit_status weftkit_compiler_reload(const weftkit_compiler* compiler, weftkit_store* store, const char* const* files,
                                       size_t file_count, weftkit_error** error);

/* ---------------------------------------------------------------------------------------- */
/* Store                                                                                     */

/* A store serving an ahead-of-time module (`weftkit-policyc compile --emit=so`), loaded
 * without LLVM or the compiler. The runtime loads a private copy (the file may be replaced at
 * any time) and checks it before anything of it is mapped as code: its integrity record
 * (length and SHA-256 of the whole file, written by the compiler) and its ELF headers; then
 * the module's ABI version before anything in it is used. A module that does not fit is
 * refused (WEFTKIT_POLICY_ERROR or WEFTKIT_NOT_FOUND with the reason: "truncated: 400000 of
 * 710080 bytes", "checksum mismatch", "not a policy module ...") and *out is NULL. One
 * attempt: a file still being written is refused at once. */
weftkit_status weftkit_store_open_module(const char* path, weftkit_store** out, weftkit_error** error);

/* Loads the module at `path` and publishes it in `store`, whatever made the store. A file
 * still being written (truncated, without its integrity record yet, or changing while it is
 * copied) is tried again every 200 ms for up to 5 s before the reload fails with the reason.
 * A failure changes nothing: the store keeps serving its version. */
weftkit_status weftkit_store_reload_module(weftkit_store* store, const char* path, weftkit_error** error);

/* weftkit_store_reload_module with its own waiting: every retry_interval_ms, for up to
 * give_up_after_ms (0: one attempt). */
weftkit_status weftkit_store_reload_module_waiting(weftkit_store* store, const char* path, uint32_t retry_interval_ms,
                                                   uint32_t give_up_after_ms, weftkit_error** error);

/* Watches a module file and reloads `store` when it changes (renamed or copied over, or
 * swapped in through a symbolic link as Kubernetes volumes do), once its directory has been
 * quiet for debounce_ms; a file still being written is retried every debounce_ms for up to
 * give_up_after_ms. Each final outcome is passed to on_reload on the watcher's thread: status
 * WEFTKIT_OK and the new generation, or the reason the file was refused (the store keeps
 * serving its version); `message` is NULL for WEFTKIT_OK and valid only during the call. The
 * watcher keeps the store alive; weftkit_module_watcher_free stops it. */
typedef struct weftkit_module_watcher weftkit_module_watcher;
typedef void (*weftkit_reload_callback)(void* user_data, weftkit_status status, uint64_t generation,
                                        const char* message);
weftkit_status weftkit_store_watch_module(weftkit_store* store, const char* path, uint32_t debounce_ms,
                                          uint32_t give_up_after_ms, weftkit_reload_callback on_reload,
                                          void* user_data, weftkit_module_watcher** out, weftkit_error** error);
/* Stops the watcher (waiting for a reload in progress to end) and frees it; NULL is ignored.
 * Never from inside its own on_reload callback (the watcher's thread cannot wait for itself). */
void weftkit_module_watcher_free(weftkit_module_watcher* watcher);

/* Releases the caller's reference; contexts built from the store keep it alive. */
void weftkit_store_free(weftkit_store* store);

/* 1 for the first version, plus one per successful reload. */
weftkit_status weftkit_store_generation(const weftkit_store* store, uint64_t* out);

/* For operators' metrics, of the version serving now: statement plans it holds as native code,
 * and statement filters it answered with the reference interpreter because their plan had no
 * code yet (a principal whose combination of roles roles.yaml does not name; compiled in the
 * background for the next statements, by a version the compiler made). */
weftkit_status weftkit_store_row_filter_counts(const weftkit_store* store, uint64_t* native_plans,
                                               uint64_t* interpreted_filters);

/* ---------------------------------------------------------------------------------------- */
/* Context                                                                                   */

/* Builds a connection's context and resolves its roles against the serving version.
 * WEFTKIT_INVALID_ARGUMENT for a NULL or empty user (or a NULL array with a non-zero count),
 * WEFTKIT_NOT_FOUND for a requested role the serving version does not define. */
weftkit_status weftkit_context_build(const weftkit_store* store, const weftkit_identity* identity,
                                     weftkit_context** out, weftkit_error** error);
void weftkit_context_free(weftkit_context* context);

/* The context's session id, as the audit log's session_id holds it: made by
 * weftkit_context_build, unique in the process and, with a random prefix, across restarts
 * ("5f3a9c1e-17"). Valid while the context lives; NULL for NULL. */
const char* weftkit_context_session_id(const weftkit_context* context);

/* One check against the serving version. True only when allowed: a NULL argument, an
 * operation out of range, or a context that no longer resolves (a reload removed a requested
 * role) denies. Resolves again by itself after a reload. */
bool weftkit_allowed(weftkit_context* context, weftkit_operation op, const char* table);

/* The fast path: name a table once, then check it many times for a few instructions each
 * while no reload intervened (after one, the next check re-resolves and goes on). A resource
 * is used with the context that made it, by that context's thread. */
weftkit_status weftkit_resource_create(weftkit_context* context, const char* table, weftkit_resource** out,
                                       weftkit_error** error);
void weftkit_resource_free(weftkit_resource* resource);
/* Same answer as weftkit_allowed(context, op, table-of-resource). */
bool weftkit_allowed_resource(weftkit_context* context, weftkit_operation op, weftkit_resource* resource);

/* ---------------------------------------------------------------------------------------- */
/* Statement                                                                                 */

/* Pins the serving version for one statement: its checks and row filters all see that
 * version, whatever reloads happen meanwhile. Fails (the statement must not run) when the
 * context no longer resolves against the serving version. */
weftkit_status weftkit_statement_begin(weftkit_context* context, weftkit_statement** out, weftkit_error** error);
void weftkit_statement_free(weftkit_statement* statement);

/* The statement's number in its context (1 for the first begun, then 2, ...): the audit
 * log's statement_id of its checks. 0 for NULL. */
uint64_t weftkit_statement_number(const weftkit_statement* statement);

bool weftkit_statement_allowed(const weftkit_statement* statement, weftkit_operation op, const char* table);

/* "ALLOW ..." or "DENY ..." with the roles.yaml lines (file:line:col) that decided.
 * Into a caller buffer, as snprintf: writes at most buffer_size - 1 bytes and a NUL (nothing
 * when buffer_size is 0, when buffer may be NULL), and sets *length (if not NULL) to the full
 * length without the NUL. Returns WEFTKIT_BUFFER_TOO_SMALL when the text was truncated. */
weftkit_status weftkit_statement_explain(const weftkit_statement* statement, weftkit_operation op, const char* table,
                                         char* buffer, size_t buffer_size, size_t* length, weftkit_error** error);
/* The same into a new string the caller frees with weftkit_string_free. */
weftkit_status weftkit_statement_explain_alloc(const weftkit_statement* statement, weftkit_operation op,
                                               const char* table, char** out, weftkit_error** error);

/* ---------------------------------------------------------------------------------------- */
/* Row filter                                                                                */

/* The row filter of this statement on `table` for a command. `reads_columns`: an UPDATE or
 * DELETE with a WHERE clause (they then apply the SELECT policies too); `returning`: the
 * statement has RETURNING. WEFTKIT_PERMISSION_DENIED when the principal may not run the
 * command on the table at all (row security never stands in for that check);
 * WEFTKIT_NOT_FOUND for a table no CREATE TABLE declares. */
weftkit_status weftkit_row_filter_open(const weftkit_statement* statement, const char* table, weftkit_command command,
                                       bool reads_columns, bool returning, weftkit_row_filter** out,
                                       weftkit_error** error);
void weftkit_row_filter_free(weftkit_row_filter* filter);

/* How many datums a row of the filter's table has: its CREATE TABLE's columns. */
weftkit_status weftkit_row_filter_column_count(const weftkit_row_filter* filter, size_t* out);

/* One row: `row` holds `row_length` datums, one per column; `new_row` is UPDATE's new values
 * with `new_row_length` datums (NULL and 0 otherwise). A length other than
 * weftkit_row_filter_column_count, or a NULL new_row with a non-zero length, is
 * WEFTKIT_INVALID_ARGUMENT and nothing is read: the lengths are what keep the filter inside
 * the caller's arrays. For WEFTKIT_ROW_VIOLATION and WEFTKIT_ROW_ERROR, *message (when message
 * is not NULL) is PostgreSQL's message, to be freed with weftkit_string_free; otherwise it is
 * set to NULL. */
weftkit_status weftkit_row_filter_check(const weftkit_row_filter* filter, const weftkit_datum* row, size_t row_length,
                                        const weftkit_datum* new_row, size_t new_row_length, weftkit_row_result* result,
                                        char** message, weftkit_error** error);

/* Words of a selection bitmap for `rows` rows. */
#define WEFTKIT_SELECTION_WORDS(rows) ((size_t)(((rows) + 63) / 64))

/* A batch: `batch` is an Arrow struct array described by `schema`, one child per table
 * column in CREATE TABLE order (formats: bool "b", smallint "s", integer "i", bigint "l",
 * real "f", double "g", text "u", date "tdD", timestamp "tsu:", timestamptz "tsu:UTC");
 * `new_batch` is UPDATE's new rows, row for row, with the same schema (NULL otherwise).
 * Writes `selection` (bit i of word i / 64 set when row i passes; bits past the batch
 * cleared; on a little-endian machine this is also an Arrow validity bitmap), which must
 * hold WEFTKIT_SELECTION_WORDS(batch->length) words: fewer is WEFTKIT_INVALID_ARGUMENT.
 * Rows that violate a check or raise an error are not selected; they are listed in *exceptions
 * (required: a violation must never go unnoticed), in row order, which the caller frees with
 * weftkit_batch_exceptions_free. As in PostgreSQL, any exception fails the statement. */
weftkit_status weftkit_row_filter_batch(const weftkit_row_filter* filter, const struct ArrowSchema* schema,
                                        const struct ArrowArray* batch, const struct ArrowArray* new_batch,
                                        uint64_t* selection, size_t selection_words,
                                        weftkit_batch_exceptions** exceptions, weftkit_error** error);

weftkit_status weftkit_batch_exceptions_count(const weftkit_batch_exceptions* exceptions, size_t* count);
/* The index-th exception (0 <= index < count): its row in the batch, its result
 * (WEFTKIT_ROW_VIOLATION or WEFTKIT_ROW_ERROR) and PostgreSQL's message, owned by
 * `exceptions` and valid until it is freed. Any out-pointer may be NULL. */
weftkit_status weftkit_batch_exception_at(const weftkit_batch_exceptions* exceptions, size_t index, int64_t* row,
                                          weftkit_row_result* result, const char** message);
void weftkit_batch_exceptions_free(weftkit_batch_exceptions* exceptions);

#ifdef __cplusplus
}
#endif

#endif /* WEFTKIT_POLICY_H */
