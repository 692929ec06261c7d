/* The C99 caller of the auth C API (auth_c_api_c99.c). */
#ifndef WEFTKIT_TESTS_AUTH_C_API_C99_H
#define WEFTKIT_TESTS_AUTH_C_API_C99_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* 0 when a wrong password was refused as bad_credentials and the right one accepted with its
 * identity filled; report says what happened. */
int weftkit_auth_c99_password_logins(const char* users_file, const char* user, const char* password, char* report,
                                     size_t report_size);

#ifdef __cplusplus
}
#endif

#endif
