/* The auth C API used from strict C99: a configuration from variables, a password
 * authenticator, a refused and an accepted login, and the identity an accepted one fills.
 * Called by c99_test.cc. */
#include <stdio.h>
#include <string.h>

#include <weftkit/auth/weftkit_auth.h>

#include "tests/auth/c_api/auth_c_api_c99.h"

int weftkit_auth_c99_password_logins(const char* users_file, const char* user, const char* password, char* report,
                                     size_t report_size) {
  char users_variable[1024];
  const char* variables[2];
  weftkit_auth_config* config = NULL;
  weftkit_authenticator* authenticator = NULL;
  weftkit_auth_result* refused = NULL;
  weftkit_auth_result* accepted = NULL;
  weftkit_error* error = NULL;
  weftkit_identity identity;
  int result = 1;
  memset(&identity, 0, sizeof identity);
  snprintf(users_variable, sizeof users_variable, "WEFTKIT_AUTH_USERS_FILE=%s", users_file);
  variables[0] = "WEFTKIT_AUTH=password";
  variables[1] = users_variable;
  report[0] = '\0';
  if (weftkit_auth_config_from_variables(variables, 2, &config, &error) != WEFTKIT_OK ||
      weftkit_authenticator_create(config, NULL, &authenticator, &error) != WEFTKIT_OK ||
      weftkit_auth_password(authenticator, user, "not the password", "127.0.0.1", &refused, &error) != WEFTKIT_OK ||
      weftkit_auth_password(authenticator, user, password, "127.0.0.1", &accepted, &error) != WEFTKIT_OK) {
    snprintf(report, report_size, "%s: %s", error ? weftkit_status_name(error->code) : "?",
             error ? error->message : "no message");
    goto done;
  }
  if (weftkit_auth_result_ok(refused) || strcmp(weftkit_auth_result_failure(refused), "bad_credentials") != 0) {
    snprintf(report, report_size, "the wrong password was not refused as bad_credentials");
    goto done;
  }
  if (!weftkit_auth_result_ok(accepted) || weftkit_auth_result_identity(accepted, &identity, &error) != WEFTKIT_OK) {
    snprintf(report, report_size, "the right password was refused: %s", weftkit_auth_result_message(accepted));
    goto done;
  }
  snprintf(report, report_size, "%s %s", weftkit_auth_result_failure(refused), identity.user);
  result = 0;
done:
  weftkit_error_free(error);
  weftkit_auth_result_free(accepted);
  weftkit_auth_result_free(refused);
  weftkit_authenticator_free(authenticator);
  weftkit_auth_config_free(config);
  return result;
}
