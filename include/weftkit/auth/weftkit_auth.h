/* The C API of WeftKit's authentication, for engines not written in C++: the WEFTKIT_*
 * configuration, the backend it selects (password users file with SCRAM-SHA-256, JWT, mTLS),
 * the TLS 1.3 server context, and the outcome of a login as a handle that fills the
 * weftkit_identity of weftkit_policy.h.
 *
 * Plain C99 (also valid C++). Link weftkit_auth (it links weftkit_runtime, whose store may
 * serve as the directory of users and roles, and weftkit_audit, whose log may record logins).
 *
 * Conventions: those of weftkit_policy.h
 *  - Every fallible call returns a weftkit_status; WEFTKIT_OK is 0. A handle out-parameter is
 *    set to NULL when the call fails; other out-parameters are written only on success.
 *  - `weftkit_error** error` may be NULL. Otherwise *error is set to NULL on success and, on
 *    failure, to a weftkit_error the caller frees with weftkit_error_free.
 *  - A NULL handle or required pointer is never dereferenced: WEFTKIT_INVALID_ARGUMENT.
 *  - No C++ exception crosses this API; an allocation failure is WEFTKIT_INTERNAL with the
 *    message "out of memory".
 *  - Strings passed in are NUL-terminated (unless a length comes with them) and copied when
 *    kept.
 *
 * A refused login is not an error: the call returns WEFTKIT_OK and a weftkit_auth_result whose
 * weftkit_auth_result_ok is false and whose failure name says why ("bad_credentials", ...).
 * An error status means the call itself could not be made (a NULL argument, a backend that is
 * not the configured one). No message, of an error or of a result, ever holds a password, a
 * token or a secret.
 *
 * Ownership, lifetime, threads
 *  - Every handle is freed with its own *_free, which accepts NULL. Handles may be freed in any
 *    order: an authenticator keeps its directory store alive, a SCRAM exchange its
 *    authenticator.
 *  - Configurations, authenticators and TLS servers are thread-safe. A SCRAM exchange belongs
 *    to one connection, driven by one thread at a time. A result is immutable.
 *
 * Times (`now`) are Unix seconds: pass (int64_t)time(NULL) for the current time.
 */
#ifndef WEFTKIT_AUTH_H
#define WEFTKIT_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* weftkit_status, weftkit_error, weftkit_store and weftkit_identity; one directory up from
 * this header wherever the headers are installed. */
#include "../weftkit_policy.h"

#ifdef __cplusplus
extern "C" {
#endif

/* OpenSSL's SSL and SSL_CTX, named by their struct tags so that this header does not need
 * OpenSSL's: a `SSL*` converts to `struct ssl_st*` as it is. */
struct ssl_st;
struct ssl_ctx_st;

/* The audit log of weftkit_audit.h (libweftkit_audit), named by its struct tag so that this
 * header does not need that one (and C99 allows no second typedef of weftkit_audit_log). */
struct weftkit_audit_log;

/* Bumped whenever a signature, a struct layout or an enum value below changes. */
#define WEFTKIT_AUTH_API_VERSION 1

/* The WEFTKIT_AUTH_API_VERSION the library was built with. */
uint32_t weftkit_auth_api_version(void);

typedef struct weftkit_auth_config weftkit_auth_config;     /* immutable, thread-safe */
typedef struct weftkit_authenticator weftkit_authenticator; /* thread-safe */
typedef struct weftkit_scram weftkit_scram;                 /* one exchange, one thread at a time */
typedef struct weftkit_auth_result weftkit_auth_result;     /* immutable */
typedef struct weftkit_tls_server weftkit_tls_server;       /* thread-safe */

/* ---------------------------------------------------------------------------------------- */
/* Configuration                                                                             */

/* The WEFTKIT_* variables of this process, checked as a whole. On any problem (an unknown
 * variable, a bad value, a variable the chosen mode needs but lacks): WEFTKIT_INVALID_ARGUMENT
 * and a message listing every problem, one per line. Secrets are never quoted. */
weftkit_status weftkit_auth_config_from_environment(weftkit_auth_config** out, weftkit_error** error);
/* The same from `count` "NAME=value" strings, as environ holds them (names other than
 * WEFTKIT_* are ignored): for engines that keep their settings elsewhere, and for tests. */
weftkit_status weftkit_auth_config_from_variables(const char* const* variables, size_t count, weftkit_auth_config** out,
                                                  weftkit_error** error);
void weftkit_auth_config_free(weftkit_auth_config* config);

/* The backend WEFTKIT_AUTH selects; false when it is not set (then no authenticator can be
 * made: an engine so configured accepts no connection). */
bool weftkit_auth_config_method(const weftkit_auth_config* config, weftkit_auth_method* method);

/* ---------------------------------------------------------------------------------------- */
/* Authenticator                                                                             */

/* The backend the configuration selects: password (WEFTKIT_AUTH_USERS_FILE, loaded now; also
 * serves SCRAM-SHA-256), jwt (the key set of WEFTKIT_JWT_JWKS_URI, fetched now, and/or
 * WEFTKIT_JWT_SECRET) or mtls (WEFTKIT_MTLS_CA and WEFTKIT_MTLS_CRL).
 *
 * `directory` may be NULL. When given, its serving policy version is the user directory,
 * read at each login (so a reload of the store is seen at once): roles.yaml's users: entries
 * give each user's default tenant (tenant:) and the other tenants they may name (tenants:);
 * for a user it knows, a token's tenant_id or a certificate's tenant must be one of them (a
 * token without tenant_id gets the default), and a JWT's roles must be roles it defines. The
 * authenticator keeps the store alive. Without a directory nobody has a tenant beyond a
 * tenant-scoped users-file entry or a certificate's or token's own, and a token's role names
 * are taken as given (weftkit_context_build still refuses roles the store does not define).
 *
 * Fails, with the reason, when WEFTKIT_AUTH is not set (WEFTKIT_INVALID_ARGUMENT) or the
 * backend's users file, key set or CA and CRL files do not load (WEFTKIT_INVALID_ARGUMENT with
 * every problem of a users file; otherwise the status of the first problem). */
weftkit_status weftkit_authenticator_create(const weftkit_auth_config* config, const weftkit_store* directory,
                                            weftkit_authenticator** out, weftkit_error** error);

/* The same, with every login through the authenticator (password, SCRAM-SHA-256 exchanges,
 * JWT, mTLS) recorded as an auth event in `audit_log` (weftkit_audit.h; may be NULL: as
 * weftkit_authenticator_create). The authenticator and its exchanges keep the log alive, so
 * the log's handle may be closed first. A function of its own rather than a new parameter or
 * a setter: weftkit_authenticator_create keeps its signature for programs already built, and
 * the backends take their sink when they are made. */
weftkit_status weftkit_authenticator_create_audited(const weftkit_auth_config* config, const weftkit_store* directory,
                                                    const struct weftkit_audit_log* audit_log, weftkit_authenticator** out,
                                                    weftkit_error** error);
void weftkit_authenticator_free(weftkit_authenticator* authenticator);

/* Password backend: reads WEFTKIT_AUTH_USERS_FILE again. All or nothing: on an error (every
 * problem, with file:line) the users already served stay. */
weftkit_status weftkit_authenticator_reload_users(weftkit_authenticator* authenticator, weftkit_error** error);

/* A login name ("alice" or "alice@tenant") and password (password backend). `source_address`
 * (may be NULL) is the peer's address: repeated failures from it are throttled. */
weftkit_status weftkit_auth_password(weftkit_authenticator* authenticator, const char* login, const char* password,
                                     const char* source_address, weftkit_auth_result** result, weftkit_error** error);

/* A JWT bearer token (jwt backend), its claims checked at `now`. */
weftkit_status weftkit_auth_jwt(const weftkit_authenticator* authenticator, const char* token, int64_t now,
                                const char* source_address, weftkit_auth_result** result, weftkit_error** error);

/* A client certificate chain as PEM, the client's certificate first (mtls backend), checked at
 * `now`; `length` bytes (no NUL needed). */
weftkit_status weftkit_auth_mtls_pem(const weftkit_authenticator* authenticator, const char* chain_pem, size_t length,
                                     int64_t now, const char* source_address, weftkit_auth_result** result,
                                     weftkit_error** error);

/* The peer of a TLS connection the engine accepted (an OpenSSL `SSL*`, after its handshake),
 * checked at `now` (mtls backend). The connection is only read. */
weftkit_status weftkit_auth_mtls_peer(const weftkit_authenticator* authenticator, struct ssl_st* connection,
                                      int64_t now, const char* source_address, weftkit_auth_result** result,
                                      weftkit_error** error);

/* ---------------------------------------------------------------------------------------- */
/* SCRAM-SHA-256 (password backend), driven one message at a time by the wire protocol:      */
/*   client-first -> step -> server-first; client-final -> step -> server-final and a result  */

/* The mechanisms to offer, in order: "SCRAM-SHA-256-PLUS" first when the connection can bind
 * to its channel (TLS), then "SCRAM-SHA-256". Static strings; NULL past the end. */
size_t weftkit_scram_mechanism_count(bool channel_binding_available);
const char* weftkit_scram_mechanism_at(bool channel_binding_available, size_t index);

/* The tls-server-end-point channel binding of the connection's server certificate (DER):
 * its hash, at most 64 bytes, written to `out` (`*length` bytes). WEFTKIT_BUFFER_TOO_SMALL
 * with *length set when `capacity` is short. */
weftkit_status weftkit_scram_channel_binding(const uint8_t* certificate_der, size_t certificate_size, uint8_t* out,
                                             size_t capacity, size_t* length, weftkit_error** error);

/* A new exchange over the users the authenticator serves now.
 *  - `login`: the user named by the wire protocol (PostgreSQL's startup message; may carry
 *    "@tenant"); NULL or "": the client-first message's n= is the login name.
 *  - `mechanism`: the one the client chose among those offered.
 *  - `channel_binding` (NULL when the connection is not TLS): weftkit_scram_channel_binding of
 *    this connection's certificate; required for SCRAM-SHA-256-PLUS. */
weftkit_status weftkit_scram_begin(weftkit_authenticator* authenticator, const char* login, const char* source_address,
                                   const char* mechanism, const uint8_t* channel_binding, size_t channel_binding_size,
                                   weftkit_scram** out, weftkit_error** error);

/* The next client message (`length` bytes). *server_message (NUL-terminated, *server_length
 * bytes, freed with weftkit_string_free) is what to send back: server-first, server-final,
 * or on failure SCRAM's "e=..." (which the engine may replace by its protocol's own error).
 * *result is NULL while the exchange goes on, and its outcome once it is over (then further
 * messages fail). */
weftkit_status weftkit_scram_step(weftkit_scram* scram, const char* client_message, size_t length,
                                  char** server_message, size_t* server_length, weftkit_auth_result** result,
                                  weftkit_error** error);
void weftkit_scram_free(weftkit_scram* scram);

/* ---------------------------------------------------------------------------------------- */
/* Results                                                                                   */

/* Every getter answers a NULL result as it answers a refused one. */
bool weftkit_auth_result_ok(const weftkit_auth_result* result);
/* NULL when ok; otherwise the failure's stable snake_case name: "bad_credentials",
 * "tenant_not_allowed", "expired", "not_yet_valid", "bad_signature", "unknown_key",
 * "algorithm_not_allowed", "malformed", "untrusted_certificate", "revoked", "missing_claim",
 * "unknown_role", "throttled", "channel_binding_mismatch", "wrong_issuer", "wrong_audience",
 * "internal". Static strings. */
const char* weftkit_auth_result_failure(const weftkit_auth_result* result);
/* "" when ok; why it failed otherwise, never a secret. Owned by the result. */
const char* weftkit_auth_result_message(const weftkit_auth_result* result);
/* The identity's parts, owned by the result: NULL when not ok (the tenant also when none). */
const char* weftkit_auth_result_user(const weftkit_auth_result* result);
const char* weftkit_auth_result_tenant(const weftkit_auth_result* result);
size_t weftkit_auth_result_role_count(const weftkit_auth_result* result);
const char* weftkit_auth_result_role_at(const weftkit_auth_result* result, size_t index); /* NULL past the end */
/* The backend that answered, whether it accepted or not. */
weftkit_auth_method weftkit_auth_result_method(const weftkit_auth_result* result);

/* Fills `identity` for weftkit_context_build from an accepted result: user, tenant, roles
 * (the token's, for JWT), source address and method. The tenant also becomes the one
 * setting app.tenant_id (policies read current_setting('app.tenant_id')); without a tenant
 * there is no setting, so such policies fail the statement as PostgreSQL does for an unset
 * name. Every pointer is owned by the result and valid until it is freed; add settings of
 * your own by copying the struct's settings into an array of yours. A refused result:
 * WEFTKIT_INVALID_ARGUMENT and `identity` untouched. */
weftkit_status weftkit_auth_result_identity(const weftkit_auth_result* result, weftkit_identity* identity,
                                            weftkit_error** error);
void weftkit_auth_result_free(weftkit_auth_result* result);

/* ---------------------------------------------------------------------------------------- */
/* TLS 1.3 server context (WEFTKIT_TLS_CERT, WEFTKIT_TLS_KEY, optional WEFTKIT_TLS_CA)        */

/* Loads the certificate and key (and with a CA file, requires client certificates that chain
 * to it). Errors name the file and OpenSSL's reason, never key material. */
weftkit_status weftkit_tls_server_create(const weftkit_auth_config* config, weftkit_tls_server** out,
                                         weftkit_error** error);
/* The current OpenSSL SSL_CTX, with one reference for the caller: SSL_new() from it, then
 * SSL_CTX_free() it. A connection keeps the context it started with across reloads. */
weftkit_status weftkit_tls_server_context(const weftkit_tls_server* server, struct ssl_ctx_st** out,
                                          weftkit_error** error);
/* Reads the files again; on an error the current context keeps serving. */
weftkit_status weftkit_tls_server_reload(weftkit_tls_server* server, weftkit_error** error);
/* 1 after create, one more per successful reload; 0 for NULL. */
uint64_t weftkit_tls_server_generation(const weftkit_tls_server* server);
void weftkit_tls_server_free(weftkit_tls_server* server);

#ifdef __cplusplus
}
#endif

#endif /* WEFTKIT_AUTH_H */
