/* A C engine's logins against the installed authentication library, built both with
 * find_package(WeftKitPolicy) and with pkg-config: `auth_consumer USERS_FILE USER PASSWORD`. */
#include <stdio.h>
#include <string.h>

#include <weftkit/auth/weftkit_auth.h>

static int login(weftkit_authenticator* authenticator, const char* user, const char* password) {
  weftkit_auth_result* result = NULL;
  weftkit_identity identity;
  if (weftkit_auth_password(authenticator, user, password, "127.0.0.1", &result, NULL) != WEFTKIT_OK) return 1;
  if (weftkit_auth_result_identity(result, &identity, NULL) == WEFTKIT_OK) {
    printf("%s: accepted as %s\n", user, identity.user);
  } else {
    printf("%s: %s\n", user, weftkit_auth_result_failure(result));
  }
  weftkit_auth_result_free(result);
  return 0;
}

int main(int argc, char** argv) {
  char users[1024];
  const char* variables[2];
  weftkit_auth_config* config = NULL;
  weftkit_authenticator* authenticator = NULL;
  weftkit_error* error = NULL;
  int status = 1;
  if (argc != 4) return 2;
  snprintf(users, sizeof users, "WEFTKIT_AUTH_USERS_FILE=%s", argv[1]);
  variables[0] = "WEFTKIT_AUTH=password";
  variables[1] = users;
  if (weftkit_auth_config_from_variables(variables, 2, &config, &error) != WEFTKIT_OK ||
      weftkit_authenticator_create(config, NULL, &authenticator, &error) != WEFTKIT_OK) {
    fprintf(stderr, "%s\n", error != NULL ? error->message : "out of memory");
    goto done;
  }
  if (login(authenticator, argv[2], "not the password") != 0 || login(authenticator, argv[2], argv[3]) != 0) goto done;
  status = 0;
done:
  weftkit_error_free(error);
  weftkit_authenticator_free(authenticator);
  weftkit_auth_config_free(config);
  return status;
}
