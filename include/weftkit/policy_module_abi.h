/* The C ABI of an ahead-of-time policy module: the shared library that
 * `weftkit-policyc compile --emit=so` writes and the runtime loads without LLVM. The library
 * exports one function, weftkit_policy_module(), returning a table of function pointers and
 * metadata; the runtime checks abi_version and struct_size before using anything else.
 * Strings the module returns are allocated by it and released with its free_string. */
#ifndef WEFTKIT_POLICY_MODULE_ABI_H
#define WEFTKIT_POLICY_MODULE_ABI_H

#include <stddef.h>
#include <stdint.h>

#include <weftkit/arrow_c_data.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped whenever the table below changes; the runtime refuses a module of another version.
 * 2: column_count, so that the runtime can refuse rows of the wrong length. 3: user_entry and
 * role_exists, the user directory of the login backends. (The table keeps its name,
 * weftkit_module_v1; abi_version says which layout it has.) */
#define WEFTKIT_MODULE_ABI_VERSION 3u
#define WEFTKIT_MODULE_ENTRY_SYMBOL "weftkit_policy_module"

/* Status codes, the same numbers as weftkit::StatusCode. */
enum {
  WEFTKIT_MODULE_OK = 0,
  WEFTKIT_MODULE_INVALID_ARGUMENT = 1,
  WEFTKIT_MODULE_NOT_FOUND = 2,
  WEFTKIT_MODULE_PERMISSION_DENIED = 3,
  WEFTKIT_MODULE_POLICY_ERROR = 4,
  WEFTKIT_MODULE_INTERNAL = 5
};

/* A statement's command, as open_filter takes it. */
enum {
  WEFTKIT_MODULE_COMMAND_SELECT = 0,
  WEFTKIT_MODULE_COMMAND_INSERT = 1,
  WEFTKIT_MODULE_COMMAND_UPDATE = 2,
  WEFTKIT_MODULE_COMMAND_DELETE = 3
};

/* A row's result, as check_row returns it and the exception sink receives it. */
enum {
  WEFTKIT_MODULE_ROW_PASS = 0,
  WEFTKIT_MODULE_ROW_FILTERED = 1,
  WEFTKIT_MODULE_ROW_VIOLATION = 2,
  WEFTKIT_MODULE_ROW_ERROR = 3
};

/* Who is asking: the user, the roles requested on top of its roles.yaml entry, and its
 * session settings (name/value pairs). */
typedef struct weftkit_module_identity {
  const char* user;
  const char* const* roles;
  size_t role_count;
  const char* const* setting_names;
  const char* const* setting_values;
  size_t setting_count;
} weftkit_module_identity;

typedef struct weftkit_module_principal weftkit_module_principal; /* opaque */
typedef struct weftkit_module_filter weftkit_module_filter;       /* opaque */

/* Called once per row of a batch that is a violation or an error (WEFTKIT_MODULE_ROW_*). */
typedef void (*weftkit_module_exception_sink)(void* context, int64_t row, uint32_t result, const char* message);

typedef struct weftkit_module_v1 {
  uint32_t abi_version; /* WEFTKIT_MODULE_ABI_VERSION */
  uint32_t struct_size; /* sizeof(weftkit_module_v1) as the module was built */
  const char* origin;   /* the inputs it was compiled from, for logs */
  uint32_t mask_count;  /* permission masks per principal: resource classes + 1 */

  /* Resolves an identity: writes mask_count masks and whether it bypasses row security, and
   * returns a principal for open_filter/explain (release with free_principal). */
  int32_t (*resolve)(const weftkit_module_identity* identity, uint64_t* masks, uint8_t* bypasses_row_security,
                     weftkit_module_principal** principal, char** error);
  void (*free_principal)(weftkit_module_principal* principal);
  /* The resource class of a table name; mask_count - 1 (always denied) for a non-name. */
  uint32_t (*resource_class)(const char* table, size_t table_length);
  /* A statement's row filter (command: WEFTKIT_MODULE_COMMAND_*). */
  int32_t (*open_filter)(const weftkit_module_principal* principal, const weftkit_module_identity* identity,
                         const char* table, size_t table_length, uint32_t command, uint8_t reads_columns,
                         uint8_t returning, weftkit_module_filter** filter, char** error);
  void (*free_filter)(weftkit_module_filter* filter);
  /* One row of datums (the runtime's weftkit::Datum layout); returns a WEFTKIT_MODULE_ROW_*
   * result, with the message of a violation or an error in *message. With message NULL only
   * the result is computed: the runtime asks so for every row of a scan, and asks again with
   * a message for the rare rows that need one. (Modules written by every weftkit-policyc
   * have accepted NULL; a module written by hand must too.) */
  uint32_t (*check_row)(const weftkit_module_filter* filter, const void* row, const void* new_row, char** message);
  /* An Arrow struct array; selection gets ceil(length / 64) words. */
  int32_t (*filter_batch)(const weftkit_module_filter* filter, const struct ArrowSchema* schema,
                          const struct ArrowArray* batch, const struct ArrowArray* new_batch, uint64_t* selection,
                          weftkit_module_exception_sink sink, void* sink_context, char** error);
  /* "ALLOW ..."/"DENY ..." with the deciding lines. */
  char* (*explain)(const weftkit_module_principal* principal, uint32_t op, const char* table, size_t table_length);
  void (*free_string)(char* text);
  /* How many statement plans were compiled ahead of time, and how many statements have been
   * answered by the built-in interpreter because theirs was not (for operators' metrics). */
  uint64_t (*precompiled_plan_count)(void);
  uint64_t (*interpreted_filter_count)(void);
  /* The number of columns of a declared table (its CREATE TABLE), which is how many datums
   * check_row reads from each row of that table's filters; -1 for a table the module does not
   * declare or a text that is not a table name. */
  int64_t (*column_count)(const char* table, size_t table_length);
  /* The users: entry of a user, encoded into *entry (freed with free_string) and its length
   * into *entry_length: one byte, 1 when the entry names a default tenant and 0 otherwise; that
   * tenant when it does; then the other tenants, then the granted roles, each list as a count
   * followed by its strings. Counts and string lengths are 4-byte little-endian integers, each
   * string's bytes follow its length. WEFTKIT_MODULE_NOT_FOUND for a user without an entry. */
  int32_t (*user_entry)(const char* user, size_t user_length, char** entry, size_t* entry_length);
  /* 1 when the roles files define the role (built-in roles included), 0 otherwise. */
  int32_t (*role_exists)(const char* role, size_t role_length);
} weftkit_module_v1;

typedef const weftkit_module_v1* (*weftkit_module_entry)(void);

/* The integrity record (seal) of a module file: its last WEFTKIT_MODULE_SEAL_SIZE bytes,
 * appended by `weftkit-policyc compile --emit=so` after linking. The runtime finds it from the
 * file's end alone, and checks it on its private copy before anything of the file is mapped
 * as code: a file that is truncated, longer, damaged anywhere, or was never sealed is refused.
 * All integers are little-endian; the layout has no padding.
 *
 * The digest is SHA-256 over every byte before the record, then the record's first 24 bytes
 * (magic, version, size, file_length). The signature fields are outside the digest, so that a
 * sealed module can be signed later (an Ed25519 signature over the digest) without changing
 * it; while signature_algorithm is WEFTKIT_MODULE_UNSIGNED they and `reserved` must be zero. */
#define WEFTKIT_MODULE_SEAL_MAGIC "WKPMSEAL"     /* 8 bytes, no terminator */
#define WEFTKIT_MODULE_SEAL_END_MAGIC "WKPMSEND" /* 8 bytes, the file's last */
#define WEFTKIT_MODULE_SEAL_VERSION 1u
#define WEFTKIT_MODULE_SEAL_SIZE 168u
#define WEFTKIT_MODULE_SEAL_DIGESTED_BYTES 24u   /* of the record, covered by the digest */

enum { WEFTKIT_MODULE_UNSIGNED = 0, WEFTKIT_MODULE_SIGNED_ED25519 = 1 };

typedef struct weftkit_module_seal_v1 {
  char magic[8];                 /* WEFTKIT_MODULE_SEAL_MAGIC */
  uint32_t version;              /* WEFTKIT_MODULE_SEAL_VERSION */
  uint32_t size;                 /* WEFTKIT_MODULE_SEAL_SIZE */
  uint64_t file_length;          /* of the whole file, this record included */
  uint8_t sha256[32];            /* see above */
  uint32_t signature_algorithm;  /* WEFTKIT_MODULE_UNSIGNED or WEFTKIT_MODULE_SIGNED_ED25519 */
  uint32_t reserved;             /* zero */
  uint8_t signer_key_id[32];     /* SHA-256 of the signer's raw public key */
  uint8_t signature[64];         /* over the digest */
  char end_magic[8];             /* WEFTKIT_MODULE_SEAL_END_MAGIC */
} weftkit_module_seal_v1;

#ifdef __cplusplus
}
#endif

#endif /* WEFTKIT_POLICY_MODULE_ABI_H */
