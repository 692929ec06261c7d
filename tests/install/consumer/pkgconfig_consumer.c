/* A C engine built with pkg-config against the installed runtime:
 * `pkgconfig_consumer MODULE`. */
#include <stdio.h>

#include <weftkit/weftkit_policy.h>

int main(int argc, char** argv) {
  weftkit_store* store = NULL;
  weftkit_context* context = NULL;
  weftkit_error* error = NULL;
  weftkit_identity identity = {0};
  if (argc != 2) return 2;
  if (weftkit_store_open_module(argv[1], &store, &error) != WEFTKIT_OK) {
    fprintf(stderr, "%s\n", error->message);
    weftkit_error_free(error);
    return 1;
  }
  identity.user = "dave";
  if (weftkit_context_build(store, &identity, &context, &error) != WEFTKIT_OK) return 1;
  printf("dave UPDATE orders: %s\n", weftkit_allowed(context, WEFTKIT_OP_UPDATE, "orders") ? "allow" : "deny");
  printf("dave DELETE orders: %s\n", weftkit_allowed(context, WEFTKIT_OP_DELETE, "orders") ? "allow" : "deny");
  weftkit_context_free(context);
  weftkit_store_free(store);
  return 0;
}
