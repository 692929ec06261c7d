/* The C API of WeftKit's encryption at rest, for engines not written in C++: keyrings with the
 * env key provider and the page cipher behind opaque handles, with errors as values.
 *
 * Plain C99 (also valid C++). Link weftkit_crypto.
 *
 * Conventions (as in weftkit_policy.h)
 *  - Every fallible call returns a weftkit_crypto_code; WEFTKIT_CRYPTO_OK is 0. A handle
 *    out-parameter is set to NULL when the call fails; other out-parameters are written only on
 *    success.
 *  - `weftkit_crypto_error** error` may be NULL. Otherwise *error is set to NULL on success and,
 *    on failure, to an error the caller frees with weftkit_crypto_error_free. Messages never
 *    contain key material or page contents.
 *  - A NULL handle or required pointer is never dereferenced: WEFTKIT_CRYPTO_INVALID_ARGUMENT.
 *  - No C++ exception crosses this API; an allocation failure is WEFTKIT_CRYPTO_INTERNAL.
 *
 * Ownership, lifetime, threads
 *  - Each handle is freed with its own *_free, which accepts NULL; a page cipher keeps its
 *    keyring alive, so they may be freed in any order.
 *  - A keyring is thread-safe. A page cipher is used by one thread at a time (make one per
 *    thread; it caches one OpenSSL context per data key).
 *  - On a failed decryption the output buffer holds no plaintext.
 */
#ifndef WEFTKIT_CRYPTO_H
#define WEFTKIT_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
#define WEFTKIT_CRYPTO_ENUM_BASE : int
#else
#define WEFTKIT_CRYPTO_ENUM_BASE
#endif

/* weftkit::crypto::ErrorCode + 1, in the same order; names from weftkit_crypto_code_name. */
typedef enum weftkit_crypto_code WEFTKIT_CRYPTO_ENUM_BASE {
  WEFTKIT_CRYPTO_OK = 0,
  WEFTKIT_CRYPTO_AUTHENTICATION_FAILED = 1,
  WEFTKIT_CRYPTO_WRONG_TENANT = 2,
  WEFTKIT_CRYPTO_STALE_VERSION = 3,
  WEFTKIT_CRYPTO_NEWER_VERSION = 4,
  WEFTKIT_CRYPTO_UNKNOWN_KEY_VERSION = 5,
  WEFTKIT_CRYPTO_UNKNOWN_TENANT = 6,
  WEFTKIT_CRYPTO_TRUNCATED = 7,
  WEFTKIT_CRYPTO_LENGTH_MISMATCH = 8,
  WEFTKIT_CRYPTO_UNSUPPORTED_FORMAT = 9,
  WEFTKIT_CRYPTO_TOO_LARGE = 10,
  WEFTKIT_CRYPTO_BUFFER_TOO_SMALL = 11,
  WEFTKIT_CRYPTO_INVALID_ARGUMENT = 12,
  WEFTKIT_CRYPTO_INVALID_MASTER_KEY = 13,
  WEFTKIT_CRYPTO_WRONG_MASTER_KEY = 14,
  WEFTKIT_CRYPTO_KEYRING_TAMPERED = 15,
  WEFTKIT_CRYPTO_KEYRING_CHANGED = 16,
  WEFTKIT_CRYPTO_INSECURE_PERMISSIONS = 17,
  WEFTKIT_CRYPTO_ALREADY_EXISTS = 18,
  WEFTKIT_CRYPTO_VERSION_IN_USE = 19,
  WEFTKIT_CRYPTO_IO_ERROR = 20,
  WEFTKIT_CRYPTO_KEY_PROVIDER_ERROR = 21,
  WEFTKIT_CRYPTO_MEMORY_LOCK_FAILED = 22,
  WEFTKIT_CRYPTO_INTERNAL = 23
} weftkit_crypto_code;

/* "ok", "wrong_tenant", ...: static strings, never freed. "unknown" for other values. */
const char* weftkit_crypto_code_name(weftkit_crypto_code code);

typedef struct weftkit_crypto_error {
  weftkit_crypto_code code;
  char* message; /* NUL-terminated, owned by the error */
} weftkit_crypto_error;

void weftkit_crypto_error_free(weftkit_crypto_error* error);

typedef struct weftkit_keyring weftkit_keyring;
typedef struct weftkit_page_cipher weftkit_page_cipher;

/* A new keyring file at path (already_exists if there is one), or an existing one opened, with
 * the env provider's master key given as base64 of 32 bytes (WEFTKIT_KEY's format). */
weftkit_crypto_code weftkit_keyring_create_env(const char* path, const char* master_key_base64, weftkit_keyring** out,
                                               weftkit_crypto_error** error);
weftkit_crypto_code weftkit_keyring_open_env(const char* path, const char* master_key_base64, weftkit_keyring** out,
                                             weftkit_crypto_error** error);
void weftkit_keyring_free(weftkit_keyring* keyring);

weftkit_crypto_code weftkit_keyring_add_tenant(weftkit_keyring* keyring, const char* name, uint32_t* tenant,
                                               weftkit_crypto_error** error);
weftkit_crypto_code weftkit_keyring_find_tenant(const weftkit_keyring* keyring, const char* name, uint32_t* tenant,
                                                weftkit_crypto_error** error);
weftkit_crypto_code weftkit_keyring_rotate(weftkit_keyring* keyring, uint32_t tenant, uint32_t* new_version,
                                           weftkit_crypto_error** error);
weftkit_crypto_code weftkit_keyring_rewrap_env(weftkit_keyring* keyring, const char* new_master_key_base64,
                                               weftkit_crypto_error** error);
weftkit_crypto_code weftkit_keyring_retire(weftkit_keyring* keyring, uint32_t tenant, uint32_t version,
                                           weftkit_crypto_error** error);

weftkit_crypto_code weftkit_page_cipher_create(weftkit_keyring* keyring, weftkit_page_cipher** out,
                                               weftkit_crypto_error** error);
void weftkit_page_cipher_free(weftkit_page_cipher* cipher);

/* plaintext_size + 52: the header and the tag. */
size_t weftkit_sealed_page_size(size_t plaintext_size);

/* Seals a page (at most 65536 bytes) into out; *out_size = weftkit_sealed_page_size(...). */
weftkit_crypto_code weftkit_page_encrypt(weftkit_page_cipher* cipher, uint32_t tenant, uint64_t object,
                                         uint64_t page_number, uint64_t page_version, const uint8_t* plaintext,
                                         size_t plaintext_size, uint8_t* out, size_t out_capacity, size_t* out_size,
                                         weftkit_crypto_error** error);
/* Opens a sealed page into out; refused (with out holding no plaintext) when it is another
 * tenant's, of another version, moved, modified or under an unknown key. */
weftkit_crypto_code weftkit_page_decrypt(weftkit_page_cipher* cipher, uint32_t tenant, uint64_t object,
                                         uint64_t page_number, uint64_t expected_version, const uint8_t* sealed,
                                         size_t sealed_size, uint8_t* out, size_t out_capacity, size_t* out_size,
                                         weftkit_crypto_error** error);

#ifdef __cplusplus
}
#endif

#endif /* WEFTKIT_CRYPTO_H */
