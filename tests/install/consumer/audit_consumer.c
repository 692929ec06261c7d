/* A C engine's audit log against the installed audit library, built both with
 * find_package(WeftKitPolicy) and with pkg-config: `audit_consumer MODULE LOG` opens LOG,
 * attaches it to the store serving MODULE, has dave denied DELETE on orders, closes the
 * handle and frees the store (the last holder: the writer writes and stops), then prints the
 * log's authz_deny lines' identity, operation and resource as found in the file. */
#include <stdio.h>
#include <string.h>

#include <weftkit/audit/weftkit_audit.h>
#include <weftkit/weftkit_policy.h>

static int print_denials(const char* path) {
  char line[4096];
  int found = 0;
  FILE* file = fopen(path, "r");
  if (file == NULL) return 0;
  while (fgets(line, sizeof line, file) != NULL) {
    if (strstr(line, "\"event\":\"authz_deny\"") != NULL && strstr(line, "\"identity\":\"dave\"") != NULL &&
        strstr(line, "\"operation\":\"DELETE\"") != NULL && strstr(line, "\"resource\":\"orders\"") != NULL) {
      printf("recorded: dave DELETE orders denied\n");
      ++found;
    }
  }
  fclose(file);
  return found;
}

int main(int argc, char** argv) {
  weftkit_audit_options options;
  weftkit_audit_log* log = NULL;
  weftkit_store* store = NULL;
  weftkit_context* context = NULL;
  weftkit_error* error = NULL;
  weftkit_identity identity;
  int status = 1;
  if (argc != 3) return 2;
  memset(&identity, 0, sizeof identity);
  identity.user = "dave";
  weftkit_audit_options_init(&options);
  options.output = argv[2];
  if (weftkit_audit_open(&options, &log, &error) != WEFTKIT_OK ||
      weftkit_store_open_module(argv[1], &store, &error) != WEFTKIT_OK ||
      weftkit_store_set_audit_log(store, log, &error) != WEFTKIT_OK ||
      weftkit_context_build(store, &identity, &context, &error) != WEFTKIT_OK) {
    fprintf(stderr, "%s\n", error != NULL ? error->message : "out of memory");
    goto done;
  }
  printf("dave DELETE orders: %s\n", weftkit_allowed(context, WEFTKIT_OP_DELETE, "orders") ? "allow" : "deny");
  weftkit_audit_close(log);
  log = NULL;
  weftkit_context_free(context);
  context = NULL;
  weftkit_store_free(store);
  store = NULL;
  if (print_denials(argv[2]) == 1) status = 0;
done:
  weftkit_error_free(error);
  weftkit_context_free(context);
  weftkit_store_free(store);
  weftkit_audit_close(log);
  return status;
}
