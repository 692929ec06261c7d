/* The C99 caller of the crypto C API (c_api_c99.c). */
#ifndef WEFTKIT_TESTS_CRYPTO_C_API_C99_H
#define WEFTKIT_TESTS_CRYPTO_C_API_C99_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* 0 when the round trip and the refusal behaved; report says what happened. */
int weftkit_crypto_c99_round_trip(const char* keyring_path, const char* master_key_base64, char* report,
                                  size_t report_size);

#ifdef __cplusplus
}
#endif

#endif
